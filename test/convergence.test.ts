// Devices with arbitrary offline edits, syncing in any order against the model of the service, end
// identical to each other and to the server; with lastWriterWins the survivor of each key is the
// greatest version the server ever stored, by its order, and no edit a device submitted was lost.
import { test } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect } from 'vitest'
import type { Content, LocalState, RecordValue, SyncStrategy, Version } from 'cognito-reconcile'
import { applyUpdate, emptyState, liveEntries, put, reconcile, remove, sortedRecords } from 'cognito-reconcile'
import { contentOrd, jsonSetUnion, lastWriterWins, localWins, maxValue, remoteWins, writtenOrd } from 'cognito-reconcile/strategies'
import { type ServiceModel, numericValue, recordValue, serviceModel } from 'cognito-reconcile/testkit'
import { unwrap } from './fixtures.js'

/** A sync, whose UpdateRecords answer may be lost after the server applied it; or a local edit. */
type Step = { readonly device: number; readonly sync: true; readonly lose: boolean } | { readonly device: number; readonly key: string; readonly content: Content; readonly clock: number }

const steps = (devices: number, value: fc.Arbitrary<Content>) =>
  fc.array(
    fc.oneof(
      fc.record({ device: fc.nat(devices - 1), sync: fc.constant(true as const), lose: fc.boolean() }),
      fc.record({ device: fc.nat(devices - 1), key: fc.constantFrom('a', '__proto__', 'c'), content: value, clock: fc.integer({ min: 0, max: 5 }) }),
    ),
    { maxLength: 25 },
  )

/** One sync of one device: list incrementally, reconcile, push, apply the response unless it is lost. */
const syncDevice = (server: ServiceModel, strategy: SyncStrategy, local: LocalState, now: Date, lose = false): { state: LocalState; pushed: number } => {
  const listing = server.list(local.lastSyncCount)
  const result = unwrap(reconcile(strategy)({ local, listing, now }))
  if (!result.mustPush) return { state: result.next, pushed: 0 }
  const answer = server.update(result.patches)
  if ('conflict' in answer) throw new Error(`stale SyncCount for ${answer.conflict.key}: patches must carry the last known count`)
  if (lose) return { state: result.next, pushed: result.patches.length }
  return { state: applyUpdate({ basis: result.next, listedSyncCount: listing.datasetSyncCount, written: answer.written })(result.next), pushed: result.patches.length }
}

const contents = (state: LocalState) => liveEntries(state).map(({ key, value }) => [key, value] as const)

const at = (clock: number) => new Date(1_700_000_000_000 + clock * 1000)

/**
 * The edits a sync submits: each pending edit that changes the version it is based on, or follows a
 * version sent without an answer. An edit back to its base otherwise changes nothing.
 */
const submitted = (state: LocalState) =>
  sortedRecords(state).flatMap((record) =>
    record.pending && (record.pending.sent !== undefined || record.pending.content !== (record.server?.content ?? null))
      ? [{ key: record.key as string, version: { content: record.pending.content, deviceLastModifiedDate: record.pending.deviceLastModifiedDate } }]
      : [],
  )

/** Runs the steps on `devices` devices, then two fault-free rounds of syncs. */
const simulate = (devices: number, strategy: SyncStrategy, plan: ReadonlyArray<Step>) => {
  const server = serviceModel()
  const states: LocalState[] = Array.from({ length: devices }, () => emptyState)
  const contenders: Array<{ key: string; version: Version }> = []
  const sync = (device: number, lose = false): void => {
    const before = states[device] as LocalState
    contenders.push(...submitted(before))
    states[device] = syncDevice(server, strategy, before, at(6), lose).state
  }
  for (const step of plan) {
    const before = states[step.device] as LocalState
    if ('sync' in step) sync(step.device, step.lose)
    else states[step.device] = unwrap(step.content === null ? remove(step.key, at(step.clock))(before) : put(step.key, step.content, at(step.clock))(before))
  }
  for (let round = 0; round < 2; round++) for (let device = 0; device < devices; device++) sync(device)
  return { server, states, contenders }
}

type Keyed = { readonly key: string } & ({ readonly version: Version } | Version)
const versionOf = (entry: Keyed): Version => ('version' in entry ? entry.version : entry)

