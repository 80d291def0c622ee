/**
 * Where a device keeps its datasets. One small interface with atomic read-modify-writes, over whole
 * states (for the sync) and over records (for the app's writes), so the sync adapter and the app's own
 * writes can never interleave inside one step: each sees what the previous one left and either commits
 * its whole result or nothing.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { DatasetName, RecordKey, SyncCount } from '../codecs.js'
import type { LocalRecord, LocalState } from '../LocalRecord.js'
import type { CrossContextLock } from './crossContextLock.js'
import type { Usage } from './limits.js'

/**
 * The store itself failed (a database error, a corrupt row). Nothing was written.
 *
 * @since 0.1.0
 */
export interface StoreFailed {
  readonly _tag: 'StoreFailed'
  readonly message: string
  readonly cause: unknown
}

/**
 * What a dataset keeps beside its records, read and written by every record-level write: the
 * DatasetSyncCount it last caught up with, and its running totals against the service's quotas.
 *
 * @since 0.2.0
 */
export interface DatasetHeader {
  readonly lastSyncCount: SyncCount
  /** Always `usage` of the dataset's records: kept from each change, never by counting them all. */
  readonly usage: Usage
}

/**
 * Some records of one dataset and its header, as of one moment: `records` holds the records of the
 * keys asked for that exist, and no others.
 *
 * @since 0.2.0
 */
export interface RecordSlice {
  readonly header: DatasetHeader
  readonly records: ReadonlyMap<string, LocalRecord>
}

/**
 * Where a device keeps its datasets. Two levels over the same data:
 * - whole states, `read` and `modify`, for the sync, which reconciles a whole dataset;
 * - records, `readRecords` and `modifyRecords`, for the app's writes, which read and write only the
 *   records of the keys they touch and the dataset's header, so their cost does not grow with the
 *   dataset.
 *
 * Laws, for every implementation (`checkStore` of `cognito-reconcile/testkit` checks them):
 * 1. `read` of a dataset never written is `emptyState`; `readRecords` of it has no records and the
 *    header `{ lastSyncCount: 0, usage: { records: 0, bytes: 0 } }`.
 * 2. `modify(d, f)` runs `f` on the current state; on `right([a, next])` it stores `next` and answers
 *    `a`, on `left(e)` (or a throw, as `StoreFailed`) it stores nothing and answers `e`.
 * 3. `modifyRecords(d, keys, f)` runs `f` on the slice of `keys`; on `right([a, changed])` it does
 *    exactly what `modify` would do with `setRecord` of each changed record in order (a record with
 *    neither a server version nor a pending edit removes its key) and answers `a`; on `left` or a throw
 *    it stores nothing. A changed record whose key is not in `keys` is refused with `StoreFailed`, and
 *    nothing is stored. It never changes `lastSyncCount`.
 * 4. The slice agrees with the state: `readRecords(d, keys)` gives `read(d)`'s records of `keys` and
 *    its `lastSyncCount`, and its `header.usage` always equals `usage(read(d))`, whichever level wrote.
 * 5. Every `modify` and `modifyRecords` of one dataset is atomic and serialised: concurrent calls behave
 *    as if one ran after the other, none is lost, and a reader never sees half of one.
 * 6. A state handed out never changes afterwards: later writes build new states.
 * 7. Two stores over the same data (two connections, two tabs) see each other's writes: what one
 *    wrote, the next read through the other reads, and concurrent writes through both lose nothing.
 *
 * `f` is synchronous and is the whole critical section: a durable store runs it inside one transaction.
 *
 * @since 0.1.0
 */
export interface LocalStore {
  readonly read: (dataset: DatasetName) => TE.TaskEither<StoreFailed, LocalState>
  readonly modify: <E, A>(
    dataset: DatasetName,
    f: (state: LocalState) => E.Either<E, readonly [A, LocalState]>,
  ) => TE.TaskEither<E | StoreFailed, A>
  /** The records of `keys` (those that exist) and the header, in one snapshot. */
  readonly readRecords: (dataset: DatasetName, keys: ReadonlyArray<RecordKey>) => TE.TaskEither<StoreFailed, RecordSlice>
  /** Changes records of `keys` in one atomic step, updating the header's totals from the old and new records. */
  readonly modifyRecords: <E, A>(
    dataset: DatasetName,
    keys: ReadonlyArray<RecordKey>,
    f: (slice: RecordSlice) => E.Either<E, readonly [A, ReadonlyArray<LocalRecord>]>,
  ) => TE.TaskEither<E | StoreFailed, A>
  /** The datasets that hold any record. */
  readonly datasets: () => TE.TaskEither<StoreFailed, ReadonlyArray<DatasetName>>
  /**
   * For a store whose data other contexts share (the tabs of one origin): a lock that every context
   * takes, under the dataset's name, around a whole sync of that dataset, so that two tabs never
   * interleave a sync. The sync adapter (and so the app's API) takes it when the store has one.
   */
  readonly syncLock?: CrossContextLock
}

/**
 * A `StoreFailed` with its cause kept for the caller's logs.
 *
 * @example
 * import { storeFailed } from 'cognito-reconcile/stores'
 * const cause = new Error('disk full')
 * assert.deepStrictEqual(storeFailed('could not write', cause), { _tag: 'StoreFailed', message: 'could not write', cause })
 *
 * @since 0.1.0
 */
export const storeFailed = (message: string, cause: unknown): StoreFailed => ({ _tag: 'StoreFailed', message, cause })

/**
 * Runs a `modify` (or `modifyRecords`) function on its input, turning a throw into a `StoreFailed` so
 * that a store's `TaskEither` never rejects; like a `left`, a throw stores nothing. For your own
 * `LocalStore`.
 *
 * @example
 * import { applyModify } from 'cognito-reconcile/stores'
 * import { emptyState } from 'cognito-reconcile'
 * // a function that only throws: say that it never answers a `left` (`never`), or `Err` is `unknown`
 * const failed = applyModify<typeof emptyState, never, never>(() => { throw new Error('bug') }, emptyState)
 * assert.ok(failed._tag === 'Left' && failed.left._tag === 'StoreFailed')
 *
 * @since 0.1.0
 */
export const applyModify = <S, Err, R>(f: (input: S) => E.Either<Err, R>, input: S): E.Either<Err | StoreFailed, R> => {
  try {
    return f(input)
  } catch (cause) {
    return E.left(storeFailed('the modify function threw', cause))
  }
}
