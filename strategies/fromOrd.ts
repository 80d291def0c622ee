/**
 * Strategies from orderings: the greater side wins.
 *
 * @since 0.1.0
 */
import type { Ord } from 'fp-ts/lib/Ord.js'
import { type Version, keepLocal, takeRemote } from '../src/Conflict.js'
import { decided } from '../src/decision.js'
import { type SyncStrategy, allLaws } from '../src/Strategy.js'

/**
 * Orders contents so that every device breaks a tie the same way: a tombstone first, then values by
 * UTF-16 code units (the order of `<` on strings, the same on every platform).
 *
 * @since 0.1.0
 */
export const contentOrd: Ord<Version> = {
  equals: (a, b) => a.content === b.content,
  compare: (a, b) => (a.content === b.content ? 0 : a.content === null ? -1 : b.content === null ? 1 : a.content < b.content ? -1 : 1),
}

/**
 * Versions ordered by a number computed from each: `contramap(f)(N.Ord)`, written out so that a
 * browser bundle carries neither fp-ts's Ord nor its number module.
 *
 * @internal
 */
export const ordBy = (f: (version: Version) => number): Ord<Version> => ({
  equals: (a, b) => f(a) === f(b),
  compare: (a, b) => {
    const x = f(a)
    const y = f(b)
    return x < y ? -1 : x > y ? 1 : 0
  },
})

/**
 * The strategy that keeps the greater side by `ord`; a tie goes to the greater content by
 * `contentOrd`, so the winner never depends on which side is local.
 *
 * Laws: given a lawful `Ord` (a total preorder), commutative, associative, idempotent and selective: the
 * result is the maximum under (`ord`, then content), a total order on contents.
 *
 * @example
 * import type { Version } from 'cognito-reconcile'
 * import { fromOrd } from 'cognito-reconcile/strategies'
 * import * as N from 'fp-ts/lib/number.js'
 * import { contramap } from 'fp-ts/lib/Ord.js'
 * const longest = fromOrd('longest', contramap((v: Version) => v.content?.length ?? -1)(N.Ord))
 * const decision = longest.decide({ key: 'k', local: { content: 'abc' }, remote: { content: 'de' } })
 * assert.strictEqual(decision._tag === 'Some' && decision.value.resolution._tag, 'KeepLocal')
 *
 * @since 0.1.0
 */
export const fromOrd = (name: string, ord: Ord<Version>): SyncStrategy => ({
  effect: 'sync',
  name,
  laws: allLaws,
  decide: (conflict) => {
    const order = ord.compare(conflict.local, conflict.remote) || contentOrd.compare(conflict.local, conflict.remote)
    return decided(order > 0 ? keepLocal : takeRemote, name)
  },
})
