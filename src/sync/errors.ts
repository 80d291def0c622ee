/**
 * Why a sync failed, as data. Every variant carries a `message` for people and a `_tag` for code; the
 * union is closed, so a `switch` over `_tag` tells a caller at compile time which cases it has not
 * handled. docs/sync.md says, for each, what a caller should do.
 *
 * Whatever the error, the local store holds every local change still dirty: a sync never loses or
 * marks clean an edit the server has not acknowledged.
 *
 * @since 0.1.0
 */
import { type DecodeError, type DecodeIssue, renderIssues } from '../DecodeError.js'
import type { StrategyFailed } from '../reconcile.js'
import type { LimitExceeded } from '../stores/limits.js'
import type { StoreFailed } from '../stores/LocalStore.js'

/** The operations a sync calls. @since 0.1.0 */
export type SyncOperation = 'ListRecords' | 'UpdateRecords'

/** The operations the adapter calls: a sync's, and `deleteDataset`'s. @since 0.1.0 */
export type Operation = SyncOperation | 'DeleteDataset'

/**
 * What a response said about itself, as the AWS SDK exposes it on `$metadata`: quote `requestId` to
 * AWS support. Empty when no response arrived (a network error).
 *
 * @since 0.1.0
 */
export interface ResponseMetadata {
  readonly httpStatusCode?: number
  readonly requestId?: string
  /** HTTP attempts of the call, the SDK's own retries included. */
  readonly attempts?: number
}

/**
 * The answer an error came from: `exception` is the SDK's name for it (`ResourceConflictException`,
 * `TimeoutError`, …), `$metadata` the response's metadata.
 *
 * @since 0.1.0
 */
export interface FromService {
  readonly exception: string
  readonly $metadata: ResponseMetadata
}

/**
 * An option or a local record the service would refuse (a dataset name, an id, a key, a value), found
 * before any network call.
 *
 * @since 0.1.0
 */
export interface InvalidInput {
  readonly _tag: 'InvalidInput'
  readonly what: string
  readonly issues: ReadonlyArray<DecodeIssue>
  readonly message: string
}

/**
 * A response that is not what the protocol promises (bad JSON, wrong types, a missing field). Nothing
 * from it was stored.
 *
 * @since 0.1.0
 */
export interface MalformedResponse {
  readonly _tag: 'MalformedResponse'
  readonly operation: Operation
  /** Paths as the wire names them: `Records.3.SyncCount`. */
  readonly issues: ReadonlyArray<DecodeIssue>
  readonly $metadata: ResponseMetadata
  readonly message: string
}

/**
 * The service refused the call for a reason retrying cannot fix. `exception` is the service's name for
 * it. The tags the caller most often handles have their own variants below.
 *
 * @since 0.1.0
 */
export interface ServiceFailure<Tag extends string> extends FromService {
  readonly _tag: Tag
  readonly operation: Operation
  readonly message: string
}

/** `NotAuthorizedException`: credentials are missing, expired or for another identity. @since 0.1.0 */
export type NotAuthorized = ServiceFailure<'NotAuthorized'>
/** `LimitExceededException`: the server's quotas (records, bytes, datasets per identity). @since 0.1.0 */
export type ServiceLimitExceeded = ServiceFailure<'ServiceLimitExceeded'>
/** `InvalidParameterException` other than the two the adapter handles itself. @since 0.1.0 */
export type InvalidParameter = ServiceFailure<'InvalidParameter'>
/** Any other exception that is not worth retrying, `ResourceNotFoundException` for one. @since 0.1.0 */
export type ServiceFailed = ServiceFailure<'ServiceFailed'>

/**
 * Throttling, server errors or network failures outlasted the retry budget.
 *
 * @since 0.1.0
 */
export interface RetriesExhausted extends FromService {
  readonly _tag: 'RetriesExhausted'
  readonly operation: Operation
  /** Attempts the adapter made; `exception` and `$metadata` are the last one's. */
  readonly attempts: number
  readonly message: string
}

/**
 * Another writer won every round: each UpdateRecords met a newer server version. `keys` are the keys
 * the server named; `exception` and `$metadata` are the last 409's. The local edits are still dirty and
 * the next sync tries again.
 *
 * @since 0.1.0
 */
export interface ConflictRoundsExhausted extends FromService {
  readonly _tag: 'ConflictRoundsExhausted'
  readonly rounds: number
  readonly keys: ReadonlyArray<string>
  readonly message: string
}

/**
 * The dataset was deleted on the server since this device last synced, and the policy is `'report'`:
 * nothing local was changed. `dirtyKeys` are the local edits a purge would drop.
 *
 * @since 0.1.0
 */
export interface DatasetDeleted {
  readonly _tag: 'DatasetDeleted'
  readonly lastSyncCount: number
  readonly dirtyKeys: ReadonlyArray<string>
  readonly message: string
}

