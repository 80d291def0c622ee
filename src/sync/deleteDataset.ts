/**
 * `deleteDataset`: deletes a dataset on the service (DeleteDataset), for "reset my data" and account
 * deletion, and then the local copy, by one rule:
 *
 * 1. The delete takes its turn in the dataset's queue, as a sync does: it starts once every sync or
 *    delete of the dataset queued before it (in the same store) has settled, and no sync starts until
 *    it has settled. When its turn comes, it notes the local state.
 * 2. It calls DeleteDataset, retrying throttling, server and network errors within the retry budget.
 *    `ResourceNotFoundException` counts as done: the dataset was never pushed, or is deleted already.
 * 3. Once the service has deleted it (or had none), one atomic store step clears the local copy:
 *    every record, server version and pending edit the noted state held goes, and the sync count
 *    goes back to 0. What the app wrote while DeleteDataset was in flight, after the state was noted,
 *    stays: each key it set is a pending edit of a fresh dataset (based on no server version), which
 *    the next sync pushes, re-creating the dataset. A key it removed meanwhile needs nothing: it is gone.
 *    Writes made while the delete still waited for its turn were noted, and are cleared with the rest.
 * 4. On any failure, nothing local changes. A failure or an abort after the request left may still
 *    have deleted the dataset on the service: delete again (deleting is idempotent), or the next sync
 *    reports `DatasetDeleted`.
 *
 * Other devices learn of the delete at their next sync, as `DatasetDeleted` (with their `dirtyKeys`)
 * or by their `onDatasetDeleted` policy.
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { SyncCount } from '../codecs.js'
import { type LocalRecord, type LocalState, type PendingEdit, compareKeys, stateOf } from '../LocalRecord.js'
import type { NotAPromise } from '../NotAPromise.js'
import type { LocalStore } from '../stores/LocalStore.js'
import type { Cancel, CancelledTask } from './cancel.js'
import type { ResponseMetadata, SyncError } from './errors.js'
import type { Failure } from './failure.js'
import { type SyncStore, guardedStore } from './guardedStore.js'
import { queued } from './queue.js'
import { type CallContext, type DatasetAddress, deleteDatasetCall } from './remote.js'
import type { Retry } from './report.js'
import { type AddressOptions, type Retrying, type SyncLimits, decodeAddress, defaultSyncLimits, spendRetry, unexpected } from './run.js'

/**
 * What `deleteDataset` takes: the dataset's address and the store of its local copy, and, as a sync
 * takes them, `signal`, `timeoutMs` (from `AddressOptions`) and the retry budget and backoff.
 *
 * @example
 * import type { DeleteOptions } from 'cognito-reconcile/sync'
 * import { memoryStore } from 'cognito-reconcile/sync'
 * import { CognitoSyncClient } from '@aws-sdk/client-cognito-sync'
 * const client = new CognitoSyncClient({ region: 'us-east-1' })
 * const options: DeleteOptions = {
 *   client,
 *   identityPoolId: 'us-east-1:11111111-1111-1111-1111-111111111111',
 *   identityId: 'us-east-1:aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa',
 *   datasetName: 'game',
 *   store: memoryStore(),
 *   timeoutMs: 10_000,
 *   limits: { maxRetries: 3 },
 * }
 * assert.strictEqual(options.datasetName, 'game')
 * client.destroy()
 *
 * @since 0.2.0
 */
export interface DeleteOptions extends AddressOptions {
  readonly store: LocalStore
  /** Stops the delete as it stops a sync: it fails with `Aborted`, and nothing local changes. */
  readonly signal?: AbortSignal
  /** The backoff jitter; `Math.random` by default. */
  readonly random?: () => number
  /** The retry budget and backoff (`SyncLimits`' defaults: 8 retries, 100 ms doubling to 5 s). */
  readonly limits?: Partial<Pick<SyncLimits, 'maxRetries' | 'backoffBaseMs' | 'backoffMaxMs'>>
}

/**
 * What a delete did.
 *
 * @example
 * import type { DeleteReport } from 'cognito-reconcile/sync'
 * const report: DeleteReport = { deletedOnService: true, cleared: ['coins'], kept: [], attempts: 1, retries: [], $metadata: { httpStatusCode: 200 } }
 * assert.ok(report.deletedOnService)
 *
 * @since 0.2.0
 */