/** The greatest version of each key by `compare`. */
const survivorVersions = (versions: ReadonlyArray<Keyed>, compare: (a: Version, b: Version) => number) => {
  const best = new Map<string, Version>()
  for (const entry of versions) {
    const seen = best.get(entry.key)
    if (seen === undefined || compare(versionOf(entry), seen) > 0) best.set(entry.key, versionOf(entry))
  }
  return [...best].sort(([a], [b]) => (a < b ? -1 : 1))
}

/** The content each key ends with if the greatest version survives. */
const survivors = (versions: ReadonlyArray<Keyed>, compare: (a: Version, b: Version) => number) =>
  survivorVersions(versions, compare).flatMap(([key, version]) => (version.content === null ? [] : [[key, version.content] as const]))

const lwwCompare = (a: Version, b: Version) => writtenOrd.compare(a, b) || contentOrd.compare(a, b)
const numericCompare = (a: Version, b: Version) => Number(a.content) - Number(b.content) || contentOrd.compare(a, b)
const anyContent = fc.oneof({ weight: 3, arbitrary: recordValue }, { weight: 1, arbitrary: fc.constant(null) }) as fc.Arbitrary<Content>

describe('convergence against the model of the service', () => {
  for (const devices of [2, 3]) {
    test.prop([steps(devices, anyContent)])(`${devices} devices with lastWriterWins converge on the greatest write`, (plan) => {
      const { server, states } = simulate(devices, lastWriterWins, plan)
      for (const state of states) expect(contents(state)).toEqual(server.contents())
      expect(server.contents()).toEqual(survivors(server.history(), lwwCompare))
    })
  }

  // a device may lower a score it has seen on purpose, so "greatest" holds among concurrent edits only:
  // every edit offline, then the syncs
  const offline = steps(3, numericValue as fc.Arbitrary<Content>).map((plan) => plan.filter((step) => !('sync' in step)))
  test.prop([offline])('3 devices with maxValue, editing offline, converge on the greatest number', (plan) => {
    const { server, states, contenders } = simulate(3, maxValue(), plan)
    for (const state of states) expect(contents(state)).toEqual(server.contents())
    expect(server.contents()).toEqual(survivors(contenders, numericCompare))
  })

  for (const [name, strategy] of [['localWins', localWins], ['remoteWins', remoteWins], ['jsonSetUnion', jsonSetUnion()]] as const) {
    test.prop([steps(3, anyContent)])(`3 devices with ${name} converge`, (plan) => {
      const { server, states } = simulate(3, strategy, plan)
      for (const state of states) expect(contents(state)).toEqual(server.contents())
    })
  }

  test.prop([steps(3, anyContent)])('with lastWriterWins, every submitted edit is stored, outranked, or equal in content to a stored version', (plan) => {
    // an edit whose content the server already holds joins that version (rule 3): no patch, no new date
    const { server, contenders } = simulate(3, lastWriterWins, plan)
    const final = new Map(survivorVersions(server.history(), lwwCompare))
    for (const { key, version } of contenders) {
      const survivor = final.get(key)
      const joined = server.history().some((stored) => stored.key === key && stored.content === version.content)
      expect(joined || (survivor !== undefined && lwwCompare(survivor, version) >= 0), `edit of ${key} lost`).toBe(true)
    }
  })

  test.prop([steps(3, anyContent)])('after a sync whose patches were applied, a second sync pushes nothing', (plan) => {
    const { server, states } = simulate(3, lastWriterWins, plan)
    for (const state of states) expect(syncDevice(server, lastWriterWins, state, at(7)).pushed).toBe(0)
  })

  test.prop([fc.uniqueArray(fc.constantFrom('["a"]', '["b"]', '["c"]', '["a","c"]') as fc.Arbitrary<RecordValue>, { minLength: 2, maxLength: 3 })])(
    'jsonSetUnion keeps every item added on any device',
    (lists) => {
      const plan: Step[] = [...lists.map((list, device) => ({ device, key: 'tags', content: list, clock: device })), ...lists.map((_, device) => ({ device, sync: true as const, lose: false }))]
      const { server } = simulate(lists.length, jsonSetUnion(), plan)
      const union = [...new Set(lists.flatMap((list) => JSON.parse(list) as string[]))].sort()
      expect(server.contents()).toEqual([['tags', JSON.stringify(union)]])
    },
  )
})
