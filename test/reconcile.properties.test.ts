// Laws of reconcile over arbitrary local states and listings, generated to reach every rule (see
// reconcileCase.ts): ties, tombstones on either side, equal SyncCounts and contents, server clocks
// behind device clocks, writes and unresolved conflicts, and keys such as __proto__. The last suite
// holds the generators to that reach.
import { test } from '@fast-check/vitest'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import type { Content, LocalState, Listing, Reconciliation, RecordPatch, SyncStrategy } from 'cognito-reconcile'
import { baseSyncCount, currentContent, reconcile, remoteContent } from 'cognito-reconcile'
import { lastWriterWins, localWins, maxValue, remoteWins } from 'cognito-reconcile/strategies'
import { date, listing, localState } from 'cognito-reconcile/testkit'
import { expectReach, reach, shortfalls } from './reach.js'
import { families, input, reconcileCase, reconcileClasses, reconcileReach } from './reconcileCase.js'

const run = (s: SyncStrategy, local: LocalState, l: Listing, now: Date): Reconciliation => {
  const result = reconcile(s)({ local, listing: l, now })
  if (E.isLeft(result)) throw new Error(result.left.message)
  return result.right
}

/** The newest listed record of a key, as reconcile reads a listing. */
const listed = (l: Listing, key: string) =>
  l.records.filter((r) => r.Key === key).reduce<(typeof l.records)[number] | undefined>((a, r) => (a === undefined || r.SyncCount > a.SyncCount ? r : a), undefined)

const patchContent = (patch: RecordPatch): Content => (patch.Op === 'remove' ? null : (patch.Value ?? null))

describe('reconcile', () => {
  test.prop([reconcileCase])('is total and deterministic', ([s, { local, listing: l, now }]) => {
    const once = reconcile(s)({ local, listing: l, now })
    expect(E.isRight(once)).toBe(true)
    expect(reconcile(s)({ local, listing: l, now })).toEqual(once)
  })

  test.prop([reconcileCase])('loses no local edit unless a strategy resolved a conflict over it', ([s, { local, listing: l, now }]) => {
    const result = run(s, local, l, now)
    const resolved = new Set(result.conflicts.map((c) => c.conflict.key as string))
    for (const record of local.records.values()) {
      if (!record.pending || resolved.has(record.key)) continue
      const after = result.next.records.get(record.key)
      const kept = after?.pending?.content === record.pending.content
      const alreadyThere = currentContent(after) === record.pending.content
      const noop = record.pending.content === (record.server?.content ?? null)
      expect(kept || alreadyThere || noop, `edit of ${JSON.stringify(record.key)} lost`).toBe(true)
    }
  })

  test.prop([reconcileCase])('every patch carries the last known server SyncCount of its key', ([s, { local, listing: l, now }]) => {
    for (const patch of run(s, local, l, now).patches) {
      expect(patch.SyncCount).toBe(listed(l, patch.Key)?.SyncCount ?? baseSyncCount(local.records.get(patch.Key)))
    }
  })

  test.prop([reconcileCase])('emits no patch for a key whose final content already equals the remote', ([s, { local, listing: l, now }]) => {
    const result = run(s, local, l, now)
    for (const patch of result.patches) {
      const remote = listed(l, patch.Key)
      const known = remote ? remoteContent(remote) : (local.records.get(patch.Key)?.server?.content ?? null)
      expect(patchContent(patch)).not.toBe(known)
      expect(currentContent(result.next.records.get(patch.Key))).toBe(patchContent(patch))
    }
    expect(new Set(result.patches.map((p) => p.Key)).size).toBe(result.patches.length)
    expect(result.mustPush).toBe(result.patches.length > 0)
  })

  test.prop([reconcileCase])('folds in every listed change it does not report', ([s, { local, listing: l, now }]) => {
    const result = run(s, local, l, now)
    const held = new Set([...result.unresolved.map((c) => c.key as string), ...result.regressions.flatMap((r) => (r._tag === 'RecordRegressed' ? [r.key as string] : []))])
    const datasetRegressed = result.regressions.some((r) => r._tag === 'DatasetRegressed')
    for (const record of l.records) {
      if (held.has(record.Key) || datasetRegressed) continue
      expect(result.next.records.get(record.Key)?.server?.syncCount).toBeGreaterThanOrEqual(record.SyncCount)
    }
    const caughtUp = held.size === 0 && !datasetRegressed
    expect(result.next.lastSyncCount).toBe(caughtUp ? l.datasetSyncCount : local.lastSyncCount)
  })

  test.prop([reconcileCase])('confirms only keys with a version sent without an answer', ([s, { local, listing: l, now }]) => {
    for (const key of run(s, local, l, now).confirmed) expect(local.records.get(key)?.pending?.sent).toBeDefined()
  })

  test.prop([localState(), listing, date])('a listing with nothing new changes no clean record', (local, l, now) => {
    const empty = { records: [], datasetSyncCount: Math.max(local.lastSyncCount, l.datasetSyncCount) } as unknown as Listing
    const result = run(lastWriterWins, local, empty, now)
    for (const record of local.records.values()) if (!record.pending) expect(result.next.records.get(record.key)).toEqual(record)
    expect(result.adopted).toEqual([])
    expect(result.conflicts).toEqual([])
  })
})

describe('the generators of these properties', () => {
  it('reach every rule of reconcile, each in a fair share of 1,000 cases', () => {
    expectReach(reach(reconcileCase, reconcileClasses), reconcileReach)
  })

  it('fail the reach test when a family of cases goes missing', () => {
    // without the set merges, nothing writes; with strategies that never decline, nothing is left unresolved
    const keeping = fc.tuple(fc.constantFrom<SyncStrategy>(lastWriterWins, maxValue(), localWins, remoteWins), input)
    const missing = shortfalls(reach(fc.oneof(keeping, families.numbers), reconcileClasses), reconcileReach)
    expect(missing).toEqual(expect.arrayContaining([expect.stringMatching(/^Write: 0% < /), expect.stringMatching(/^unresolved: 0% < /)]))
  })
})
