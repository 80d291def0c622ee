/**
 * What a sync does when the server's dataset is not the one this device synced with: deleted since
 * (`DatasetDeletedAfterRequestedSyncCount`, or gone after a sync), reset (`No such SyncCount`, a
 * dataset count that went back), or joined by merged datasets after an identity link (prior art,
 * bugs 8 and 9). The caller chooses; the defaults change nothing local and say what happened.
 *
 * @since 0.1.0
 */
import type { SyncCount } from '../codecs.js'
import { type LocalState, currentDeviceDate, emptyState, liveEntries, stateOf } from '../LocalRecord.js'

/**
 * - `'report'`: fail with a typed error and leave the local state as it is (the default: deleting
 *   local data, or resurrecting data another device deleted, is the app's decision);
 * - `'purgeLocal'`: drop the local dataset, pending edits included, and take the server's;
 * - `'recreate'`: keep every local value and push it as new, re-creating the dataset.
 *
 * @since 0.1.0
 */
export type DatasetPolicy = 'report' | 'purgeLocal' | 'recreate'

/**
 * - `'report'`: list the names in `SyncReport.mergedDatasetNames` and sync as usual (the default);
 *   the merged datasets stay on the server until the app reads and deletes them;
 * - `'fail'`: fail with `MergedDatasetsFound` before reconciling anything.
 *
 * @since 0.1.0
 */
export type MergedPolicy = 'report' | 'fail'

/** @since 0.1.0 */
export interface Policies {
  readonly onDatasetDeleted: DatasetPolicy
  readonly onDatasetReset: DatasetPolicy
  readonly onMergedDatasets: MergedPolicy
}

/** @since 0.1.0 */
export const defaultPolicies: Policies = { onDatasetDeleted: 'report', onDatasetReset: 'report', onMergedDatasets: 'report' }

/**
 * The local state to list from again, after `policy` (other than `'report'`) met a dataset the server
 * no longer holds as this device knew it. Both start from `lastSyncCount` 0: everything the server has
 * is new to us. `'recreate'` turns every live value into a pending edit based on nothing (SyncCount 0),
 * keeping its date, so the strategy meets any value the server has and the rest is pushed.
 *
 * @example
 * import { rebase } from 'cognito-reconcile/sync'
 * import { stateOf } from 'cognito-reconcile'
 * const state = stateOf([{ key: 'k', server: { content: 'v', syncCount: 7, lastModifiedDate: new Date(3) } }], 7)
 * const again = rebase('recreate', new Date(9))(state)
 * assert.strictEqual(again.lastSyncCount, 0)
 * assert.deepStrictEqual(again.records.get('k'), { key: 'k', pending: { content: 'v', deviceLastModifiedDate: new Date(3) } })
 * assert.strictEqual(rebase('purgeLocal', new Date(9))(state).records.size, 0)
 *
 * @since 0.1.0
 */
export const rebase =
  (policy: 'purgeLocal' | 'recreate', now: Date) =>
  (state: LocalState): LocalState =>
    policy === 'purgeLocal'
      ? emptyState
      : stateOf(
          liveEntries(state).map(({ key, value }) => ({
            key,
            pending: { content: value, deviceLastModifiedDate: currentDeviceDate(state.records.get(key)) ?? now },
          })),
          0 as SyncCount,
        )
