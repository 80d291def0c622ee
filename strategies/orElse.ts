/**
 * Strategies that apply to some conflicts only, and falling back from one strategy to another.
 *
 * @since 0.1.0
 */
import type { Conflict } from '../src/Conflict.js'
import { declined } from '../src/decision.js'
import { type Combined, type Strategy, commonLaws, decideTask } from '../src/Strategy.js'

/**
 * `strategy`, restricted to the conflicts `applies` accepts; it declines the others.
 *
 * Laws: those of `strategy`, provided `applies` does not depend on which side is local.
 *
 * @example
 * import { when, localWins } from 'cognito-reconcile/strategies'
 * const drafts = when((c) => c.key.startsWith('draft.'), localWins)
 * assert.strictEqual(drafts.decide({ key: 'title', local: { content: 'a' }, remote: { content: 'b' } })._tag, 'None')
 *
 * @since 0.1.0
 */
export const when = <S extends Strategy>(applies: (conflict: Conflict) => boolean, strategy: S): S => {
  const guarded: Strategy =
    strategy.effect === 'sync'
      ? { ...strategy, decide: (conflict) => (applies(conflict) ? strategy.decide(conflict) : declined) }
      : { ...strategy, decide: (conflict) => (applies(conflict) ? strategy.decide(conflict) : () => Promise.resolve(declined)) }
  return guarded as S
}

/**
 * `primary`, and `fallback` for the conflicts `primary` declines.
 *
 * Laws: the commutative, idempotent and selective claims both make. Not associative in general, even
 * when both are: merging under two orders is not a merge under one (for `maxValue` with the
 * `lastWriterWins` fallback, 1 then "x" then 2 can end on 1 or 2 depending on grouping).
 *
 * @example
 * import { orElse, when, localWins, remoteWins } from 'cognito-reconcile/strategies'
 * const s = orElse(when((c) => c.key.startsWith('draft.'), localWins), remoteWins)
 * const d = s.decide({ key: 'title', local: { content: 'a' }, remote: { content: 'b' } })
 * assert.strictEqual(d._tag === 'Some' && d.value.decidedBy, 'remoteWins')
 *
 * @since 0.1.0
 */
export const orElse = <P extends Strategy, F extends Strategy>(primary: P, fallback: F): Combined<P | F> => {
  const name = `${primary.name} orElse ${fallback.name}`
  const laws = commonLaws([primary, fallback]).filter((law) => law !== 'associative')
  const p: Strategy = primary
  const f: Strategy = fallback
  if (p.effect === 'sync' && f.effect === 'sync') {
    const decide = (conflict: Conflict) => {
      // written out rather than O.alt: this runs once per conflict, with no closure to allocate
      const decision = p.decide(conflict)
      return decision._tag === 'Some' ? decision : f.decide(conflict)
    }
    return { effect: 'sync', name, laws, decide } as Combined<P | F>
  }
  const combined: Strategy = {
    effect: 'async',
    name,
    laws,
    // plain Promises rather than fp-ts's Task module, whose instances a browser bundle would carry
    decide: (conflict) => async () => {
      const decision = await decideTask(primary)(conflict)()
      return decision._tag === 'Some' ? decision : decideTask(fallback)(conflict)()
    },
  }
  return combined as Combined<P | F>
}
