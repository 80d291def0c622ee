/**
 * The default store: datasets in memory, gone when the process ends. Right for tests, short-lived
 * processes and apps that persist elsewhere; `cognito-reconcile/sqlite` is the durable one.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { DatasetName } from '../codecs.js'
import { type LocalState, emptyState } from '../LocalRecord.js'
import { type LocalStore, type StoreFailed, applyModify } from './LocalStore.js'
import { keyedMutex } from './mutex.js'

/**
 * A new, empty in-memory store. States are stored and handed out as they are, without copies: a
 * `LocalState` and its `Map` are never mutated once built (the core's combinators build new ones).
 *
 * @example
 * import { memoryStore } from 'cognito-reconcile/stores'
 * import { DatasetName, emptyState, put } from 'cognito-reconcile'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const store = memoryStore()
 * const name = pipe(DatasetName.decode('settings'), E.getOrElseW(() => assert.fail()))
 * assert.deepStrictEqual(await store.read(name)(), E.right(emptyState))
 * const answer = await store.modify(name, (state) =>
 *   pipe(put('theme', 'dark', new Date(0))(state), E.map((next) => ['stored', next] as const)),
 * )()
 * assert.deepStrictEqual(answer, E.right('stored'))
 * assert.deepStrictEqual(await store.datasets()(), E.right(['settings']))
 *
 * @since 0.1.0
 */
export const memoryStore = (): LocalStore => {
  const states = new Map<DatasetName, LocalState>()
  const mutex = keyedMutex()
  const current = (dataset: DatasetName): LocalState => states.get(dataset) ?? emptyState
  return {
    read: (dataset) => () => Promise.resolve(E.right(current(dataset))),
    modify:
      <Err, A>(dataset: DatasetName, f: (state: LocalState) => E.Either<Err, readonly [A, LocalState]>): TE.TaskEither<Err | StoreFailed, A> =>
      () =>
        mutex.run(dataset, async () =>
          pipe(
            applyModify(f, current(dataset)),
            E.map(([answer, next]) => {
              states.set(dataset, next)
              return answer
            }),
          ),
        ),
    datasets: () => () =>
      Promise.resolve(
        E.right(
          Array.from(states)
            .filter(([, state]) => state.records.size > 0)
            .map(([name]) => name)
            .sort(),
        ),
      ),
  }
}
