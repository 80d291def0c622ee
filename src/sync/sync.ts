/**
 * `sync`: one call that syncs a dataset end to end. Step by step (docs/sync.md has the long form):
 * 1. validate the options and the local state (names, ids, keys, values, the 1024-record and 1 MB
 *    quotas) before any network call;
 * 2. ListRecords from the local `lastSyncCount`, every page;
 * 3. handle a deleted or reset dataset and merged datasets by the caller's policies;
 * 4. reconcile inside one store `modify`, so writes made meanwhile are reconciled, never lost, and
 *    store what was adopted;
 * 5. when there is something to push, UpdateRecords (one HTTP attempt) with the last page's
 *    SyncSessionToken, and apply the answer with compare-and-set (`applyUpdate`) in another `modify`;
 * 6. on a 409, an expired session, or a lost UpdateRecords response, go back to 2: the next listing
 *    shows what the server holds, our own committed write included, and nothing is resent blindly.
 *
 * Two syncs of the same dataset in the same store never interleave: they run one after the other.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { applyRejected, applyUpdate } from '../applyUpdate.js'
import type { NotAPromise } from '../NotAPromise.js'
import { type LocalState, dirtyRecords } from '../LocalRecord.js'
import type { RecordPatch } from '../RecordPatch.js'
import type { Reconciliation } from '../reconcile.js'
import { type SyncError, SyncFailedError } from './errors.js'
import type { Failure } from './failure.js'
import { type ListOutcome, type Listed, listFrom } from './listing.js'
import { queued } from './queue.js'
import { type DatasetPolicy, rebase } from './policy.js'
import { reconcileStored } from './reconcileStored.js'
import { updateRecords } from './remote.js'
import { type DatasetEvent, type SyncReport } from './report.js'
import { type Run, type SyncOptions, checkpoint, readChecked, retryAfter, spendRetry, start, unexpected } from './run.js'

// step 3: dataset-level policies

const gone = (run: Run, event: DatasetEvent, state: LocalState): SyncError => {
  const dirtyKeys = dirtyRecords(state).map((record) => record.key)
  const dirty = dirtyKeys.length === 0 ? 'no local edits' : `${dirtyKeys.length} local edit${dirtyKeys.length === 1 ? '' : 's'} (dirtyKeys)`
  return event === 'Deleted'
    ? {
        _tag: 'DatasetDeleted',
        lastSyncCount: state.lastSyncCount,
        dirtyKeys,
        message: `Dataset ${run.address.datasetName} was deleted on the server after sync count ${state.lastSyncCount}; ${dirty}. Sync with policies.onDatasetDeleted 'purgeLocal' to drop the local copy or 'recreate' to push it again`,
      }
    : {
        _tag: 'DatasetReset',
        lastSyncCount: state.lastSyncCount,
        dirtyKeys,
        message: `Dataset ${run.address.datasetName} on the server is behind this device's sync count ${state.lastSyncCount}; ${dirty}. Sync with policies.onDatasetReset 'purgeLocal' to take the server's copy or 'recreate' to push the local one again`,
      }
}

const datasetGone = (run: Run, event: DatasetEvent, state: LocalState): TE.TaskEither<SyncError, LocalState> => {
  const policy: DatasetPolicy = event === 'Deleted' ? run.policies.onDatasetDeleted : run.policies.onDatasetReset
  // Once per sync: a dataset that is gone again right after we rebased is not ours to fight over.
  if (policy === 'report' || run.rebased) return TE.left(gone(run, event, state))
  run.rebased = true
  run.recorder.datasetEvent(event, policy)
  return pipe(
    run.store.modify(run.address.datasetName, (current) => E.right([undefined, rebase(policy, run.clock())(current)] as const)),
    TE.chainW(() => nextRound(run)),
  )
}

// steps 4 to 6

const afterFailedUpdate = (run: Run, failure: Failure, sent: ReadonlyArray<RecordPatch>): TE.TaskEither<SyncError, LocalState> => {
  switch (failure._tag) {
    case 'Conflict': {
      // The server named the stale key; without a name, every key we sent may be it.
      for (const key of failure.keys.length > 0 ? failure.keys : sent.map((patch) => patch.Key)) run.conflictKeys.add(key)
      run.conflictRounds += 1
      if (run.conflictRounds >= run.limits.maxConflictRounds) {
        const keys = [...run.conflictKeys].sort()
        return TE.left({
          _tag: 'ConflictRoundsExhausted',
          rounds: run.conflictRounds,
          keys,
          ...failure.from,
          message: `UpdateRecords met a newer server version ${run.conflictRounds} times (keys: ${keys.join(', ')}); local changes stay dirty, sync again later`,
        })
      }
      // A 409 rejects the whole request: nothing we sent was committed, so what we sent is no longer in doubt.
      return pipe(
        run.store.modify(run.address.datasetName, (current) => E.right([undefined, applyRejected(sent)(current)] as const)),
        TE.chainW(() => retryAfter(run, 'UpdateRecords', 'Conflict', failure.message, run.conflictRounds - 1)),
        TE.chain(() => nextRound(run)),
      )
    }
    case 'SessionExpired':
      return pipe(
        spendRetry(run, 'UpdateRecords', 'SessionExpired', failure),
        TE.chain(() => nextRound(run)),
      )
    case 'Transient':
      // Indeterminate: the write may have committed. The next listing tells, so nothing is resent as it was.
      return pipe(
        spendRetry(run, 'UpdateRecords', failure.reason, failure),
        TE.chain(() => nextRound(run)),
      )
    default:
      return TE.left(unexpected('UpdateRecords', failure))
  }
}

const push = (run: Run, listed: Listed, reconciliation: Reconciliation): TE.TaskEither<SyncError, LocalState> =>
  pipe(
    updateRecords(run.address, run.calls)({
      deviceId: run.deviceId,
      syncSessionToken: listed.syncSessionToken,
      patches: reconciliation.patches,
      clientContext: run.clientContext,
    }),
    TE.matchEW(
      (failure) => afterFailedUpdate(run, failure, reconciliation.patches),
      (written) =>
        pipe(
          run.store.modify(run.address.datasetName, (current) => {
            const next = applyUpdate({ basis: reconciliation.next, listedSyncCount: listed.listing.datasetSyncCount, written })(current)
            return E.right([next, next] as const)
          }),
          TE.map((next) => {
            run.recorder.pushed(
              written.map((remote) => remote.Key),
              !listed.exists,
            )
            return next
          }),
        ),
    ),
  )

/**
 * Whether the state holds a version it had from the server: then a dataset the server does not have was
 * deleted, even at `lastSyncCount` 0 (a state imported from another client, which lists from 0 once).
 */
