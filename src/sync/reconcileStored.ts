/**
 * Reconciling a listing against the store's state *inside* one `modify`, so the result is built from
 * the state it replaces: an app write made while the listing was in flight is reconciled like any
 * other pending edit, never overwritten (prior art, bug 4).
 *
 * `modify` is synchronous, a strategy may not be. An asynchronous strategy therefore decides first, on
 * a snapshot; inside `modify` the same conflicts get the recorded decisions, and a conflict the
 * snapshot did not have (the app wrote the key meanwhile) gets none: it stays unresolved and dirty
 * until the next sync, rather than being decided on content its strategy never saw.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as O from 'fp-ts/lib/Option.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { DatasetName } from '../codecs.js'
import type { Conflict, Decision } from '../Conflict.js'
import type { LocalState } from '../LocalRecord.js'
import { type Reconciliation, type StrategyFailed, reconcile, reconcileTask } from '../reconcile.js'
import type { Listing } from '../RemoteRecord.js'
import type { AsyncStrategy, Strategy, SyncStrategy } from '../Strategy.js'
import type { StoreFailed } from '../stores/LocalStore.js'
import type { SyncStore } from './guardedStore.js'

/** Conflicts are plain data built the same way each time, so their JSON identifies them. */
const identify = (conflict: Conflict): string => JSON.stringify(conflict)

const recording = (strategy: AsyncStrategy, decisions: Map<string, O.Option<Decision>>): AsyncStrategy => ({
  ...strategy,
  decide: (conflict) => async () => {
    const decision = await strategy.decide(conflict)()
    decisions.set(identify(conflict), decision)
    return decision
  },
})

const replaying = (strategy: AsyncStrategy, decisions: ReadonlyMap<string, O.Option<Decision>>): SyncStrategy => ({
  effect: 'sync',
  name: strategy.name,
  laws: strategy.laws,
  decide: (conflict) => decisions.get(identify(conflict)) ?? O.none,
})

/** @since 0.1.0 */
export interface StoredReconciliation {
  readonly reconciliation: Reconciliation
  /** The state before: what the listing was reconciled against. */
  readonly before: LocalState
}

const inModify = (store: SyncStore, dataset: DatasetName, strategy: SyncStrategy, listing: Listing, now: Date) =>
  store.modify(dataset, (local) =>
    pipe(
      reconcile(strategy)({ local, listing, now }),
      E.map((reconciliation) => [{ reconciliation, before: local }, reconciliation.next] as const),
    ),
  )

/**
 * Reconciles `listing` with the stored state of `dataset` and stores `Reconciliation.next`, atomically.
 *
 * @since 0.1.0
 */
export const reconcileStored = (
  store: SyncStore,
  dataset: DatasetName,
  strategy: Strategy,
  listing: Listing,
  now: Date,
): TE.TaskEither<StrategyFailed | StoreFailed, StoredReconciliation> => {
  if (strategy.effect === 'sync') return inModify(store, dataset, strategy, listing, now)
  const decisions = new Map<string, O.Option<Decision>>()
  return pipe(
    store.read(dataset),
    TE.chainW((local) => reconcileTask(recording(strategy, decisions))({ local, listing, now })),
    TE.chainW(() => inModify(store, dataset, replaying(strategy, decisions), listing, now)),
  )
}
