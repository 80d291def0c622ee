/**
 * What a sync did, for logs, tests and people: every call it made, every record it moved, every
 * conflict and who decided it, every retry and why. Built by a `Recorder` during one sync run.
 *
 * @since 0.1.0
 */
import type { RecordKey, SyncCount } from '../codecs.js'
import type { Conflict } from '../Conflict.js'
import type { Reconciliation, Regression, ResolvedConflict } from '../reconcile.js'
import type { Operation, SyncOperation } from './errors.js'

/** Why the adapter tried again. @since 0.1.0 */
export type RetryReason = 'Conflict' | 'SessionExpired' | 'Throttled' | 'ServerError' | 'NetworkError'

/**
 * One retry. After a failed ListRecords the same page is asked again; after a failed UpdateRecords the
 * adapter lists again and reconciles, and never resends the request as it was; a failed DeleteDataset
 * (in a `DeleteReport`) is sent again.
 *
 * @since 0.1.0
 */
export interface Retry {
  /** The sync's listing round; always 1 in a delete. */
  readonly round: number
  readonly operation: Operation
  readonly reason: RetryReason
  readonly message: string
  readonly delayMs: number
}

/** A conflict decided in round `round` (a later round may decide the same key again). @since 0.1.0 */
export interface ReportedConflict extends ResolvedConflict {
  readonly round: number
}

/** How the dataset-level policies came into play. @since 0.1.0 */
export type DatasetEvent = 'Deleted' | 'Reset'

/** @since 0.1.0 */
export interface SyncReport {
  /** HTTP attempts by operation, the SDK's own retries of ListRecords included. */
  readonly calls: Readonly<Record<SyncOperation, number>>
  /** Listing rounds: 1, plus one for each time the adapter listed again. */
  readonly rounds: number
  /** Records received from ListRecords, over every page and round. */
  readonly pulled: number
  /** Keys whose remote version was adopted without a conflict. */
  readonly adopted: ReadonlyArray<RecordKey>
  /** Keys the server acknowledged in the final UpdateRecords. */
  readonly pushed: ReadonlyArray<RecordKey>
  /**
   * Keys whose UpdateRecords response was lost but whose write the next listing showed: our own
   * committed write, settled as a success.
   */
  readonly confirmedAfterLoss: ReadonlyArray<RecordKey>
  readonly conflicts: ReadonlyArray<ReportedConflict>
  /** Conflicts no strategy decided: their keys stay dirty and `lastSyncCount` stays put. */
  readonly unresolved: ReadonlyArray<Conflict>
  readonly regressions: ReadonlyArray<Regression>
  readonly retries: ReadonlyArray<Retry>
  /** The DatasetSyncCount the local state has caught up with, after the sync. */
  readonly lastSyncCount: SyncCount
  readonly mergedDatasetNames: ReadonlyArray<string>
  /** This sync's UpdateRecords created the dataset on the server. */
  readonly datasetCreated: boolean
  /** The dataset was deleted or reset on the server, and the policy purged or re-created it. */
  readonly datasetEvents: ReadonlyArray<{ readonly event: DatasetEvent; readonly policy: 'purgeLocal' | 'recreate' }>
}

/** The mutable side of one run; only `sync` holds one. @since 0.1.0 */
export interface Recorder {
  round: number
  readonly attempts: (operation: Operation, attempts: number) => void
  readonly retried: (retry: Omit<Retry, 'round'>) => void
  readonly listed: (count: number, merged: ReadonlyArray<string>) => void
  readonly reconciled: (reconciliation: Reconciliation) => void
  readonly pushed: (keys: ReadonlyArray<RecordKey>, created: boolean) => void
  readonly datasetEvent: (event: DatasetEvent, policy: 'purgeLocal' | 'recreate') => void
  readonly report: (lastSyncCount: SyncCount) => SyncReport
}

/** @since 0.1.0 */
export const recorder = (): Recorder => {
  const calls: Record<SyncOperation, number> = { ListRecords: 0, UpdateRecords: 0 }
  const adopted = new Set<RecordKey>()
  const confirmed = new Set<RecordKey>()
  const conflicts: Array<ReportedConflict> = []
  const retries: Array<Retry> = []
  const merged = new Set<string>()
  const events: Array<SyncReport['datasetEvents'][number]> = []
  let pulled = 0
  let pushed: ReadonlyArray<RecordKey> = []
  let created = false
  let last: Reconciliation | undefined
  const self: Recorder = {
    round: 1,
    attempts: (operation, attempts) => {
      if (operation !== 'DeleteDataset') calls[operation] += attempts
    },
    retried: (retry) => {
      retries.push({ round: self.round, ...retry })
    },
    listed: (count, names) => {
      pulled += count
      for (const name of names) merged.add(name)
    },
    reconciled: (reconciliation) => {
      last = reconciliation
      for (const remote of reconciliation.adopted) adopted.add(remote.Key)
      for (const key of reconciliation.confirmed) confirmed.add(key)
      for (const conflict of reconciliation.conflicts) conflicts.push({ round: self.round, ...conflict })
    },
    pushed: (keys, datasetCreated) => {
      pushed = keys
      created = datasetCreated
    },
    datasetEvent: (event, policy) => {
      events.push({ event, policy })
    },
    report: (lastSyncCount) => ({
      calls: { ...calls },
      rounds: self.round,
      pulled,
      adopted: [...adopted].sort(),
      pushed,
      confirmedAfterLoss: [...confirmed].sort(),
      conflicts,
      unresolved: last?.unresolved ?? [],
      regressions: last?.regressions ?? [],
      retries,
      lastSyncCount,
      mergedDatasetNames: [...merged].sort(),
      datasetCreated: created,
      datasetEvents: events,
    }),
  }
  return self
}
