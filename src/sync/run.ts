/**
 * One sync in progress: the options, validated into a `Run` before any network call, and the retry
 * budget every step spends from.
 *
 * @since 0.1.0
 */
import type { CognitoSyncClient } from '@aws-sdk/client-cognito-sync'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import * as t from 'io-ts'
import { ClientContext, DatasetName, DeviceId, IdentityId, type KeyRule, SyncCount, recordKeyOf } from '../codecs.js'
import { decodeWith, withRule } from '../DecodeError.js'
import { type LocalRecord, type LocalState, dirtyRecords } from '../LocalRecord.js'
import { PersistentMap, forEachChange } from '../PersistentMap.js'
import type { Strategy } from '../Strategy.js'
import { type FromService, type Operation, type SyncError, invalidInput, requestIdNote } from './errors.js'
import type { Failure } from './failure.js'
import { type SyncStore, guardedStore } from './guardedStore.js'
import { type Usage, changeUsage, checkGrowth, checkLimits, noUsage, usage } from '../stores/limits.js'
import { checkState, isRecordUnder } from '../stores/validate.js'
import type { LocalStore } from '../stores/LocalStore.js'
import { type Policies, defaultPolicies } from './policy.js'
import type { Cancel } from './cancel.js'
import type { CallContext, DatasetAddress } from './remote.js'
import { type Recorder, type RetryReason, recorder } from './report.js'
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
  /**
   * UpdateRecords' `ClientContext`: a JSON object about the client, base64-encoded (see
   * `ClientContext`); sent as is with every UpdateRecords. None by default.
   */
  readonly clientContext?: string
  /**
   * Stops the sync: every `client.send` gets it, and a backoff wait ends when it fires. The sync then
   * fails with `Aborted` carrying the signal's `reason`, and loses nothing.
   */
  readonly signal?: AbortSignal
  /**
   * A deadline for the whole sync, waits and retries included, in ms: when it passes, the sync stops
   * as for `signal` and fails with `DeadlineExceeded`. None by default.
   */
  readonly timeoutMs?: number
  /**
   * Which keys the sync pushes: `'service'` (the default), any 1–1,024 characters, or
   * `'officialClients'`, 1–128 characters of `[a-zA-Z0-9_.:-]`, for an app that still has devices on
   * the official clients. A local edit of a key the rule refuses fails the sync before any call.
   */
  readonly keyRule?: KeyRule
}

/**
 * What retrying needs, in a sync or a delete: the cancellation, the budget and its backoff, and where
 * each retry is recorded. @internal
 */
export interface Retrying {
  readonly cancel: Cancel
  readonly limits: Pick<SyncLimits, 'maxRetries'>
  readonly backoff: Backoff
  readonly recorder: Pick<Recorder, 'retried'>
  retries: number
}

/** A sync in progress: validated options, and the budgets and findings its rounds share. @internal */
export interface Run extends Retrying {
  readonly address: DatasetAddress
  /** What every call of the sync is made with. */
  readonly calls: CallContext
  readonly deviceId: DeviceId
  readonly clientContext: ClientContext | undefined
  readonly keyRule: KeyRule
  readonly store: SyncStore
  readonly strategy: Strategy
  readonly clock: () => Date
  readonly limits: SyncLimits
  readonly policies: Policies
  readonly backoff: Backoff
  readonly recorder: Recorder
  readonly conflictKeys: Set<string>
  conflictRounds: number
  rebased: boolean
}

// validation

const decodeOption =
  <A, O>(codec: t.Type<A, O, unknown>, what: string) =>
  (input: unknown): E.Either<SyncError, A> =>
    pipe(decodeWith(codec, what)(input), E.mapLeft(invalidInput))

const isMilliseconds = (u: unknown): u is number => typeof u === 'number' && Number.isFinite(u) && u > 0

const Milliseconds = withRule(
  new t.Type<number, number, unknown>('Milliseconds', isMilliseconds, (u, c) => (isMilliseconds(u) ? t.success(u) : t.failure(u, c)), t.identity),
  { rule: 'be a positive number of milliseconds', fix: 'Pass the time the whole sync may take, e.g. 30_000, or leave timeoutMs out.' },
)

