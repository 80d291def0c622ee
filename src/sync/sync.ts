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
import type { CognitoSyncClient } from '@aws-sdk/client-cognito-sync'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type * as t from 'io-ts'
import { applyUpdate } from '../applyUpdate.js'
import { DatasetName, DeviceId, IdentityId, type SyncCount } from '../codecs.js'
import { decodeErrorFrom, decodeWith } from '../DecodeError.js'
import { type LocalState, LocalStateJson, dirtyRecords } from '../LocalRecord.js'
import type { RecordPatch } from '../RecordPatch.js'
import type { Reconciliation } from '../reconcile.js'
import type { Listing } from '../RemoteRecord.js'
import type { Strategy } from '../Strategy.js'
import { type Operation, type SyncError, SyncFailedError, invalidInput, malformedResponse } from './errors.js'
import type { Failure } from './failure.js'
import { checkLimits } from './limits.js'
import type { LocalStore } from './LocalStore.js'
import { type KeyedMutex, keyedMutex } from './mutex.js'
import { type DatasetPolicy, type Policies, defaultPolicies, rebase } from './policy.js'
import { reconcileStored } from './reconcileStored.js'
import { type DatasetAddress, type ListRecordsPage, type PageRequest, listPage, updateRecords } from './remote.js'
import { type DatasetEvent, type Recorder, type RetryReason, type SyncReport, recorder } from './report.js'
import { type Backoff, backoffDelay, sleep } from './retry.js'

/** @since 0.1.0 */
export interface SyncLimits {
  /** UpdateRecords attempts that may meet a 409 before the sync gives up; 5. */
  readonly maxConflictRounds: number
  /** Retries after throttling, server errors, network errors and expired sessions, per sync; 8. */
  readonly maxRetries: number
  /** The first retry waits up to this long, doubling each retry; 100 ms. */
  readonly backoffBaseMs: number
  /** No retry waits longer; 5000 ms. */
  readonly backoffMaxMs: number
  /** ListRecords `MaxResults`; 1024, as the official clients. */
  readonly pageSize: number
}

/** @since 0.1.0 */
export const defaultSyncLimits: SyncLimits = { maxConflictRounds: 5, maxRetries: 8, backoffBaseMs: 100, backoffMaxMs: 5000, pageSize: 1024 }

/** @since 0.1.0 */
export interface SyncOptions {
  /** Configured by the caller: region, credentials, endpoint, retries (UpdateRecords ignores the latter). */
  readonly client: CognitoSyncClient
  readonly identityPoolId: string
  readonly identityId: string
  readonly datasetName: string
  /** Sent with UpdateRecords; 1–256 characters. */
  readonly deviceId: string
  readonly store: LocalStore
  readonly strategy: Strategy
  /** Stamps content a strategy writes; `() => new Date()` by default. */
  readonly clock?: () => Date
  /** The backoff jitter; `Math.random` by default. */
  readonly random?: () => number
  readonly limits?: Partial<SyncLimits>
  readonly policies?: Partial<Policies>
}

interface Run {
  readonly address: DatasetAddress
  readonly deviceId: DeviceId
  readonly store: LocalStore
  readonly strategy: Strategy
  readonly clock: () => Date
  readonly limits: SyncLimits
  readonly policies: Policies
  readonly backoff: Backoff
  readonly recorder: Recorder
  readonly conflictKeys: Set<string>
  retries: number
  conflictRounds: number
  rebased: boolean
}

/** What a full listing says: the folded records and the dataset-level facts of its pages. */
interface Listed {
  readonly listing: Listing
  readonly syncSessionToken: string
  readonly exists: boolean
  readonly deletedAfter: boolean
  readonly merged: ReadonlyArray<string>
}

// step 1: validation

const decodeOption =
  <A, O>(codec: t.Type<A, O, unknown>, what: string) =>
  (input: string): E.Either<SyncError, A> =>
    pipe(decodeWith(codec, what)(input), E.mapLeft(invalidInput))

