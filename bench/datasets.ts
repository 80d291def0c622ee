/**
 * The library's app API as the benchmark drives it: a dataset of a store, and a task's answer or a
 * thrown error (a failed write is a broken benchmark).
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { type Dataset, type LocalStore, openDataset } from 'cognito-reconcile/sync'

export const unwrap = async <A>(task: TE.TaskEither<{ readonly message: string }, A>): Promise<A> => {
  const result = await task()
  if (E.isLeft(result)) throw new Error(result.left.message)
  return result.right
}

export const datasetIn = (store: LocalStore, name = 'bench'): Dataset => {
  const opened = openDataset(store, name)
  if (E.isLeft(opened)) throw new Error(opened.left.message)
  return opened.right
}
