/**
 * A store as the sync adapter uses it: a `LocalStore` must never reject (its failures are `Left`s), but a
 * hand-written one may throw or reject anyway; a sync or delete then answers the `StoreFailed` the store
 * should have given, instead of rejecting its own `TaskEither`. The local data is whatever the store
 * kept: the run stops at the failed step, as on any `StoreFailed`.
 *
 * @since 0.3.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { type LocalStore, type StoreFailed, storeFailed } from '../stores/LocalStore.js'

/** What a `StoreFailed` for a store that broke the never-reject rule says. */
const rejectedMessage = 'the store rejected instead of answering a Left; LocalStore methods must never reject'

/** `call()`, with a throw or a rejection (a store breaking the never-reject rule) answered as a `StoreFailed`. @internal */
export const caught =
  <Err, A>(call: () => TE.TaskEither<Err, A>): TE.TaskEither<Err | StoreFailed, A> =>
  async () => {
    try {
      return await call()()
    } catch (cause) {
      return E.left(storeFailed(rejectedMessage, cause))
    }
  }

/** What of a store a sync or a delete uses: whole states, and the lock other contexts share. @internal */
export type SyncStore = Pick<LocalStore, 'read' | 'modify' | 'syncLock'>

const guarded = new WeakMap<SyncStore, SyncStore>()

/**
 * `store` with a throw or rejection of `read` or `modify` answered as a `StoreFailed`. The same store
 * always gets the same guard, so what is keyed by store (the queue of each dataset, the record of what
 * was checked) sees one store. @internal
 */
export const guardedStore = (store: SyncStore): SyncStore => {
  const known = guarded.get(store)
  if (known !== undefined) return known
  const guard: SyncStore = {
    read: (dataset) => caught(() => store.read(dataset)),
    modify: (dataset, f) => caught(() => store.modify(dataset, f)),
    ...(store.syncLock !== undefined && { syncLock: store.syncLock }),
  }
  guarded.set(store, guard)
  return guard
}
