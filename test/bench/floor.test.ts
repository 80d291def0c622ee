// The benchmark's floor is a fair baseline only if it computes what reconcile computes, and the guard
// that checks so before timing must catch a floor that does not.
import { test } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { date, listing, localState, reconcileInput } from 'cognito-reconcile/testkit'
import { type Merge, floorMerge, lastWriterWinsInline } from '../../bench/floor.js'
import { floorMismatch } from '../../bench/guard.js'
import { reconcileInput as benchInput } from '../../bench/inputs.js'
import { guardedCase } from '../../bench/parts/reconcile.js'
import { floorOf, libraryMerge, strategyCases } from '../../bench/strategies.js'

const strategy = fc.constantFrom(...strategyCases)
const input = fc.oneof(reconcileInput(), fc.record({ local: localState(), listing, now: date }))

describe('the floor', () => {
  test.prop([strategy, input])('gives the library’s patches, next state and conflicts', (s, i) => {
    expect(floorMismatch(libraryMerge(s.library)(i), floorOf(s)(i))).toBeUndefined()
  })

  it.each([256, 1024])('gives the library’s output on the benchmark’s own inputs (%i records)', (records) => {
    for (const dirty of [0, 0.1, 1])
      for (const s of strategyCases) {
        const i = benchInput({ records, dirty, seed: records })
        expect(floorMismatch(libraryMerge(s.library)(i.library), floorOf(s)(i.floor))).toBeUndefined()
      }
  })
})

describe('the guard', () => {
  const i = benchInput({ records: 1024, dirty: 0.1, seed: 1 })
  const floor = floorMerge(lastWriterWinsInline)
  const library = libraryMerge(strategyCases[0]!.library)
  // floors that are wrong in one way each
  const broken: ReadonlyArray<readonly [string, Merge]> = [
    ['patches', (x) => ({ ...floor(x), patches: floor(x).patches.slice(1) })],
    ['next.lastSyncCount', (x) => ({ ...floor(x), next: { ...floor(x).next, lastSyncCount: x.local.lastSyncCount } })],
    ['next.records', (x) => ({ ...floor(x), next: { ...floor(x).next, records: new Map([...floor(x).next.records].slice(1)) } })],
    ['conflicts', (x) => ({ ...floor(x), conflicts: floor(x).conflicts.map((c) => ({ ...c, decidedBy: 'someoneElse' })) })],
    // the conflicts decided the other way: patches and state differ too, and the first difference is named
    ['patches', floorMerge((key, local, remote) => ({ ...lastWriterWinsInline(key, remote, local), decidedBy: 'lastWriterWins' }))],
  ]

  it.each(broken)('names a floor that differs in %s', (what, wrong) => {
    const mismatch = floorMismatch(library(i.library), wrong(i.floor))
    expect(mismatch?.what).toBe(what)
    expect(mismatch?.detail).toMatch(/library .* floor /)
  })

  it('refuses to time a case whose floor differs', async () => {
    const outcome = await guardedCase(i, library, broken[0]![1], { rounds: 1, time: 0, iterations: 1, warmup: 0 })
    expect(outcome).toMatchObject({ status: 'refused', mismatch: { what: 'patches' } })
  })

  it('times a case whose floor agrees', async () => {
    const outcome = await guardedCase(i, library, floor, { rounds: 1, time: 0, iterations: 1, warmup: 0 })
    expect(outcome.status).toBe('timed')
  })
})