/**
 * The server's dataset count is behind this device's (`No such SyncCount`, or a listing whose count
 * went back): the server lost or re-created the dataset. The policy is `'report'`: nothing local was
 * changed. `dirtyKeys` are the local edits a purge would drop.
 *
 * @since 0.1.0
 */
export interface DatasetReset {
  readonly _tag: 'DatasetReset'
  readonly lastSyncCount: number
  readonly dirtyKeys: ReadonlyArray<string>
  readonly message: string
}

/**
 * The listing reported merged datasets and the policy is `'fail'`.
 *
 * @since 0.1.0
 */
export interface MergedDatasetsFound {
  readonly _tag: 'MergedDatasetsFound'
  readonly names: ReadonlyArray<string>
  readonly message: string
}

/**
 * The caller's `AbortSignal` fired: the sync stopped at once, in or before `operation`, and failed
 * with the signal's `reason`. An UpdateRecords cut short is handled as one whose answer was lost: the
 * next sync finds out whether it landed. Every unacknowledged change is still dirty.
 *
 * @since 0.1.0
 */
export interface Aborted {
  readonly _tag: 'Aborted'
  readonly reason: unknown
  readonly operation?: Operation
  readonly message: string
}

/**
 * The sync's `timeoutMs` ran out: it stopped as for `Aborted`.
 *
 * @since 0.1.0
 */
export interface DeadlineExceeded {
  readonly _tag: 'DeadlineExceeded'
  readonly timeoutMs: number
  readonly operation?: Operation
  readonly message: string
}

/** @since 0.1.0 */
export type SyncError =
  | InvalidInput
  | LimitExceeded
  | StoreFailed
  | StrategyFailed
  | MalformedResponse
  | NotAuthorized
  | ServiceLimitExceeded
  | InvalidParameter
  | ServiceFailed
  | RetriesExhausted
  | ConflictRoundsExhausted
  | DatasetDeleted
  | DatasetReset
  | MergedDatasetsFound
  | Aborted
  | DeadlineExceeded

// constructors

/** @since 0.1.0 */
export const invalidInput = (error: DecodeError): InvalidInput => ({
  _tag: 'InvalidInput',
  what: error.what,
  issues: error.issues,
  message: error.message,
})

/** `detail` says what is wrong when no codec does (`issues` empty). @since 0.1.0 */
export const malformedResponse = (operation: Operation, $metadata: ResponseMetadata, issues: ReadonlyArray<DecodeIssue>, detail?: string): MalformedResponse => ({
  _tag: 'MalformedResponse',
  operation,
  issues,
  $metadata,
  message: `Malformed ${operation} response${requestIdNote($metadata)}: ${detail ?? renderIssues(issues)}`,
})

/** ` (request id …)` for a message, when the service gave one. @internal */
export const requestIdNote = ($metadata: ResponseMetadata): string => ($metadata.requestId === undefined ? '' : ` (request id ${$metadata.requestId})`)

/**
 * The metadata of an error, if it came from the service.
 *
 * @example
 * import { metadataOf } from 'cognito-reconcile/sync'
 * assert.deepStrictEqual(metadataOf({ _tag: 'ServiceFailed', operation: 'ListRecords', exception: 'X', $metadata: { requestId: 'r-1' }, message: 'm' }), { requestId: 'r-1' })
 * assert.deepStrictEqual(metadataOf({ _tag: 'StoreFailed', message: 'm', cause: undefined }), {})
 *
 * @since 0.1.0
 */
export const metadataOf = (error: SyncError): ResponseMetadata => ('$metadata' in error ? error.$metadata : {})

/**
 * The error a Promise rejects with, shaped like the AWS SDK's: `name` is the error's kind (its
 * `_tag`), `$metadata` the service's response metadata when it came from the service (else `{}`),
 * and `error` the typed `SyncError`.
 *
 * @example
 * import { SyncFailedError } from 'cognito-reconcile/sync'
 * const failure = new SyncFailedError({ _tag: 'RetriesExhausted', operation: 'ListRecords', attempts: 9, exception: 'TooManyRequestsException', $metadata: { httpStatusCode: 429, requestId: 'r-1' }, message: 'gave up' })
 * assert.ok(failure instanceof SyncFailedError && failure instanceof Error)
 * assert.strictEqual(failure.name, 'RetriesExhausted')
 * assert.strictEqual(failure.$metadata.requestId, 'r-1')
 * assert.strictEqual(failure.error._tag, 'RetriesExhausted')
 * assert.strictEqual(failure.message, 'gave up')
 *
 * @since 0.1.0
 */
export class SyncFailedError extends Error {
  override readonly name: SyncError['_tag']
  readonly error: SyncError
  readonly $metadata: ResponseMetadata
  constructor(error: SyncError) {
    super(error.message, { cause: error })
    this.name = error._tag
    this.error = error
    this.$metadata = metadataOf(error)
  }
}
