// The arbitraries reach the cases that break merges, shown with fc.statistics: ties of dates,
// tombstones, empty strings, equal contents, and listed versions at the device's own SyncCount.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { conflict, history, reconcileInput } from 'cognito-reconcile/testkit'
import { reach } from '../reach.js'

const shares = <A>(arbitrary: fc.Arbitrary<A>, labels: (value: A) => ReadonlyArray<string>): Readonly<Record<string, number>> => reach(arbitrary, labels).shares

describe('the arbitraries reach the hard cases', () => {
  it('conflicts: ties of device dates, tombstones, empty strings, equal contents', () => {
    const seen = shares(conflict(), (c) => [
      ...(c.local.deviceLastModifiedDate !== undefined && c.local.deviceLastModifiedDate.getTime() === c.remote.deviceLastModifiedDate?.getTime() ? ['tie'] : []),
      ...(c.local.content === null || c.remote.content === null ? ['tombstone'] : []),
      ...(c.local.content === '' || c.remote.content === '' ? ['empty'] : []),
      ...(c.local.content === c.remote.content ? ['equal'] : []),
      ...(c.base !== undefined ? ['base'] : []),
    ])
    expect(seen['tie']).toBeGreaterThan(5)
    expect(seen['tombstone']).toBeGreaterThan(25)
    expect(seen['empty']).toBeGreaterThan(5)
    expect(seen['equal']).toBeGreaterThan(5)
    expect(seen['base']).toBeGreaterThan(25)
  })

  it("reconcile inputs: listed versions at the device's own SyncCount, and above it", () => {
    const seen = shares(reconcileInput(), ({ local, listing }) =>
      listing.records.flatMap((record) => {
        const base = local.records.get(record.Key)?.server?.syncCount
        return base === undefined ? ['new key'] : record.SyncCount === base ? ['equal SyncCount'] : ['newer']
      }),
    )
    expect(seen['equal SyncCount']).toBeGreaterThan(10)
    expect(seen['newer']).toBeGreaterThan(10)
    expect(seen['new key']).toBeGreaterThan(5)
  })

  it('histories: same-instant writes, deletes, empty strings, every fault, writers slipping in, skews', () => {
    const seen = shares(history({ faults: true, maxSkew: 3 }), (h) => [
      ...(h.steps.some((s) => s._tag !== 'Sync' && s.tick === 0) ? ['same instant'] : []),
      ...(h.steps.some((s) => s._tag === 'Remove') ? ['delete'] : []),
      ...(h.steps.some((s) => s._tag === 'Put' && s.value === '') ? ['empty'] : []),
      ...h.steps.flatMap((s) => (s._tag === 'Sync' && s.fault !== 'none' ? [s.fault] : [])),
      ...(h.steps.some((s) => s._tag === 'Sync' && s.slipIn !== undefined) ? ['slip-in'] : []),
      ...(h.skews.some((skew) => skew !== 0) ? ['skew'] : []),
    ])
    for (const label of ['same instant', 'delete', 'lostAnswer', 'throttled', 'serverError', 'crash', 'slip-in', 'skew']) expect(seen[label], label).toBeGreaterThan(20)
    expect(seen['empty']).toBeGreaterThan(10)
  })
})