export interface DeleteReport {
  /** `false` when the service had no such dataset (ResourceNotFound): never pushed, or deleted already. */
  readonly deletedOnService: boolean
  /** The keys of the local records cleared (values, deletes and pending edits alike), in key order. */
  readonly cleared: ReadonlyArray<string>
  /** The keys the app set while DeleteDataset was in flight, kept as pending edits of a fresh dataset. */
  readonly kept: ReadonlyArray<string>
  /** HTTP attempts of DeleteDataset, the SDK's own retries included. */
  readonly attempts: number
  /** The adapter's own retries (`round` is always 1). */
  readonly retries: ReadonlyArray<Retry>
  /** The metadata of the answer that settled it: its `requestId` is the one to quote to AWS support. */
  readonly $metadata: ResponseMetadata
}

/** A delete in progress. */
interface Deletion extends Retrying {
  readonly address: DatasetAddress
  readonly store: SyncStore
  readonly calls: CallContext
  readonly log: Array<Retry>
  attempts: number
}

const aDelete: CancelledTask = {
  name: 'The delete',
  afterwards: 'Nothing local changed. If the request reached the service, the dataset may be deleted there already: delete again (deleting twice is harmless)',
}

const start = (options: DeleteOptions, cancel: Cancel): E.Either<SyncError, Deletion> =>
  pipe(
    decodeAddress(options),
    E.map((address) => {
      const limits = { ...defaultSyncLimits, ...options.limits }
      const log: Array<Retry> = []
      const deletion: Deletion = {
        address,
        store: guardedStore(options.store),
        cancel,
        calls: {
          onAttempts: (_, attempts) => {
            deletion.attempts += attempts
          },
          cancel,
        },
        limits,
        backoff: { baseMs: limits.backoffBaseMs, maxMs: limits.backoffMaxMs, random: options.random ?? Math.random },
        recorder: { retried: (retry) => log.push({ round: 1, ...retry }) },
        log,
        retries: 0,
        attempts: 0,
      }
      return deletion
    }),
  )

const samePending = (a: PendingEdit | undefined, b: PendingEdit | undefined): boolean =>
  a === b || (a !== undefined && b !== undefined && a.content === b.content && a.deviceLastModifiedDate.getTime() === b.deviceLastModifiedDate.getTime())

/**
 * The local state once the dataset is deleted on the service, from the state `noted` when the delete
 * started and the `current` one: empty, with sync count 0, but for each key the app set since `noted`
 * (its pending edit is not the one noted; every local write stamps a newer date), kept as a pending
 * edit based on no server version. Laws: `afterDelete(s)(s)` has no records and sync count 0; the kept
 * records are exactly the live values written since `noted`.
 *
 * @example
 * import { afterDelete } from 'cognito-reconcile/sync'
 * import { put, stateOf } from 'cognito-reconcile'
 * import * as E from 'fp-ts/lib/Either.js'
 * const noted = stateOf([{ key: 'coins', server: { content: '100', syncCount: 3 } }], 3)
 * assert.deepStrictEqual(afterDelete(noted)(noted), stateOf([], 0))
 * // the app set 'gems' while DeleteDataset was in flight
 * const current = put('gems', '5', new Date(7))(noted)
 * assert.ok(E.isRight(current))
 * if (E.isRight(current)) {
 *   const after = afterDelete(noted)(current.right)
 *   assert.strictEqual(after.lastSyncCount, 0)
 *   assert.deepStrictEqual([...after.records.values()], [{ key: 'gems', pending: { content: '5', deviceLastModifiedDate: new Date(7) } }])
 * }
 *
 * @since 0.2.0
 */
export const afterDelete =
  (noted: LocalState) =>
  (current: LocalState): LocalState =>
    stateOf(
      Array.from(current.records.values()).flatMap((record): ReadonlyArray<LocalRecord> => {
        const pending = record.pending
        if (pending === undefined || pending.content === null || samePending(pending, noted.records.get(record.key)?.pending)) return []
        return [{ key: record.key, pending: { content: pending.content, deviceLastModifiedDate: pending.deviceLastModifiedDate } }]
      }),
      0 as SyncCount,
    )