/** What names a dataset on the service, and a deadline: the options `sync` and `deleteDataset` share. @since 0.1.0 */
export interface AddressOptions {
  readonly client: CognitoSyncClient
  readonly identityPoolId: string
  readonly identityId: string
  readonly datasetName: string
  readonly timeoutMs?: number
}

/** Validates the address and the deadline. @internal */
export const decodeAddress = (options: AddressOptions): E.Either<SyncError, DatasetAddress> =>
  pipe(
    E.Do,
    E.apS('identityPoolId', decodeOption(IdentityId, 'identity pool id')(options.identityPoolId)),
    E.apS('identityId', decodeOption(IdentityId, 'identity id')(options.identityId)),
    E.apS('datasetName', decodeOption(DatasetName, 'dataset name')(options.datasetName)),
    E.apS('timeoutMs', options.timeoutMs === undefined ? E.right(undefined) : decodeOption(Milliseconds, 'timeoutMs')(options.timeoutMs)),
    E.map(({ identityPoolId, identityId, datasetName }) => ({ client: options.client, identityPoolId, identityId, datasetName })),
  )

/** Validates the options before any network call; `cancel` is the run's cancellation. @internal */
export const start = (options: SyncOptions, cancel: Cancel): E.Either<SyncError, Run> =>
  pipe(
    E.Do,
    E.apS('address', decodeAddress(options)),
    E.apS('deviceId', decodeOption(DeviceId, 'device id')(options.deviceId)),
    E.apS('clientContext', options.clientContext === undefined ? E.right(undefined) : decodeOption(ClientContext, 'client context')(options.clientContext)),
    E.map(({ address, deviceId, clientContext }) => {
      const limits = { ...defaultSyncLimits, ...options.limits }
      const recorded = recorder()
      return {
        address,
        cancel,
        calls: { onAttempts: recorded.attempts, cancel },
        deviceId,
        clientContext,
        keyRule: options.keyRule ?? 'service',
        store: guardedStore(options.store),
        strategy: options.strategy,
        clock: options.clock ?? (() => new Date()),
        limits,
        policies: { ...defaultPolicies, ...options.policies },
        backoff: { baseMs: limits.backoffBaseMs, maxMs: limits.backoffMaxMs, random: options.random ?? Math.random },
        recorder: recorded,
        conflictKeys: new Set(),
        retries: 0,
        conflictRounds: 0,
        rebased: false,
      }
    }),
  )

/** Every local edit's key, checked against the key rule (the service's is checked with the state). */
const checkKeys =
  (rule: KeyRule) =>
  (state: LocalState): E.Either<SyncError, LocalState> => {
    if (rule === 'service') return E.right(state)
    const codec = recordKeyOf(rule)
    for (const record of dirtyRecords(state)) {
      const key = decodeOption(codec, 'record key')(record.key)
      if (E.isLeft(key)) return key
    }
    return E.right(state)
  }

/** What the last full or partial check of a store's dataset passed: its records map and their usage. */
interface Checked {
  readonly records: PersistentMap<LocalRecord>
  readonly usage: Usage
}

/**
 * The last records map checked for each store and dataset, by key rule. A `PersistentMap` never
 * changes, so a state whose records are that map (the memory store hands out the state it holds,
 * unchanged between idle syncs) needs only its `lastSyncCount` checked again; and one written from it
 * (an app write, the last sync's reconcile) shares every node the writes did not touch, so only the
 * records that differ are checked and the usage moves by them (`forEachChange`). Any other map (a plain
 * `Map` may change in place) is checked in full on every read.
 */
const lastChecked: Record<KeyRule, WeakMap<SyncStore, Map<string, Checked>>> = { service: new WeakMap(), officialClients: new WeakMap() }

const checkStored = (rule: KeyRule, state: LocalState): E.Either<SyncError, LocalState> =>
  pipe(
    checkState(state),
    E.mapLeft(invalidInput),
    E.chainW(checkKeys(rule)),
    E.chainW(checkLimits),
  )

