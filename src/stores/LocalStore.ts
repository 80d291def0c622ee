/**
 * Where a device keeps its datasets. One small interface with an atomic read-modify-write, so the sync
 * adapter and the app's own writes can never interleave inside one step: each `modify` sees the state
 * the previous one left and either commits its whole result or nothing.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { DatasetName } from '../codecs.js'
import type { LocalState } from '../LocalRecord.js'

/**
 * The store itself failed (a database error, a corrupt row). Nothing was written.
 *
 * @since 0.1.0
 */
export interface StoreFailed {
  readonly _tag: 'StoreFailed'
  readonly message: string
  readonly cause: unknown
}

/**
 * Laws, for every implementation:
 * - `read` of a dataset never written is `emptyState`;
 * - `modify(d, f)` runs `f` on the current state; on `right([a, next])` it stores `next` and answers
 *   `a`, on `left(e)` it stores nothing and answers `e`;
 * - modifications of one dataset are serialised: two concurrent `modify` calls behave as if one ran
 *   after the other, and neither's result is lost.
 *
 * @since 0.1.0
 */
export interface LocalStore {
  readonly read: (dataset: DatasetName) => TE.TaskEither<StoreFailed, LocalState>
  readonly modify: <E, A>(
    dataset: DatasetName,
    f: (state: LocalState) => E.Either<E, readonly [A, LocalState]>,
  ) => TE.TaskEither<E | StoreFailed, A>
  /** The datasets that hold any record. */
  readonly datasets: () => TE.TaskEither<StoreFailed, ReadonlyArray<DatasetName>>
}

/**
 * A `StoreFailed` with its cause kept for the caller's logs.
 *
 * @example
 * import { storeFailed } from 'cognito-reconcile/stores'
 * const cause = new Error('disk full')
 * assert.deepStrictEqual(storeFailed('could not write', cause), { _tag: 'StoreFailed', message: 'could not write', cause })
 *
 * @since 0.1.0
 */
export const storeFailed = (message: string, cause: unknown): StoreFailed => ({ _tag: 'StoreFailed', message, cause })

/**
 * Runs a `modify` function on `state`, turning a throw into a `StoreFailed` so that a store's
 * `TaskEither` never rejects; like a `left`, a throw stores nothing. For your own `LocalStore`.
 *
 * @example
 * import { applyModify } from 'cognito-reconcile/stores'
 * import { emptyState } from 'cognito-reconcile'
 * const failed = applyModify(() => { throw new Error('bug') }, emptyState)
 * assert.ok(failed._tag === 'Left' && failed.left._tag === 'StoreFailed')
 *
 * @since 0.1.0
 */
export const applyModify = <Err, A>(
  f: (state: LocalState) => E.Either<Err, readonly [A, LocalState]>,
  state: LocalState,
): E.Either<Err | StoreFailed, readonly [A, LocalState]> => {
  try {
    return f(state)
  } catch (cause) {
    return E.left(storeFailed('the modify function threw', cause))
  }
}