/** The metadata of a ResourceNotFound answer, if `failure` is one. */
const notFound = (failure: Failure): ResponseMetadata | undefined =>
  failure._tag === 'Fatal' && failure.error._tag === 'ServiceFailed' && failure.error.exception === 'ResourceNotFoundException' ? failure.error.$metadata : undefined

/** DeleteDataset until it is settled: deleted, not found, or failed for good. */
const deleteOnService = (run: Deletion): TE.TaskEither<SyncError, { readonly deletedOnService: boolean; readonly $metadata: ResponseMetadata }> =>
  pipe(
    deleteDatasetCall(run.address, run.calls),
    TE.matchEW(
      (failure) => {
        const missing = notFound(failure)
        if (missing !== undefined) return TE.right({ deletedOnService: false, $metadata: missing })
        // a 409: the dataset was being written; deleting it again is what was asked
        if (failure._tag === 'Transient' || failure._tag === 'Conflict')
          return pipe(
            spendRetry(run, 'DeleteDataset', failure._tag === 'Conflict' ? 'Conflict' : failure.reason, failure),
            TE.chain(() => deleteOnService(run)),
          )
        return TE.left(unexpected('DeleteDataset', failure))
      },
      ({ $metadata }) => TE.right({ deletedOnService: true, $metadata }),
    ),
  )

const keysOf = (state: LocalState): ReadonlyArray<string> => [...state.records.keys()].sort(compareKeys)

const deleting = (run: Deletion): TE.TaskEither<SyncError, DeleteReport> =>
  pipe(
    run.store.read(run.address.datasetName),
    TE.chainW((noted) =>
      pipe(
        deleteOnService(run),
        // Once the service has answered, the local step runs, even if the signal fired meanwhile: the
        // local copy must follow what the service did.
        TE.chainW((deleted) =>
          run.store.modify(run.address.datasetName, (current) => {
            const next = afterDelete(noted)(current)
            const kept = keysOf(next)
            const report: DeleteReport = {
              ...deleted,
              cleared: keysOf(current).filter((key) => !next.records.has(key)),
              kept,
              attempts: run.attempts,
              retries: run.log,
            }
            return E.right([report, next] as const)
          }),
        ),
      ),
    ),
  )

/**
 * Deletes the dataset on the service, then clears its local copy by the rule above: everything the
 * store held when the delete's turn came goes, what the app set while DeleteDataset was in flight
 * stays as pending edits of a fresh dataset; on a failure nothing local changes. Errors are typed as a
 * sync's (`InvalidInput` before any call, `NotAuthorized`, `RetriesExhausted`, `Aborted`, ...).
 *
 * @example
 * import { deleteDataset, memoryStore, openDataset, sync } from 'cognito-reconcile/sync'
 * import { startEmulator } from 'cognito-reconcile/emulator'
 * import { lastWriterWins } from 'cognito-reconcile/strategies'
 * import { CognitoSyncClient } from '@aws-sdk/client-cognito-sync'
 * import * as E from 'fp-ts/lib/Either.js'
 * const emulator = await startEmulator()
 * const client = new CognitoSyncClient({ region: 'us-east-1', endpoint: emulator.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } })
 * const store = memoryStore()
 * const address = {
 *   client,
 *   identityPoolId: 'us-east-1:11111111-1111-1111-1111-111111111111',
 *   identityId: 'us-east-1:aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa',
 *   datasetName: 'game',
 * }
 * const game = openDataset(store, 'game')
 * if (E.isLeft(game)) throw new Error(game.left.message)
 * await game.right.put('coins', '100')()
 * await sync({ ...address, store, deviceId: 'phone', strategy: lastWriterWins })()
 *
 * const deleted = await deleteDataset({ ...address, store })()
 * assert.ok(E.isRight(deleted) && deleted.right.deletedOnService)
 * assert.deepStrictEqual(deleted.right.cleared, ['coins'])
 * assert.deepStrictEqual(await game.right.list()(), E.right([]))
 *
 * // Deleting again is harmless: the service has no such dataset any more.
 * const again = await deleteDataset({ ...address, store })()
 * assert.ok(E.isRight(again) && !again.right.deletedOnService)
 * client.destroy()
 * await emulator.close()
 *
 * @since 0.2.0
 */
export const deleteDataset = (options: DeleteOptions): TE.TaskEither<SyncError, DeleteReport> & NotAPromise =>
  queued({ ...options, task: aDelete }, (cancel) => start(options, cancel), deleting)
