/**
 * Folding an UpdateRecords response into local state. The request was built from a snapshot
 * (`Reconciliation.next`); by the time the response arrives the app may have written again, so the
 * response is applied with compare-and-set, never written back blindly.
 *
 * @since 0.1.0
 */
import type { SyncCount } from './codecs.js'
import { type LocalRecord, type LocalState, type PendingEdit, type SentVersion, serverVersionOf, setRecords } from './LocalRecord.js'
import type { RecordPatch } from './RecordPatch.js'
import type { RemoteRecord } from './RemoteRecord.js'

/** @since 0.1.0 */
export interface UpdateApplied {
  /** The state the patches were built from: `Reconciliation.next`. */
  readonly basis: LocalState
  /** The DatasetSyncCount of the listing the patches were built from. */
  readonly listedSyncCount: SyncCount
  /** The records UpdateRecords answered: what the server wrote, with the new SyncCounts. */
  readonly written: ReadonlyArray<RemoteRecord>
}

const samePending = (a: PendingEdit | undefined, b: PendingEdit | undefined): boolean =>
  a === b || (a !== undefined && b !== undefined && a.content === b.content && a.deviceLastModifiedDate.getTime() === b.deviceLastModifiedDate.getTime())

/**
 * Applies an UpdateRecords response to the current local state:
 * - each written record becomes the key's server version; its pending edit is cleared only if it is
 *   still the one that was pushed. An edit made while the request was in flight stays pending, now
 *   based on the written version, so the next sync pushes it without a conflict against ourselves;
 * - `lastSyncCount` advances to the new dataset count only when it is exactly the listed count + 1 and
 *   the basis had caught up with the listing: then no other writer came in between. Otherwise it stays,
 *   and the next listing brings what the other writer did.
 *
 * Law: applying the same response twice gives the same state as applying it once.
 *
 * @example
 * import { applyUpdate, stateOf, isDirty } from 'cognito-reconcile'
 * const pushed = stateOf([{ key: 'k', pending: { content: 'v', deviceLastModifiedDate: new Date(1) } }], 4)
 * const written = [{ Key: 'k', Value: 'v', SyncCount: 5, LastModifiedDate: new Date(2) }]
 * const after = applyUpdate({ basis: pushed, listedSyncCount: 4, written })(pushed)
 * assert.strictEqual(isDirty(after.records.get('k')), false)
 * assert.strictEqual(after.lastSyncCount, 5)
 *
 * @since 0.1.0
 */
export const applyUpdate =
  ({ basis, listedSyncCount, written }: UpdateApplied) =>
  (current: LocalState): LocalState => {
    let newest = -1
    const changes = written.map((remote): LocalRecord => {
      newest = Math.max(newest, remote.SyncCount)
      const now = current.records.get(remote.Key)
      const stillPushed = samePending(now?.pending, basis.records.get(remote.Key)?.pending)
      return {
        key: remote.Key,
        server: serverVersionOf(remote),
        // an edit made meanwhile now stands on the written version: what was sent is no longer in doubt
        ...(stillPushed || now?.pending === undefined ? {} : { pending: { content: now.pending.content, deviceLastModifiedDate: now.pending.deviceLastModifiedDate } }),
      }
    })
    const next = setRecords(changes)(current)
    const noOtherWriter = newest === listedSyncCount + 1 && current.lastSyncCount === listedSyncCount
    return noOtherWriter ? { ...next, lastSyncCount: newest } : next
  }

const isPatchOf = (patch: RecordPatch, sent: SentVersion): boolean =>
  (patch.Value ?? null) === sent.content && patch.DeviceLastModifiedDate?.getTime() === sent.deviceLastModifiedDate.getTime()

/**
 * Applies an UpdateRecords refusal (a 409: a SyncCount was stale, and the whole request was rejected,
 * nothing of it stored) to the current local state: each edit that remembers one of `patches` as sent
 * without an answer forgets it. The edit stays pending; the doubt is gone, so its base (the server
 * version beside it) stays the one a three-way merge uses at the next sync, instead of being dropped as
 * uncertain. Only for a refusal the server answered: a lost answer leaves the doubt in place.
 *
 * Law: applying the same refusal twice gives the same state as applying it once.
 *
 * @example
 * import { applyRejected, patchFor, stateOf } from 'cognito-reconcile'
 * const at = new Date(5)
 * const server = { content: '["a"]', syncCount: 3 }
 * const state = stateOf([{ key: 'k', server, pending: { content: '["a","b"]', deviceLastModifiedDate: at, sent: { content: '["a","b"]', deviceLastModifiedDate: at } } }], 3)
 * const after = applyRejected([patchFor('k', '["a","b"]', 3, at)])(state)
 * assert.deepStrictEqual(after.records.get('k'), { key: 'k', server, pending: { content: '["a","b"]', deviceLastModifiedDate: at } })
 *
 * @since 0.2.0
 */
export const applyRejected =
  (patches: ReadonlyArray<RecordPatch>) =>
  (current: LocalState): LocalState => {
    const changes: Array<LocalRecord> = []
    for (const patch of patches) {
      const record = current.records.get(patch.Key)
      const pending = record?.pending
      if (record === undefined || pending?.sent === undefined || !isPatchOf(patch, pending.sent)) continue
      changes.push({ ...record, pending: { content: pending.content, deviceLastModifiedDate: pending.deviceLastModifiedDate } })
    }
    return changes.length === 0 ? current : setRecords(changes)(current)
  }
