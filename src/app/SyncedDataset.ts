/**
 * One dataset of a `SyncManager`, as Promises of plain values: `get` resolves with a `string` or
 * `undefined`, `list` with an array of `{ key, value }`, `sync` with the report. Each method runs when
 * called (unlike the fp-ts `TaskEither`s, nothing waits for a trailing `()`), and every failure rejects
 * with a `SyncFailedError` whose `name` is the kind and whose `error` is the typed `SyncError`.
 *
 * Reads and writes touch only the local store, offline; `sync` and `delete` are the methods that call
 * the service. Every method reads or writes the store when called, never a cached copy.
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { LocalState } from '../LocalRecord.js'
import { invalidInput } from '../sync/errors.js'
import { openDataset } from '../stores/index.js'
import { type DeleteReport, type Policies, type SyncError, type SyncOptions, type SyncReport, deleteDataset, sync } from '../sync/index.js'
import { fail, runLocal } from './errors.js'

/**
 * What one `sync` call may add to what the manager binds.
 *
 * @since 0.2.0
 */
export interface SyncCallOptions {
  /** This sync's policies, over the manager's: `{ onDatasetDeleted: 'recreate' }` after asking the user. */
  readonly policies?: Partial<Policies>
  /**
   * Stops the sync (the app goes to the background, the user leaves the screen): the call in flight is
   * cut off and the sync rejects with `Aborted`, losing nothing: every unacknowledged change stays pending.
   */
  readonly signal?: AbortSignal
  /** A deadline for this whole sync, retries included, in ms, over the manager's: past it, the sync rejects with `DeadlineExceeded`. */
  readonly timeoutMs?: number
}

/**
 * What one `delete` call may add to what the manager binds: the `signal` that stops it and its
 * deadline, as for a sync.
 *
 * @example
 * import type { DeleteCallOptions } from 'cognito-reconcile/app'
 * const options: DeleteCallOptions = { signal: AbortSignal.timeout(10_000), timeoutMs: 5_000 }
 * assert.strictEqual(options.timeoutMs, 5_000)
 *
 * @since 0.2.0
 */
export type DeleteCallOptions = Pick<SyncCallOptions, 'signal' | 'timeoutMs'>

/**
 * A live record: its key and the value the app sees.
 *
 * @since 0.2.0
 */
export interface DatasetEntry {
  readonly key: string
  readonly value: string
}

/**
 * One dataset, bound to its manager's store, identity, device and strategy.
 *
 * @since 0.2.0
 */
export interface SyncedDataset {
  /** The validated dataset name. */
  readonly name: string
  /** The value the app sees under `key`: its pending edit, else the server's; `undefined` if deleted or unknown. */
  readonly get: (key: string) => Promise<string | undefined>
  /** Sets `key` to `value` as a pending edit, pushed at the next sync. Rejects with `LimitExceeded` past the service's quotas. */
  readonly put: (key: string, value: string) => Promise<void>
  /** Deletes `key` as a pending delete, pushed at the next sync. */
  readonly remove: (key: string) => Promise<void>
  /**
   * Many writes in one atomic step: each entry puts its value, or removes its key for `null`, in
   * order. All or nothing: one bad key or value, or a result over the quotas, writes none of them.
   * Takes an object (`{ coins: '100', gems: null }`) or pairs (`[['coins', '100']]`, a `Map`).
   */
  readonly putAll: (entries: Readonly<Record<string, string | null>> | Iterable<readonly [key: string, value: string | null]>) => Promise<void>
  /** The live records, in key order. */
  readonly list: () => Promise<Array<DatasetEntry>>
  /** The keys with a change the service has not acknowledged yet (deletes included), in key order: "not synced" markers. */
  readonly pendingKeys: () => Promise<Array<string>>
  /** Whether `key` has a change the service has not acknowledged yet. */
  readonly isPending: (key: string) => Promise<boolean>
  /** The whole local state, pending edits and server versions included. */
  readonly state: () => Promise<LocalState>
  /**
   * Adds `by` (an integer, negative to take away) to the counter under `key`, in this device's slot,
   * as a pending edit. Merge the key with the `counter` strategy: increments made offline on every
   * device all survive. Rejects with `InvalidInput` if the key holds something other than a counter.
   */
  readonly increment: (key: string, by: number) => Promise<void>
  /** The total of the counter under `key`, pending increments included; 0 if never written. */
  readonly readCounter: (key: string) => Promise<number>
  /** Syncs this dataset with the service; resolves with what the sync did. */
  readonly sync: (options?: SyncCallOptions) => Promise<SyncReport>
  /**
   * Deletes this dataset on the service ("reset my data", account deletion), then its local copy, by
   * the rule of `deleteDataset` (docs/app.md): it waits for a sync of the dataset in flight; on
   * success, or if the service had no such dataset, the local records, pending edits and sync count
   * are cleared, but what the app set while the delete was in flight stays pending, for the next sync
   * to push into a fresh dataset. On any failure it rejects with a typed error and nothing local
   * changes. Other devices get `DatasetDeleted` at their next sync.
   */
  readonly delete: (options?: DeleteCallOptions) => Promise<DeleteReport>
}

/** What a dataset needs of its manager: a sync's options but the dataset name, with the clock set. @internal */
export type Bound = Omit<SyncOptions, 'datasetName' | 'signal'> & { readonly clock: () => Date }

/** Resolves with the task's `Right`, rejects with its `Left` as a `SyncFailedError`. */
const settle = async <A>(task: TE.TaskEither<SyncError, A>): Promise<A> => {
  const result = await task()
  return E.isLeft(result) ? fail(result.left) : result.right
}

const isIterable = (u: object): u is Iterable<readonly [string, string | null]> => Symbol.iterator in u

/** Opens the dataset `name` for `bound`; throws an `InvalidInput` `SyncFailedError` for a bad name. @internal */
export const syncedDataset = (bound: Bound, name: string): SyncedDataset => {
  const opened = openDataset(bound.store, name, { clock: bound.clock, ...(bound.keyRule && { keyRule: bound.keyRule }) })
  if (E.isLeft(opened)) return fail(invalidInput(opened.left))
  const dataset = opened.right
  return {
    name: dataset.name,
    get: (key) => runLocal(pipe(dataset.get(key), TE.map(O.toUndefined))),
    put: (key, value) => runLocal(dataset.put(key, value)),
    remove: (key) => runLocal(dataset.remove(key)),
    putAll: (entries) => runLocal(dataset.putAll(isIterable(entries) ? entries : Object.entries(entries))),
    list: () => runLocal(pipe(dataset.list(), TE.map((entries) => entries.map(({ key, value }) => ({ key, value }))))),
    pendingKeys: () => runLocal(pipe(dataset.pendingKeys(), TE.map((keys) => [...keys]))),
    isPending: (key) => runLocal(dataset.isPending(key)),
    state: () => runLocal(dataset.state()),
    increment: (key, by) => runLocal(dataset.increment(key, by, bound.deviceId)),
    readCounter: (key) => runLocal(dataset.readCounter(key)),
    sync: ({ policies, ...call } = {}) => settle(sync({ ...bound, ...call, datasetName: dataset.name, policies: { ...bound.policies, ...policies } })),
    delete: (call = {}) => settle(deleteDataset({ ...bound, ...call, datasetName: dataset.name })),
  }
}