const holdsServerVersions = (state: LocalState): boolean => {
  for (const record of state.records.values()) if (record.server !== undefined) return true
  return false
}

const afterListing = (run: Run, state: LocalState, outcome: ListOutcome): TE.TaskEither<SyncError, LocalState> => {
  if (outcome._tag === 'NoSuchSyncCount') return datasetGone(run, 'Reset', state)
  const { listed } = outcome
  run.recorder.listed(listed.listing.records.length, listed.merged)
  if (listed.deletedAfter || (!listed.exists && (state.lastSyncCount > 0 || holdsServerVersions(state)))) return datasetGone(run, 'Deleted', state)
  if (listed.listing.datasetSyncCount < state.lastSyncCount) return datasetGone(run, 'Reset', state)
  if (listed.merged.length > 0 && run.policies.onMergedDatasets === 'fail')
    return TE.left({ _tag: 'MergedDatasetsFound', names: listed.merged, message: `Merged datasets found: ${listed.merged.join(', ')}` })
  return pipe(
    checkpoint(run),
    TE.chainW(() => reconcileStored(run.store, run.address.datasetName, run.strategy, listed.listing, run.clock())),
    TE.chainW(({ reconciliation }) => {
      run.recorder.reconciled(reconciliation)
      return reconciliation.mustPush ? push(run, listed, reconciliation) : TE.right(reconciliation.next)
    }),
  )
}

/** One round: read, list, reconcile, push. */
const round = (run: Run): TE.TaskEither<SyncError, LocalState> =>
  pipe(
    checkpoint(run),
    TE.chain(() => readChecked(run)),
    TE.chain((state) =>
      pipe(
        listFrom(run, state.lastSyncCount),
        TE.chain((outcome) => afterListing(run, state, outcome)),
      ),
    ),
  )

const nextRound = (run: Run): TE.TaskEither<SyncError, LocalState> =>
  pipe(
    TE.fromIO(() => {
      run.recorder.round += 1
    }),
    TE.chain(() => round(run)),
  )

// the entry points

/**
 * Syncs one dataset. The answer is the report, or a typed error; either way every local change the
 * server has not acknowledged is still dirty in the store.
 *
 * @example
 * import { sync, memoryStore } from 'cognito-reconcile/sync'
 * import { lastWriterWins } from 'cognito-reconcile/strategies'
 * import { CognitoSyncClient } from '@aws-sdk/client-cognito-sync'
 * import * as E from 'fp-ts/lib/Either.js'
 * const client = new CognitoSyncClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } })
 * // Invalid input fails before any network call.
 * const result = await sync({ client, identityPoolId: 'us-east-1:1', identityId: 'us-east-1:2', datasetName: 'no spaces', deviceId: 'd', store: memoryStore(), strategy: lastWriterWins })()
 * assert.ok(E.isLeft(result) && result.left._tag === 'InvalidInput' && result.left.what === 'dataset name')
 * client.destroy()
 *
 * @since 0.1.0
 */
export const sync = (options: SyncOptions): TE.TaskEither<SyncError, SyncReport> & NotAPromise =>
  queued(
    options,
    (cancel) => start(options, cancel),
    (run) =>
      pipe(
        round(run),
        TE.map((state) => run.recorder.report(state.lastSyncCount)),
      ),
  )

/**
 * `sync` for code that does not use fp-ts: resolves with the report, rejects with a
 * `SyncFailedError` whose `error` is the typed `SyncError`.
 *
 * @example
 * import { SyncFailedError, memoryStore, syncPromise } from 'cognito-reconcile/sync'
 * import { lastWriterWins } from 'cognito-reconcile/strategies'
 * import { CognitoSyncClient } from '@aws-sdk/client-cognito-sync'
 * const client = new CognitoSyncClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } })
 * const failure = await syncPromise({ client, identityPoolId: 'us-east-1:1', identityId: 'us-east-1:2', datasetName: 'game', deviceId: '', store: memoryStore(), strategy: lastWriterWins }).catch((e) => e)
 * assert.ok(failure instanceof SyncFailedError && failure.error._tag === 'InvalidInput' && failure.error.what === 'device id')
 * client.destroy()
 *
 * @since 0.1.0
 */
export const syncPromise = async (options: SyncOptions): Promise<SyncReport> => {
  const result = await sync(options)()
  if (E.isLeft(result)) throw new SyncFailedError(result.left)
  return result.right
}
