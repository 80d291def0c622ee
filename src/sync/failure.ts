/**
 * What an error thrown by the SDK means for a sync. The service's exception names are not enough on
 * their own: one client saw the 409 message come back as a 400 `InvalidParameterException`, and the
 * expired session and a reset dataset both arrive as `InvalidParameterException` told apart only by
 * their message (protocol notes, 1.3; prior art, bugs 7 and 8). So messages are read first, names
 * second, the HTTP status last.
 *
 * @since 0.1.0
 */
import type { FromService, Operation, ResponseMetadata, SyncError } from './errors.js'
import { malformedResponse, requestIdNote } from './errors.js'

/**
 * Why a call failed, as far as retrying goes.
 * - `Conflict`: a record's SyncCount was stale; list again and reconcile.
 * - `SessionExpired`: the SyncSessionToken is no longer valid; list again.
 * - `NoSuchSyncCount`: the server's dataset is behind ours; the reset policy decides.
 * - `Transient`: throttling, a server error or the network; back off and retry.
 * - `Fatal`: retrying will not help.
 *
 * All but `Fatal` keep what the service answered (`from`); a `Fatal` error carries its own.
 *
 * @since 0.1.0
 */
export type Failure =
  | { readonly _tag: 'Conflict'; readonly keys: ReadonlyArray<string>; readonly message: string; readonly from: FromService }
  | { readonly _tag: 'SessionExpired'; readonly message: string; readonly from: FromService }
  | { readonly _tag: 'NoSuchSyncCount'; readonly message: string; readonly from: FromService }
  | { readonly _tag: 'Transient'; readonly reason: TransientReason; readonly message: string; readonly from: FromService }
  | { readonly _tag: 'Fatal'; readonly error: SyncError }

/** @since 0.1.0 */
export type TransientReason = 'Throttled' | 'ServerError' | 'NetworkError'

interface SdkErrorLike {
  readonly name?: unknown
  readonly message?: unknown
  readonly $metadata?: { readonly httpStatusCode?: unknown; readonly requestId?: unknown; readonly attempts?: unknown }
}

const CONFLICT = /^Current SyncCount for: (.*) is: \d+ not: \d+/
const THROTTLING = new Set(['TooManyRequestsException', 'LambdaThrottledException', 'ThrottlingException'])

const textOf = (u: unknown): string => (typeof u === 'string' ? u : '')

/**
 * The SDK's `$metadata` of a response or of a thrown error, keeping only members of the right type.
 *
 * @example
 * import { responseMetadata } from 'cognito-reconcile/sync'
 * assert.deepStrictEqual(responseMetadata({ $metadata: { httpStatusCode: 409, requestId: 'r-1', attempts: 1, cfId: undefined } }), { httpStatusCode: 409, requestId: 'r-1', attempts: 1 })
 * assert.deepStrictEqual(responseMetadata(new Error('socket hang up')), {})
 *
 * @since 0.1.0
 */
export const responseMetadata = (u: unknown): ResponseMetadata => {
  const raw = typeof u === 'object' && u !== null ? (u as SdkErrorLike).$metadata : undefined
  const { httpStatusCode, requestId, attempts } = raw ?? {}
  return {
    ...(typeof httpStatusCode === 'number' ? { httpStatusCode } : {}),
    ...(typeof requestId === 'string' && requestId !== '' ? { requestId } : {}),
    ...(typeof attempts === 'number' ? { attempts } : {}),
  }
}

const serviceFailure = (
  tag: 'NotAuthorized' | 'ServiceLimitExceeded' | 'InvalidParameter' | 'ServiceFailed',
  operation: Operation,
  from: FromService,
  message: string,
): Failure => ({
  _tag: 'Fatal',
  error: {
    _tag: tag,
    operation,
    ...from,
    message: `${operation}: ${from.exception}: ${message}${requestIdNote(from.$metadata)}`,
  },
})

/**
 * Classifies an error thrown by `client.send`.
 *
 * @example
 * import { classify } from 'cognito-reconcile/sync'
 * const conflict = classify('UpdateRecords', { name: 'InvalidParameterException', message: 'Current SyncCount for: score is: 2 not: 1' })
 * assert.deepStrictEqual(conflict._tag === 'Conflict' && conflict.keys, ['score'])
 * assert.strictEqual(classify('ListRecords', { name: 'TooManyRequestsException', message: 'Rate exceeded', $metadata: { httpStatusCode: 429 } })._tag, 'Transient')
 *
 * @since 0.1.0
 */
export const classify = (operation: Operation, thrown: unknown): Failure => {
  const error: SdkErrorLike = typeof thrown === 'object' && thrown !== null ? thrown : {}
  const name = textOf(error.name)
  const message = textOf(error.message) || String(thrown)
  const $metadata = responseMetadata(thrown)
  const status = $metadata.httpStatusCode
  const from: FromService = { exception: name === '' ? 'Unknown' : name, $metadata }
  const conflict = CONFLICT.exec(message)
  if (conflict !== null) return { _tag: 'Conflict', keys: conflict[1] === undefined ? [] : [conflict[1]], message, from }
  if (name === 'ResourceConflictException') return { _tag: 'Conflict', keys: [], message, from }
  if (message.startsWith('SyncSessionToken not valid')) return { _tag: 'SessionExpired', message, from }
  if (message.startsWith('No such SyncCount')) return { _tag: 'NoSuchSyncCount', message, from }
  if (name === 'NotAuthorizedException') return serviceFailure('NotAuthorized', operation, from, message)
  // Checked before throttling: the SDK's throttling list holds this name, but here it is a data quota.
  if (name === 'LimitExceededException') return serviceFailure('ServiceLimitExceeded', operation, from, message)
  if (name === 'InvalidParameterException') return serviceFailure('InvalidParameter', operation, from, message)
  if (THROTTLING.has(name) || status === 429) return { _tag: 'Transient', reason: 'Throttled', message, from }
  if (status !== undefined && status >= 500) return { _tag: 'Transient', reason: 'ServerError', message, from }
  // A 2xx that threw is the SDK failing to parse the body: the response is malformed.
  if (status !== undefined && status >= 200 && status < 300)
    return { _tag: 'Fatal', error: malformedResponse(operation, $metadata, [], `${name}: ${message}`) }
  // No status at all: the request or the response was lost on the way (reset, timeout, refused).
  if (status === undefined) return { _tag: 'Transient', reason: 'NetworkError', message: name === '' ? message : `${name}: ${message}`, from }
  return serviceFailure('ServiceFailed', operation, from, message)
}
