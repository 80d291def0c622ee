/**
 * One operation on a dataset of a store at a time: two syncs of it, or a sync and a delete of it,
 * never interleave; the second starts when the first has settled. A cancelled operation that is
 * still waiting for its turn fails at once.
 *
 * In this context a keyed mutex per store orders them; a store whose data other contexts share (the
 * tabs of one origin) offers a `syncLock`, taken inside the mutex, so that the operations of every tab
 * are ordered too.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { type NotAPromise, notAPromise } from '../NotAPromise.js'
import type { CrossContextLock } from '../stores/crossContextLock.js'
import { storeFailed } from '../stores/LocalStore.js'
import { type KeyedMutex, keyedMutex } from '../stores/mutex.js'
import { type Cancel, type CancelledTask, cancellation } from './cancel.js'
import type { SyncError } from './errors.js'
import type { SyncStore } from './guardedStore.js'
import type { DatasetAddress } from './remote.js'

const mutexes = new WeakMap<SyncStore, KeyedMutex>()

const mutexOf = (store: SyncStore): KeyedMutex => {
  const known = mutexes.get(store)
  if (known !== undefined) return known
  const created = keyedMutex()
  mutexes.set(store, created)
  return created
}

/**
 * Runs `task` on `dataset` of `store` after every operation queued before it, or answers the
 * cancellation's error as soon as it fires while `task` still waits its turn. A task that started
 * stops at its own checkpoints. @internal
 */
export const oneAtATime = <A>(store: SyncStore, dataset: string, cancel: Cancel, task: TE.TaskEither<SyncError, A>): Promise<E.Either<SyncError, A>> => {
  let running = false
  const run = () => {
    running = true
    return task()
  }
  const queued = mutexOf(store).run(dataset, () => (store.syncLock === undefined ? run() : acrossContexts(store.syncLock, dataset, cancel, run)))
  const cancelled = new Promise<E.Either<SyncError, A>>((resolve) => {
    const stop = () => {
      if (!running) resolve(E.left(cancel.error()))
    }
    if (cancel.signal.aborted) stop()
    else cancel.signal.addEventListener('abort', stop, { once: true })
  })
  return Promise.race([queued, cancelled])
}

/**
 * `run` holding `lock` for `dataset`. Cancelled while waiting, it gives up the request; a lock that
 * fails (a browser's lock manager refusing) is a `StoreFailed`, as the store's own failures are.
 */
const acrossContexts = <A>(lock: CrossContextLock, dataset: string, cancel: Cancel, run: () => Promise<E.Either<SyncError, A>>): Promise<E.Either<SyncError, A>> =>
  lock.run(dataset, run, cancel.signal).catch((cause: unknown) =>
    E.left(cancel.signal.aborted ? cancel.error() : storeFailed(`The cross-context lock of dataset ${dataset} failed: ${cause instanceof Error ? cause.message : String(cause)}`, cause)),
  )

/** What an operation validated before it queues: where it runs, and how it is cancelled. @internal */
export interface Queued {
  readonly address: DatasetAddress
  readonly store: SyncStore
}

/**
 * An operation on one dataset, as a lazy task: when run, it creates its cancellation (so a deadline
 * counts from then), validates its options with `start`, waits its turn in the dataset's queue, runs
 * `task`, and disposes of the cancellation, whatever the outcome. @internal
 */
export const queued = <R extends Queued, A>(
  cancelling: { readonly signal?: AbortSignal | undefined; readonly timeoutMs?: number | undefined; readonly task?: CancelledTask },
  start: (cancel: Cancel) => E.Either<SyncError, R>,
  task: (run: R, cancel: Cancel) => TE.TaskEither<SyncError, A>,
): TE.TaskEither<SyncError, A> & NotAPromise =>
  notAPromise(async () => {
    const cancel = cancellation(cancelling.signal, cancelling.timeoutMs, cancelling.task)
    try {
      const started = start(cancel)
      return E.isLeft(started) ? started : await oneAtATime(started.right.store, started.right.address.datasetName, cancel, task(started.right, cancel))
    } finally {
      cancel.dispose()
    }
  })
