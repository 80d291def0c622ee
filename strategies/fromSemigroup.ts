/**
 * Strategies that merge both sides into new content, from a `Semigroup` over values decoded with an
 * io-ts codec: the union of sets, the concatenation of logs, the sum of fields.
 *
 * @since 0.1.0
 */
import { isRight } from 'fp-ts/lib/Either.js'
import type { Semigroup } from 'fp-ts/lib/Semigroup.js'
import * as t from 'io-ts'
import { resolveWith } from '../src/Conflict.js'
import { decided, declined } from '../src/decision.js'
import type { Combined, Law, Strategy, SyncStrategy } from '../src/Strategy.js'
import { lastWriterWins } from './lastWriterWins.js'
import { orElse } from './orElse.js'

/** @since 0.1.0 */
export interface SemigroupStrategyOptions<A> {
  readonly name: string
  /** Reads a record value into `A` and writes `A` back, canonically. */
  readonly codec: t.Type<A, string, string>
  readonly semigroup: Semigroup<A>
  /** What the merge satisfies. A semigroup is associative; union is also commutative and idempotent. */
  readonly laws?: ReadonlyArray<Law>
}

/**
 * Writes `concat(local, remote)` when both sides decode; declines a delete or a value that does not
 * decode, for `orElse` to hand on.
 *
 * Laws: as claimed in `options.laws` (default: associative), up to the codec's canonical form.
 *
 * @example
 * import { fromSemigroup } from 'cognito-reconcile/strategies'
 * import * as N from 'fp-ts/lib/number.js'
 * import * as t from 'io-ts'
 * // a counter of offline increments would need the base; a plain sum shows the shape
 * const NumberText = new t.Type<number, string, string>('NumberText', (u): u is number => typeof u === 'number', (s, c) => (Number.isFinite(Number(s)) ? t.success(Number(s)) : t.failure(s, c)), String)
 * const sum = fromSemigroup({ name: 'sum', codec: NumberText, semigroup: N.SemigroupSum, laws: ['commutative', 'associative'] })
 * const d = sum.decide({ key: 'k', local: { content: '2' }, remote: { content: '3' } })
 * assert.ok(d._tag === 'Some' && d.value.resolution._tag === 'Write' && d.value.resolution.content === '5')
 *
 * @since 0.1.0
 */
export const fromSemigroup = <A>({ name, codec, semigroup, laws = ['associative'] }: SemigroupStrategyOptions<A>): SyncStrategy => ({
  effect: 'sync',
  name,
  laws,
  decide: ({ local, remote }) => {
    if (local.content === null || remote.content === null) return declined
    const mine = codec.decode(local.content)
    const theirs = codec.decode(remote.content)
    // a merge can outgrow the value limit: reconcile checks every written content and reports it
    return isRight(mine) && isRight(theirs)
      ? decided(resolveWith(codec.encode(semigroup.concat(mine.right, theirs.right))), name)
      : declined
  },
})

/**
 * A set of strings stored as a JSON array, written back sorted and without duplicates.
 *
 * @since 0.1.0
 */
export const JsonStringSet = new t.Type<ReadonlySet<string>, string, string>(
  'JsonStringSet',
  (u): u is ReadonlySet<string> => u instanceof Set && Array.from(u).every((item) => typeof item === 'string'),
  (text, c) => {
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      return t.failure(text, c, 'not JSON')
    }
    return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string') ? t.success(new Set(parsed)) : t.failure(text, c)
  },
  (set) => JSON.stringify(Array.from(set).sort()),
)

/** Set union. @since 0.1.0 */
export const unionSemigroup: Semigroup<ReadonlySet<string>> = { concat: (a, b) => new Set([...a, ...b]) }

/**
 * The union of two JSON string sets (`["a","b"]`), so that items added on either device survive.
 * A delete or a value that is not such a set goes to `fallback`. Removing an item needs the base the
 * edit started from (a three-way merge); a union alone brings a removed item back.
 *
 * Laws: over JSON string sets commutative, associative and idempotent (up to order and duplicates),
 * not selective.
 *
 * @example
 * import { jsonSetUnion } from 'cognito-reconcile/strategies'
 * const d = jsonSetUnion().decide({ key: 'tags', local: { content: '["b","a"]' }, remote: { content: '["c"]' } })
 * assert.ok(d._tag === 'Some' && d.value.resolution._tag === 'Write' && d.value.resolution.content === '["a","b","c"]')
 *
 * @since 0.1.0
 */
export function jsonSetUnion(): Combined<typeof lastWriterWins>
export function jsonSetUnion<S extends Strategy>(fallback: S): Combined<S>
export function jsonSetUnion(fallback: Strategy = lastWriterWins): Strategy {
  const union = fromSemigroup({ name: 'jsonSetUnion', codec: JsonStringSet, semigroup: unionSemigroup, laws: ['commutative', 'associative', 'idempotent'] })
  return { ...orElse(union, fallback), name: 'jsonSetUnion' }
}
