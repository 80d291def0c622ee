/** What every page needs: a failed library call thrown, so that the test's `call` rejects with it. */
import * as E from 'fp-ts/lib/Either.js'

const render = (left: unknown): string =>
  typeof left === 'object' && left !== null && 'message' in left && typeof left.message === 'string' ? left.message : JSON.stringify(left)

/** The right of `either`, or a throw saying what the left was. */
export const rightOf = <A>(either: E.Either<unknown, A>): A => {
  if (E.isLeft(either)) throw new Error(render(either.left))
  return either.right
}

/** Runs `task` and answers its right, or throws with its left. */
export const run = async <A>(task: () => Promise<E.Either<unknown, A>>): Promise<A> => rightOf(await task())
