/**
 * What an error thrown by the SDK means for a sync. The service's exception names are not enough on
 * their own: one client saw the 409 message come back as a 400 `InvalidParameterException`, and the
 * expired session and a reset dataset both arrive as `InvalidParameterException` told apart only by
 * their message (protocol notes, 1.3; prior art, bugs 7 and 8). So messages are read first, names
 * second, the HTTP status last.
 *
 * @since 0.1.0
 */
import type { Operation, SyncError } from './errors.js'
import { malformedResponse } from './errors.js'

/**
 * Why a call failed, as far as retrying goes.
 * - `Conflict`: a record's SyncCount was stale; list again and reconcile.
 * - `SessionExpired`: the SyncSessionToken is no longer valid; list again.
 * - `NoSuchSyncCount`: the server's dataset is behind ours; the reset policy decides.
 * - `Transient`: throttling, a server error or the network; back off and retry.
 * - `Fatal`: retrying will not help.
 *
 * @since 0.1.0
 */
export type Failure =
  | { readonly _tag: 'Conflict'; readonly keys: ReadonlyArray<string>; readonly message: string }
  | { readonly _tag: 'SessionExpired'; readonly message: string }
  | { readonly _tag: 'NoSuchSyncCount'; readonly message: string }
  | { readonly _tag: 'Transient'; readonly reason: TransientReason; readonly message: string }
  | { readonly _tag: 'Fatal'; readonly error: SyncError }

/** @since 0.1.0 */
export type TransientReason = 'Throttled' | 'ServerError' | 'NetworkError'

interface SdkErrorLike {
  readonly name?: unknown
  readonly message?: unknown
  readonly $metadata?: { readonly httpStatusCode?: unknown }
}

const CONFLICT = /^Current SyncCount for: (.*) is: \d+ not: \d+/
const THROTTLING = new Set(['TooManyRequestsException', 'LambdaThrottledException', 'ThrottlingException'])

const textOf = (u: unknown): string => (typeof u === 'string' ? u : '')

const serviceFailure = (
  tag: 'NotAuthorized' | 'ServiceLimitExceeded' | 'InvalidParameter' | 'ServiceFailed',
  operation: Operation,
  exception: string,
  message: string,
  status: number | undefined,
): Failure => ({
  _tag: 'Fatal',
  error: { _tag: tag, operation, exception, message: `${operation}: ${exception}: ${message}`, ...(status === undefined ? {} : { httpStatusCode: status }) },
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
  const rawStatus = error.$metadata?.httpStatusCode
  const status = typeof rawStatus === 'number' ? rawStatus : undefined
  const conflict = CONFLICT.exec(message)
  if (conflict !== null) return { _tag: 'Conflict', keys: conflict[1] === undefined ? [] : [conflict[1]], message }
  if (name === 'ResourceConflictException') return { _tag: 'Conflict', keys: [], message }
  if (message.startsWith('SyncSessionToken not valid')) return { _tag: 'SessionExpired', message }
  if (message.startsWith('No such SyncCount')) return { _tag: 'NoSuchSyncCount', message }
  if (name === 'NotAuthorizedException') return serviceFailure('NotAuthorized', operation, name, message, status)
  // Checked before throttling: the SDK's throttling list holds this name, but here it is a data quota.
  if (name === 'LimitExceededException') return serviceFailure('ServiceLimitExceeded', operation, name, message, status)
  if (name === 'InvalidParameterException') return serviceFailure('InvalidParameter', operation, name, message, status)
  if (THROTTLING.has(name) || status === 429) return { _tag: 'Transient', reason: 'Throttled', message }
  if (status !== undefined && status >= 500) return { _tag: 'Transient', reason: 'ServerError', message }
  // A 2xx that threw is the SDK failing to parse the body: the response is malformed.
  if (status !== undefined && status >= 200 && status < 300)
    return { _tag: 'Fatal', error: malformedResponse(operation, [], `${name}: ${message}`) }
  // No status at all: the request or the response was lost on the way (reset, timeout, refused).
  if (status === undefined) return { _tag: 'Transient', reason: 'NetworkError', message: name === '' ? message : `${name}: ${message}` }
  return serviceFailure('ServiceFailed', operation, name === '' ? 'Unknown' : name, message, status)
}