/** The usage of `records`, if the records that differ from `from`'s pass the checks; else undefined. */
const checkChanges = (rule: KeyRule, from: Checked, records: PersistentMap<LocalRecord>): Usage | undefined => {
  const keyCodec = recordKeyOf(rule)
  let passed = true
  const changes: Array<readonly [LocalRecord | undefined, LocalRecord | undefined]> = []
  forEachChange(from.records, records, (key, before, after) => {
    if (after !== undefined && !(isRecordUnder(key, after) && (rule === 'service' || after.pending === undefined || keyCodec.is(key)))) passed = false
    changes.push([before, after])
  })
  const now = changeUsage(from.usage, changes)
  return passed && E.isRight(checkGrowth(noUsage, now)) ? now : undefined
}

/**
 * The stored state, checked as the service would check it: a store is user code too. A guard over the
 * records, not a re-encoding, and only over the records that changed since the last check of the same
 * store's dataset (see `lastChecked`). A state that fails is checked in full, which says what is wrong.
 * @internal
 */
export const readChecked = (run: Run): TE.TaskEither<SyncError, LocalState> =>
  pipe(
    run.store.read(run.address.datasetName),
    TE.chainEitherKW((state) => {
      const records: unknown = typeof state === 'object' && state !== null ? state.records : undefined
      if (!(records instanceof PersistentMap) || !SyncCount.is(state.lastSyncCount)) return checkStored(run.keyRule, state)
      let byDataset = lastChecked[run.keyRule].get(run.store)
      if (byDataset === undefined) lastChecked[run.keyRule].set(run.store, (byDataset = new Map()))
      const last = byDataset.get(run.address.datasetName)
      const changed = last === undefined ? undefined : last.records === records ? last.usage : checkChanges(run.keyRule, last, records)
      if (changed !== undefined) {
        byDataset.set(run.address.datasetName, { records, usage: changed })
        return E.right(state)
      }
      const result = checkStored(run.keyRule, state)
      if (E.isRight(result)) byDataset.set(run.address.datasetName, { records, usage: usage(state) })
      return result
    }),
  )

// retries

/** Fails if the sync was cancelled: no step starts after that. @internal */
export const checkpoint = (run: Pick<Retrying, 'cancel'>, operation?: Operation): TE.TaskEither<SyncError, void> =>
  TE.fromIOEither(() => (run.cancel.signal.aborted ? E.left(run.cancel.error(operation)) : E.right(undefined)))

/** Waits the backoff for retry number `retry`, and records why; a cancelled sync stops waiting. @internal */
export const retryAfter = (run: Retrying, operation: Operation, reason: RetryReason, message: string, retry: number): TE.TaskEither<SyncError, void> => {
  const delayMs = backoffDelay(run.backoff, retry)
  run.recorder.retried({ operation, reason, message, delayMs })
  return pipe(
    TE.fromTask(sleep(delayMs, run.cancel.signal)),
    TE.chain(() => checkpoint(run, operation)),
  )
}

/** A failure worth retrying: what the service answered, and why in words. @internal */
export interface Retryable {
  readonly message: string
  readonly from: FromService
}

/** Spends one retry of the budget, waiting the backoff; fails once the budget is spent. @internal */
export const spendRetry = (run: Retrying, operation: Operation, reason: RetryReason, failure: Retryable): TE.TaskEither<SyncError, void> => {
  if (run.retries >= run.limits.maxRetries)
    return TE.left({
      _tag: 'RetriesExhausted',
      operation,
      attempts: run.retries + 1,
      ...failure.from,
      message: `${operation} failed ${run.retries + 1} times; last: ${failure.message}${requestIdNote(failure.from.$metadata)}`,
    })
  run.retries += 1
  return retryAfter(run, operation, reason, failure.message, run.retries - 1)
}

/** A failure the step it came from has no use for: a fatal error, or something the service should not say there. @internal */
export const unexpected = (operation: Operation, failure: Failure): SyncError =>
  failure._tag === 'Fatal' ? failure.error : { _tag: 'ServiceFailed', operation, ...failure.from, message: `${operation}: ${failure.from.exception}: ${failure.message}${requestIdNote(failure.from.$metadata)}` }
