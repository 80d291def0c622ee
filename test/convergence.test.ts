// Devices with arbitrary offline edits, syncing in any order against the model of the service, end
// identical to each other and to the server; with lastWriterWins the survivor of each key is the
// greatest version the server ever stored, by its order, and no edit a device submitted was lost.
import { test } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Content, LocalState, RecordValue, SyncStrategy, Version } from 'cognito-reconcile'
import { applyUpdate, emptyState, liveEntries, put, reconcile, remove, sortedRecords } from 'cognito-reconcile'
import { contentOrd, jsonSetUnion, lastWriterWins, localWins, maxValue, remoteWins, writtenOrd } from 'cognito-reconcile/strategies'
import { type ServiceModel, numericValue, recordValue, serviceModel } from 'cognito-reconcile/testkit'
import { unwrap } from './fixtures.js'
import { expectReach, reach, shortfalls } from './reach.js'
import { type Case, reconcileClasses } from './reconcileCase.js'

/** A sync, whose UpdateRecords answer may be lost after the server applied it; or a local edit. */
type Step = { readonly device: number; readonly sync: true; readonly lose: boolean } | { readonly device: number; readonly key: string; readonly content: Content; readonly clock: number }

const steps = (devices: number, value: fc.Arbitrary<Content>) =>
  fc.array(
    fc.oneof(
      fc.record({ device: fc.nat(devices - 1), sync: fc.constant(true as const), lose: fc.boolean() }),
      fc.record({ device: fc.nat(devices - 1), key: fc.constantFrom('a', '__proto__', 'c'), content: value, clock: fc.integer({ min: 0, max: 5 }) }),
    ),
    // long enough for a key to be synced, edited on one device and deleted on another, and synced again
    { minLength: 6, maxLength: 25, size: 'medium' },
  )

/**
 * Steps, and the server's clock: the model's own (years ahead of the devices'), or one that starts
 * among the devices' dates, so that the server stores a device date later than its own and the clamp
 * of lastWriterWins decides.
 */
interface Scenario {
  readonly plan: ReadonlyArray<Step>
  readonly serverClock: number | undefined
}
const scenario = (devices: number, value: fc.Arbitrary<Content>): fc.Arbitrary<Scenario> =>
  fc.record({ plan: steps(devices, value), serverClock: fc.option(fc.integer({ min: -2, max: 5 }), { nil: undefined }) })

/** One sync of one device: list incrementally, reconcile, push, apply the response unless it is lost. */
const syncDevice = (server: ServiceModel, strategy: SyncStrategy, local: LocalState, now: Date, lose = false, seen: (met: Case) => void = () => undefined): { state: LocalState; pushed: number } => {
  const listing = server.list(local.lastSyncCount)
  seen([strategy, { local, listing, now }])
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

/** Runs the steps on `devices` devices, then two fault-free rounds of syncs; `seen` meets each reconcile. */
const simulate = (devices: number, strategy: SyncStrategy, { plan, serverClock }: Scenario, seen?: (met: Case) => void) => {
  const server = serviceModel(serverClock === undefined ? {} : { clock: at(serverClock).getTime() })
  const states: LocalState[] = Array.from({ length: devices }, () => emptyState)
  const contenders: Array<{ key: string; version: Version }> = []
  const sync = (device: number, lose = false): void => {
    const before = states[device] as LocalState
    contenders.push(...submitted(before))
    states[device] = syncDevice(server, strategy, before, at(6), lose, seen).state
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
/** Mostly small JSON sets, so that jsonSetUnion merges rather than falls back; any content now and then. */
const setContent = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('[]', '["a"]', '["b"]', '["a","b"]', '["c"]') as fc.Arbitrary<Content> },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: anyContent },
)

