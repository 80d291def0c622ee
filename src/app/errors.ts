/**
 * How the Promise API fails. Every rejection (and the one synchronous throw, a bad configuration or
 * dataset name) is a `SyncFailedError`: an `Error` whose `error` is the typed `SyncError` the fp-ts API
 * would have returned as a `Left`, so nothing is lost in translation. `isSyncFailure` narrows an
 * unknown `catch` value to the union of every kind, discriminated on `name`.
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { DecodeError } from '../DecodeError.js'
import { invalidInput } from '../sync/errors.js'
import { caught } from '../sync/guardedStore.js'
import { type SyncError, SyncFailedError } from '../sync/index.js'

/**
 * A `SyncFailedError` of one kind: its `name` is the kind and its `error` the typed error of that kind,
 * so that `switch (e.name)` narrows `e.error` too.
 *
 * @since 0.2.0
 */
export type SyncFailureOf<K extends SyncError['_tag']> = Omit<SyncFailedError, 'name' | 'error'> & {
  readonly name: K
  readonly error: Extract<SyncError, { readonly _tag: K }>
}

/**
 * Any `SyncFailedError`, as a union discriminated on `name`.
 *
 * @since 0.2.0
 */
export type SyncFailure = { readonly [K in SyncError['_tag']]: SyncFailureOf<K> }[SyncError['_tag']]

/**
 * Whether `u` (a `catch` value) is a failure of this library, and of which kinds when `kinds` are given.
 *
 * @example
 * import { isSyncFailure } from 'cognito-reconcile/app'
 * import { SyncFailedError } from 'cognito-reconcile/sync'
 * const e: unknown = new SyncFailedError({ _tag: 'RetriesExhausted', operation: 'ListRecords', attempts: 9, exception: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 }, message: 'gave up' })
 * assert.ok(isSyncFailure(e))
 * assert.ok(isSyncFailure(e, 'RetriesExhausted', 'NotAuthorized'))
 * assert.ok(!isSyncFailure(e, 'NotAuthorized'))
 * assert.ok(!isSyncFailure(new Error('something else')))
 * if (isSyncFailure(e) && e.error._tag === 'RetriesExhausted') assert.strictEqual(e.error.attempts, 9)
 *
 * @since 0.2.0
 */
export function isSyncFailure(u: unknown): u is SyncFailure
export function isSyncFailure<K extends SyncError['_tag']>(u: unknown, ...kinds: ReadonlyArray<K>): u is SyncFailureOf<K>
export function isSyncFailure(u: unknown, ...kinds: ReadonlyArray<SyncError['_tag']>): boolean {
  return u instanceof SyncFailedError && (kinds.length === 0 || kinds.includes(u.error._tag))
}

// from the fp-ts API to Promises (internal)

/** The typed error a dataset operation's `Left` stands for. @internal */
export const fromDatasetError = (error: DecodeError | SyncError): SyncError => (error._tag === 'DecodeError' ? invalidInput(error) : error)

/** Throws `error` as a `SyncFailedError`. @internal */
export const fail = (error: SyncError): never => {
  throw new SyncFailedError(error)
}

/**
 * Runs `task`: resolves with its `Right`, rejects with its `Left` as a `SyncFailedError`. A store that
 * rejects instead of answering a `Left` (a bug in a hand-written store) rejects as `StoreFailed`.
 *
 * @internal
 */
export const runLocal = async <A>(task: TE.TaskEither<DecodeError | SyncError, A>): Promise<A> => {
  const result = await caught(() => task)()
  return E.isLeft(result) ? fail(fromDatasetError(result.left)) : result.right
}
