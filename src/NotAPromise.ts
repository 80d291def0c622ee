/**
 * A mark on the lazy `TaskEither`s the fp-ts API hands to apps (a dataset's reads and writes, a sync).
 * A `TaskEither` is a function that does nothing until called, so `await game.put('k', 'v')` without
 * the trailing `()` would compile and silently write nothing. A marked `TaskEither` has a `then` member
 * whose type no Promise has, so:
 * - TypeScript refuses `await task` (TS1320), `return task` from an async function (TS1058) and
 *   `task.then(...)`, while `await task()` compiles as before;
 * - at run time, awaiting one (from JavaScript, or through an `any`) rejects with a `TypeError` that
 *   says to call it.
 *
 * To fp-ts, a marked `TaskEither` is a `TaskEither`: `pipe`, `TE.map`, `TE.chain`, `TE.sequenceArray`
 * take it as before (what they return is unmarked). The one composition it refuses is a `Task` whose
 * value is an uncalled marked `TaskEither` (`T.of(task)`, `T.map(() => task)`): Promise resolution
 * takes any value with a `then` for a Promise. Chain it instead (`TE.chain(() => task)`), as fp-ts
 * code does anyway.
 *
 * @since 0.2.0
 */

/**
 * The mark: a `then` that TypeScript cannot call or await through.
 *
 * @since 0.2.0
 */
export interface NotAPromise {
  /**
   * Not a Promise: a lazy `TaskEither`, which runs only when called. Write `await task()`, not `await task`.
   *
   * @deprecated Call the `TaskEither` first: `await task()`.
   */
  readonly then: (callItFirst: never) => void
}

const notCalled = (): TypeError =>
  new TypeError(
    'This is a lazy fp-ts TaskEither, not a Promise: it does nothing until it is called. Write `await task()`, not `await task` ' +
      '(or use the Promise API, cognito-reconcile/app).',
  )

function then(_onFulfilled?: unknown, onRejected?: unknown): void {
  if (typeof onRejected !== 'function') throw notCalled()
  onRejected(notCalled())
}

/**
 * `task`, marked: a new function that runs `task` when called, and refuses to be awaited uncalled.
 *
 * @example
 * import { notAPromise } from 'cognito-reconcile'
 * import * as E from 'fp-ts/lib/Either.js'
 * import * as TE from 'fp-ts/lib/TaskEither.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 *
 * const task = notAPromise(TE.right(42))
 * assert.deepStrictEqual(await task(), E.right(42))
 * assert.deepStrictEqual(await pipe(task, TE.map((n) => n + 1))(), E.right(43))
 * // Forgetting the call is a compile error (TS1320) and, past the type checker, a rejection:
 * const forgotten: unknown = task
 * await assert.rejects(async () => await forgotten, /not a Promise: it does nothing until it is called/)
 *
 * @since 0.2.0
 */
export const notAPromise = <A>(task: () => Promise<A>): (() => Promise<A>) & NotAPromise =>
  Object.assign(() => task(), { then })
