/**
 * Routing conflicts to strategies by key.
 *
 * @since 0.1.0
 */
import type { RecordKey } from '../src/codecs.js'
import { type Combined, type Strategy, allSync, commonLaws, decideTask } from '../src/Strategy.js'

/**
 * Which keys a route takes: one exact key, a pattern, or a predicate.
 *
 * @since 0.1.0
 */
export type KeyMatcher = string | RegExp | ((key: RecordKey) => boolean)

/** @since 0.1.0 */
export type Route<S extends Strategy = Strategy> = readonly [KeyMatcher, S]

const matcherOf = (matcher: KeyMatcher): ((key: RecordKey) => boolean) => {
  if (typeof matcher === 'string') return (key) => key === matcher
  if (typeof matcher === 'function') return matcher
  // a global or sticky RegExp keeps state between calls; its flags have no meaning for a whole key
  const pattern = new RegExp(matcher.source, matcher.flags.replace(/[gy]/g, ''))
  return (key) => pattern.test(key)
}

/**
 * Sends each conflict to the strategy of the first route matching its key, else to `otherwise`. The
 * decision names the strategy that made it.
 *
 * Laws: those every route and `otherwise` claim, since both sides of a conflict have the same key.
 *
 * @example
 * import { byKey, maxValue, lastWriterWins, remoteWins } from 'cognito-reconcile/strategies'
 * const strategy = byKey([['highScore', maxValue()], [/^settings\./, lastWriterWins]], remoteWins)
 * const d = strategy.decide({ key: 'highScore', local: { content: '12' }, remote: { content: '9' } })
 * assert.ok(d._tag === 'Some' && d.value.decidedBy === 'maxValue')
 *
 * @since 0.1.0
 */
export const byKey = <S extends Strategy, D extends Strategy>(routes: ReadonlyArray<Route<S>>, otherwise: D): Combined<S | D> => {
  const matchers = routes.map(([matcher]) => matcherOf(matcher))
  const strategies: ReadonlyArray<Strategy> = [...routes.map(([, strategy]) => strategy), otherwise]
  // the index of the strategy for a key, in `strategies`: the first matching route, else `otherwise`
  const indexFor = (key: RecordKey): number => {
    // a loop rather than findIndex: no closure to allocate per conflict
    let index = 0
    while (index < matchers.length && !(matchers[index] as (key: RecordKey) => boolean)(key)) index++
    return index
  }
  const pick = <T extends Strategy>(candidates: ReadonlyArray<T>, key: RecordKey): T => candidates[indexFor(key)] as T
  const name = `byKey(${strategies.map((strategy) => strategy.name).join(', ')})`
  const laws = commonLaws(strategies)
  const combined: Strategy = allSync(strategies)
    ? { effect: 'sync', name, laws, decide: (conflict) => pick(strategies, conflict.key).decide(conflict) }
    : { effect: 'async', name, laws, decide: (conflict) => decideTask(pick(strategies, conflict.key))(conflict) }
  return combined as Combined<S | D>
}