const start = (options: SyncOptions): E.Either<SyncError, Run> =>
  pipe(
    E.Do,
    E.apS('identityPoolId', decodeOption(IdentityId, 'identity pool id')(options.identityPoolId)),
    E.apS('identityId', decodeOption(IdentityId, 'identity id')(options.identityId)),
    E.apS('datasetName', decodeOption(DatasetName, 'dataset name')(options.datasetName)),
    E.apS('deviceId', decodeOption(DeviceId, 'device id')(options.deviceId)),
    E.map(({ identityPoolId, identityId, datasetName, deviceId }) => {
      const limits = { ...defaultSyncLimits, ...options.limits }
      return {
        address: { client: options.client, identityPoolId, identityId, datasetName },
        deviceId,
        store: options.store,
        strategy: options.strategy,
        clock: options.clock ?? (() => new Date()),
        limits,
        policies: { ...defaultPolicies, ...options.policies },
        backoff: { baseMs: limits.backoffBaseMs, maxMs: limits.backoffMaxMs, random: options.random ?? Math.random },
        recorder: recorder(),
        conflictKeys: new Set(),
        retries: 0,
        conflictRounds: 0,
        rebased: false,
      }
    }),
  )

/** The stored state, checked as the service would check it: a store is user code too. */
const readChecked = (run: Run): TE.TaskEither<SyncError, LocalState> =>
  pipe(
    run.store.read(run.address.datasetName),
    TE.chainEitherKW((state) =>
      pipe(
        LocalStateJson.decode(LocalStateJson.encode(state)),
        E.bimap((errors) => invalidInput(decodeErrorFrom('local state', errors)), () => state),
        E.chainW(checkLimits),
      ),
    ),
  )

// retries

const retryAfter = (run: Run, operation: Operation, reason: RetryReason, message: string, retry: number): TE.TaskEither<never, void> => {
  const delayMs = backoffDelay(run.backoff, retry)
  run.recorder.retried({ operation, reason, message, delayMs })
  return TE.fromTask(sleep(delayMs))
}

/** Spends one retry of the budget, waiting the backoff; fails once the budget is spent. */
const spendRetry = (run: Run, operation: Operation, reason: RetryReason, message: string): TE.TaskEither<SyncError, void> => {
  if (run.retries >= run.limits.maxRetries)
    return TE.left({ _tag: 'RetriesExhausted', operation, attempts: run.retries + 1, message: `${operation} failed ${run.retries + 1} times; last: ${message}` })
  run.retries += 1
  return retryAfter(run, operation, reason, message, run.retries - 1)
}

/** A failure the step it came from has no use for: a fatal error, or something the service should not say there. */
const unexpected = (operation: Operation, failure: Failure): SyncError =>
  failure._tag === 'Fatal' ? failure.error : { _tag: 'ServiceFailed', operation, exception: failure._tag, message: `${operation}: ${failure.message}` }

// step 2: listing

type ListOutcome = { readonly _tag: 'Listed'; readonly listed: Listed } | { readonly _tag: 'NoSuchSyncCount' }

/**
 * Folds the pages. The high-water mark is the lowest DatasetSyncCount of any page: a write that lands
 * between two pages may sort before the cursor and be missed, and listing from the first page's count
 * next time brings it.
 */
const fold = (pages: ReadonlyArray<ListRecordsPage>, last: ListRecordsPage): Listed => ({
  listing: {
    records: pages.flatMap((page) => page.Records ?? []),
    datasetSyncCount: Math.min(...pages.map((page) => page.DatasetSyncCount)) as SyncCount,
  },
  syncSessionToken: last.SyncSessionToken,
  exists: last.DatasetExists !== false,
  deletedAfter: pages.some((page) => page.DatasetDeletedAfterRequestedSyncCount === true),
  merged: [...new Set(pages.flatMap((page) => page.MergedDatasetNames ?? []))],
})

const listFrom = (run: Run, lastSyncCount: SyncCount): TE.TaskEither<SyncError, ListOutcome> => {
  const page = listPage(run.address, run.recorder.attempts)
  const next = (request: PageRequest, pages: ReadonlyArray<ListRecordsPage>): TE.TaskEither<SyncError, ListOutcome> =>
    pipe(
      page(request),
      TE.matchEW(
        (failure) => {
          if (failure._tag === 'NoSuchSyncCount') return TE.right({ _tag: 'NoSuchSyncCount' } as const)
          if (failure._tag !== 'Transient') return TE.left(unexpected('ListRecords', failure))
          return pipe(
            spendRetry(run, 'ListRecords', failure.reason, failure.message),
            TE.chain(() => next(request, pages)),
          )
        },
        (answer) => {
          const all = [...pages, answer]
          // A cursor that does not move would page for ever.
          if (answer.NextToken !== undefined && answer.NextToken === request.nextToken)
            return TE.left(malformedResponse('ListRecords', [], `NextToken ${answer.NextToken} repeats the one asked for`))
          return answer.NextToken === undefined
            ? TE.right({ _tag: 'Listed', listed: fold(all, answer) } as const)
            : next({ lastSyncCount, pageSize: run.limits.pageSize, nextToken: answer.NextToken, syncSessionToken: answer.SyncSessionToken }, all)
        },
      ),
    )
  return next({ lastSyncCount, pageSize: run.limits.pageSize }, [])
}