describe('convergence against the model of the service', () => {
  for (const devices of [2, 3]) {
    test.prop([scenario(devices, anyContent)])(`${devices} devices with lastWriterWins converge on the greatest write`, (run) => {
      const { server, states } = simulate(devices, lastWriterWins, run)
      for (const state of states) expect(contents(state)).toEqual(server.contents())
      expect(server.contents()).toEqual(survivors(server.history(), lwwCompare))
    })
  }

  // a device may lower a score it has seen on purpose, so "greatest" holds among concurrent edits only:
  // every edit offline, then the syncs
  const offline = scenario(3, numericValue as fc.Arbitrary<Content>).map((run) => ({ ...run, plan: run.plan.filter((step) => !('sync' in step)) }))
  test.prop([offline])('3 devices with maxValue, editing offline, converge on the greatest number', (run) => {
    const { server, states, contenders } = simulate(3, maxValue(), run)
    for (const state of states) expect(contents(state)).toEqual(server.contents())
    expect(server.contents()).toEqual(survivors(contenders, numericCompare))
  })

  for (const [name, strategy, values] of [['localWins', localWins, anyContent], ['remoteWins', remoteWins, anyContent], ['jsonSetUnion', jsonSetUnion(), setContent]] as const) {
    test.prop([scenario(3, values)])(`3 devices with ${name} converge`, (run) => {
      const { server, states } = simulate(3, strategy, run)
      for (const state of states) expect(contents(state)).toEqual(server.contents())
    })
  }

  test.prop([scenario(3, anyContent)])('with lastWriterWins, every submitted edit is stored, outranked, or equal in content to a stored version', (run) => {
    // an edit whose content the server already holds joins that version (rule 3): no patch, no new date
    const { server, contenders } = simulate(3, lastWriterWins, run)
    const final = new Map(survivorVersions(server.history(), lwwCompare))
    for (const { key, version } of contenders) {
      const survivor = final.get(key)
      const joined = server.history().some((stored) => stored.key === key && stored.content === version.content)
      expect(joined || (survivor !== undefined && lwwCompare(survivor, version) >= 0), `edit of ${key} lost`).toBe(true)
    }
  })

  test.prop([scenario(3, anyContent)])('after a sync whose patches were applied, a second sync pushes nothing', (run) => {
    const { server, states } = simulate(3, lastWriterWins, run)
    for (const state of states) expect(syncDevice(server, lastWriterWins, state, at(7)).pushed).toBe(0)
  })

  test.prop([fc.uniqueArray(fc.constantFrom('["a"]', '["b"]', '["c"]', '["a","c"]') as fc.Arbitrary<RecordValue>, { minLength: 2, maxLength: 3 })])(
    'jsonSetUnion keeps every item added on any device',
    (lists) => {
      const plan: Step[] = [...lists.map((list, device) => ({ device, key: 'tags', content: list, clock: device })), ...lists.map((_, device) => ({ device, sync: true as const, lose: false }))]
      const { server } = simulate(lists.length, jsonSetUnion(), { plan, serverClock: undefined })
      const union = [...new Set(lists.flatMap((list) => JSON.parse(list) as string[]))].sort()
      expect(server.contents()).toEqual([['tags', JSON.stringify(union)]])
    },
  )
})

describe('the generators of these suites', () => {
  /** The rules a run reaches, over every reconcile of every sync in it (see reconcileClasses). */
  const classesOfRun = (strategy: SyncStrategy) => (run: Scenario) => {
    const met: Array<Case> = []
    simulate(3, strategy, run, (reconciled) => met.push(reconciled))
    return met.flatMap(reconcileClasses)
  }
  const lastWriterWinsReach = { 'local tombstone': 5, 'remote tombstone': 5, 'equal contents': 30, 'equal dates': 10, 'clamp decides': 10 }

  it('lastWriterWins runs meet tombstone conflicts, equal contents and dates, and the clamp deciding', () => {
    expectReach(reach(scenario(3, anyContent), classesOfRun(lastWriterWins)), lastWriterWinsReach)
  })

  it('jsonSetUnion runs merge sets, tombstones among them', () => {
    expectReach(reach(scenario(3, setContent), classesOfRun(jsonSetUnion())), { Write: 30, 'local tombstone': 5, 'remote tombstone': 5 })
  })

  it('fail the reach test without deletes or with the model clock only', () => {
    const narrowed = scenario(3, recordValue as fc.Arbitrary<Content>).map((run) => ({ ...run, serverClock: undefined }))
    expect(shortfalls(reach(narrowed, classesOfRun(lastWriterWins)), lastWriterWinsReach)).toEqual([
      expect.stringMatching(/^local tombstone: 0% < /),
      expect.stringMatching(/^remote tombstone: 0% < /),
      expect.stringMatching(/^clamp decides: 0% < /),
    ])
  })
})
