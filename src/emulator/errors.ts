/**
 * Service errors as the Cognito Sync wire protocol encodes them: a shape name (sent in
 * `x-amzn-ErrorType` and `__type`), an HTTP status and a message. The SDK picks its exception class
 * from the shape name, so the names here are the model's, letter for letter.
 *
 * Handlers throw a `ServiceError`; the server turns it into a response. Anything else thrown is a bug
 * and answers 500 `InternalErrorException` without its details.
 *
 * @since 0.1.0
 */

/**
 * An error the emulator answers on purpose.
 *
 * @example
 * import { invalidParameter } from './errors.js'
 * const e = invalidParameter('SyncSessionToken not valid for these inputs')
 * assert.strictEqual(e.type, 'InvalidParameterException')
 * assert.strictEqual(e.status, 400)
 * assert.strictEqual(e.message, 'SyncSessionToken not valid for these inputs')
 *
 * @since 0.1.0
 */
export class ServiceError extends Error {
  constructor(
    readonly type: string,
    readonly status: number,
    message: string,
  ) {
    super(message)
    this.name = type
  }
}

/**
 * The HTTP status of every exception in the service model (protocol notes, section 1.3), plus the
 * emulator's own protocol-level errors. Used when a fault names an exception but no status.
 *
 * @since 0.1.0
 */
export const statusByType: ReadonlyMap<string, number> = new Map([
  ['InvalidParameterException', 400],
  ['NotAuthorizedException', 403],
  ['ResourceNotFoundException', 404],
  ['ResourceConflictException', 409],
  ['LimitExceededException', 400],
  ['TooManyRequestsException', 429],
  ['LambdaThrottledException', 429],
  ['InvalidLambdaFunctionOutputException', 400],
  ['InternalErrorException', 500],
  ['InvalidConfigurationException', 400],
  ['ConcurrentModificationException', 400],
  ['DuplicateRequestException', 400],
  ['AlreadyStreamedException', 400],
  ['UnknownOperationException', 404],
  ['MethodNotAllowedException', 405],
])

/**
 * Builds a `ServiceError` whose status comes from `statusByType` (400 for names it does not know).
 *
 * @since 0.1.0
 */
export const serviceError = (type: string, message: string, status?: number): ServiceError =>
  new ServiceError(type, status ?? statusByType.get(type) ?? 400, message)

/** @since 0.1.0 */
export const invalidParameter = (message: string): ServiceError => serviceError('InvalidParameterException', message)

/** @since 0.1.0 */
export const notFound = (message: string): ServiceError => serviceError('ResourceNotFoundException', message)

/** @since 0.1.0 */
export const notAuthorized = (message: string): ServiceError => serviceError('NotAuthorizedException', message)

/** @since 0.1.0 */
export const limitExceeded = (message: string): ServiceError => serviceError('LimitExceededException', message)

/**
 * The message format the real service uses for a stale record SyncCount (seen in logs quoted in
 * amazon-cognito-js #31 and aws-sdk-android #3515).
 *
 * @example
 * import { staleSyncCount } from './errors.js'
 * const e = staleSyncCount('user', 1, 0)
 * assert.strictEqual(e.type, 'ResourceConflictException')
 * assert.strictEqual(e.message, 'Current SyncCount for: user is: 1 not: 0')
 *
 * @since 0.1.0
 */
export const staleSyncCount = (key: string, current: number, sent: number): ServiceError =>
  serviceError('ResourceConflictException', `Current SyncCount for: ${key} is: ${current} not: ${sent}`)

/**
 * What an unexpected exception answers: a generic message, so that no internal detail leaks.
 *
 * @since 0.1.0
 */
export const internalError = (): ServiceError => serviceError('InternalErrorException', 'An internal error occurred')