// step 3: dataset-level policies

const gone = (run: Run, event: DatasetEvent, state: LocalState): SyncError =>
  event === 'Deleted'
    ? {
        _tag: 'DatasetDeleted',
        lastSyncCount: state.lastSyncCount,
        dirtyKeys: dirtyRecords(state).map((record) => record.key),
        message: `Dataset ${run.address.datasetName} was deleted on the server after sync count ${state.lastSyncCount}`,
      }
    : {
        _tag: 'DatasetReset',
        lastSyncCount: state.lastSyncCount,
        message: `Dataset ${run.address.datasetName} on the server is behind this device's sync count ${state.lastSyncCount}`,
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
          message: `UpdateRecords met a newer server version ${run.conflictRounds} times (keys: ${keys.join(', ')}); local changes stay dirty`,
        })
      }
      // A 409 rejects the whole request: nothing we sent was committed.
      return pipe(
        retryAfter(run, 'UpdateRecords', 'Conflict', failure.message, run.conflictRounds - 1),
        TE.chain(() => nextRound(run)),
      )
    }
    case 'SessionExpired':
      return pipe(
        spendRetry(run, 'UpdateRecords', 'SessionExpired', failure.message),
        TE.chain(() => nextRound(run)),
      )
    case 'Transient':
      // Indeterminate: the write may have committed. The next listing tells, so nothing is resent as it was.
      return pipe(
        spendRetry(run, 'UpdateRecords', failure.reason, failure.message),
        TE.chain(() => nextRound(run)),
      )
    default:
      return TE.left(unexpected('UpdateRecords', failure))
  }
}

const push = (run: Run, listed: Listed, reconciliation: Reconciliation): TE.TaskEither<SyncError, LocalState> =>
  pipe(
    updateRecords(run.address, run.recorder.attempts)(run.deviceId, listed.syncSessionToken, reconciliation.patches),
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

const afterListing = (run: Run, state: LocalState, outcome: ListOutcome): TE.TaskEither<SyncError, LocalState> => {
  if (outcome._tag === 'NoSuchSyncCount') return datasetGone(run, 'Reset', state)
  const { listed } = outcome
  run.recorder.listed(listed.listing.records.length, listed.merged)
  if (listed.deletedAfter || (state.lastSyncCount > 0 && !listed.exists)) return datasetGone(run, 'Deleted', state)
  if (listed.listing.datasetSyncCount < state.lastSyncCount) return datasetGone(run, 'Reset', state)
  if (listed.merged.length > 0 && run.policies.onMergedDatasets === 'fail')
    return TE.left({ _tag: 'MergedDatasetsFound', names: listed.merged, message: `Merged datasets found: ${listed.merged.join(', ')}` })
  return pipe(
    reconcileStored(run.store, run.address.datasetName, run.strategy, listed.listing, run.clock()),
    TE.chainW(({ reconciliation }) => {
      run.recorder.reconciled(reconciliation)
      return reconciliation.mustPush ? push(run, listed, reconciliation) : TE.right(reconciliation.next)
    }),
  )
}

/** One round: read, list, reconcile, push. */
const round = (run: Run): TE.TaskEither<SyncError, LocalState> =>
  pipe(
    readChecked(run),
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

// serialisation

const mutexes = new WeakMap<LocalStore, KeyedMutex>()

const mutexOf = (store: LocalStore): KeyedMutex => {
  const known = mutexes.get(store)
  if (known !== undefined) return known
  const created = keyedMutex()
  mutexes.set(store, created)
  return created
}

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
export const sync = (options: SyncOptions): TE.TaskEither<SyncError, SyncReport> =>
  pipe(
    TE.fromEither(start(options)),
    TE.chain((run) => {
      const whole = pipe(
        round(run),
        TE.map((state) => run.recorder.report(state.lastSyncCount)),
      )
      return () => mutexOf(run.store).run(run.address.datasetName, whole)
    }),
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
