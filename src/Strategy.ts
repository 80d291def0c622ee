/**
 * A strategy decides conflicts. It is a plain value: a name, the merge laws it claims, and `decide`,
 * which answers a `Decision`, or `none` when the strategy does not apply (so that `orElse` can pass the
 * conflict on). A strategy is synchronous or asynchronous (for resolvers that ask a person or a
 * server); both kinds run through the same reconcile pipeline.
 *
 * Laws are stated over the content a resolution leaves (`resolvedContent`), with `merge(a, b)` the
 * content chosen when `a` is local and `b` remote:
 * - commutative: `merge(a, b) = merge(b, a)`, so the order devices sync in does not matter;
 * - associative: `merge(merge(a, b), c) = merge(a, merge(b, c))`, so neither does batching;
 * - idempotent: `merge(a, a) = a`, so a replayed sync changes nothing;
 * - selective: `merge(a, b)` is `a` or `b`, never new content.
 * A strategy that is commutative, associative and idempotent converges whatever the order of syncs.
 *
 * @since 0.1.0
 */
import type { Option } from 'fp-ts/lib/Option.js'
import type { Task } from 'fp-ts/lib/Task.js'
import type { Conflict, Decision } from './Conflict.js'

/** @since 0.1.0 */
export type Law = 'commutative' | 'associative' | 'idempotent' | 'selective'

/** Every law, for strategies that claim them all. @since 0.1.0 */
export const allLaws: ReadonlyArray<Law> = ['commutative', 'associative', 'idempotent', 'selective']

/** @since 0.1.0 */
export interface SyncStrategy {
  readonly effect: 'sync'
  readonly name: string
  readonly laws: ReadonlyArray<Law>
  readonly decide: (conflict: Conflict) => Option<Decision>
}

/** @since 0.1.0 */
export interface AsyncStrategy {
  readonly effect: 'async'
  readonly name: string
  readonly laws: ReadonlyArray<Law>
  readonly decide: (conflict: Conflict) => Task<Option<Decision>>
}

/** @since 0.1.0 */
export type Strategy = SyncStrategy | AsyncStrategy

/**
 * What combining strategies of types `S` gives: synchronous when all of them are.
 *
 * @since 0.1.0
 */
export type Combined<S extends Strategy> = [S] extends [SyncStrategy] ? SyncStrategy : Strategy

/**
 * `decide` as a Task, whatever the strategy's kind; how combinators mix synchronous and asynchronous
 * strategies.
 *
 * @example
 * import { decideTask } from 'cognito-reconcile'
 * import { remoteWins } from 'cognito-reconcile/strategies'
 * const decision = await decideTask(remoteWins)({ key: 'k', local: { content: 'a' }, remote: { content: 'b' } })()
 * assert.strictEqual(decision._tag === 'Some' && decision.value.decidedBy, 'remoteWins')
 *
 * @since 0.1.0
 */
export const decideTask =
  (strategy: Strategy) =>
  (conflict: Conflict): Task<Option<Decision>> => {
    if (strategy.effect === 'async') return strategy.decide(conflict)
    const answer = strategy.decide(conflict)
    return () => Promise.resolve(answer)
  }

/**
 * Whether every strategy given is synchronous.
 *
 * @example
 * import { allSync } from 'cognito-reconcile'
 * import { customAsync, keepLocal, lastWriterWins } from 'cognito-reconcile/strategies'
 * assert.strictEqual(allSync([lastWriterWins]), true)
 * assert.strictEqual(allSync([lastWriterWins, customAsync('ask', async () => keepLocal)]), false)
 *
 * @since 0.1.0
 */
export const allSync = (strategies: ReadonlyArray<Strategy>): strategies is ReadonlyArray<SyncStrategy> =>
  strategies.every((strategy) => strategy.effect === 'sync')

/**
 * The laws every strategy given claims, in the order of `allLaws`.
 *
 * @example
 * import { commonLaws } from 'cognito-reconcile'
 * import { lastWriterWins, localWins } from 'cognito-reconcile/strategies'
 * assert.deepStrictEqual(commonLaws([lastWriterWins, localWins]), ['idempotent', 'selective'])
 *
 * @since 0.1.0
 */
export const commonLaws = (strategies: ReadonlyArray<Strategy>): ReadonlyArray<Law> =>
  allLaws.filter((law) => strategies.every((strategy) => strategy.laws.includes(law)))
