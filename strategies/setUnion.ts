/**
 * A three-way merge of sets stored as JSON arrays of strings: additions on either side survive, and a
 * removal survives too, since the base tells a removed item from one never added.
 *
 * @since 0.2.0
 */
import { isRight } from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import { type Conflict, resolutionFor } from '../src/Conflict.js'
import type { Combined, Strategy, SyncStrategy } from '../src/Strategy.js'
import { JsonStringSet, jsonSetUnion } from './fromSemigroup.js'
import type { lastWriterWins } from './lastWriterWins.js'
import { orElse } from './orElse.js'

const NAME = 'setUnion'

const decode = (content: string): O.Option<ReadonlySet<string>> => {
  const decoded = JsonStringSet.decode(content)
  return isRight(decoded) ? O.some(decoded.right) : O.none
}

/** An item stays when both sides have it, or when a side added it since the base. */
const merge3 = (base: ReadonlySet<string>, local: ReadonlySet<string>, remote: ReadonlySet<string>): ReadonlySet<string> =>
  new Set([...local, ...remote].filter((item) => (local.has(item) && remote.has(item)) || !base.has(item)))

const threeWay: SyncStrategy = {
  effect: 'sync',
  name: NAME,
  laws: ['commutative', 'associative', 'idempotent'],
  decide: ({ base, local, remote }: Conflict) => {
    if (base === undefined || local.content === null || remote.content === null) return O.none
    const b = base.content === null ? O.some(new Set<string>()) : decode(base.content)
    const l = decode(local.content)
    const r = decode(remote.content)
    if (O.isNone(b) || O.isNone(l) || O.isNone(r)) return O.none
    return O.some({ resolution: resolutionFor({ local, remote }, JsonStringSet.encode(merge3(b.value, l.value, r.value))), decidedBy: NAME })
  },
}

/**
 * A three-way merge of JSON string sets (`["a","b"]`) against the conflict's `base`: an item added on
 * either side is kept; an item removed on one side since the base is removed, and never brought back
 * by the other side still holding it. Written sorted and without duplicates. A base that is a
 * tombstone counts as an empty set. Without a base (a key new here, or a base this device cannot be
 * sure of), or with a side that is not such a set or is deleted, the conflict goes to `fallback`:
 * `jsonSetUnion()` by default, which keeps every item (a removal may then come back) and gives other
 * values to `lastWriterWins`.
 *
 * Laws, over conflicts with a base: a side unchanged since the base gives the other side; equal
 * changes merge to themselves; commutative, associative and idempotent for a given base; never
 * resurrects an item removed since the base, never drops one added since. As `laws` (stated without a
 * base, so over the fallback): commutative and idempotent.
 *
 * @example
 * import { setUnion } from 'cognito-reconcile/strategies'
 * import { conflictOf } from 'cognito-reconcile'
 * // the phone removed "b" and added "d"; the tablet, still holding "b", added "c"
 * const d = setUnion().decide(conflictOf('tags', '["a","d"]', '["a","b","c"]', '["a","b"]'))
 * assert.ok(d._tag === 'Some' && d.value.resolution._tag === 'Write' && d.value.resolution.content === '["a","c","d"]')
 *
 * @since 0.2.0
 */
export function setUnion(): Combined<typeof lastWriterWins>
export function setUnion<S extends Strategy>(fallback: S): Combined<S>
export function setUnion(fallback: Strategy = jsonSetUnion()): Strategy {
  return { ...orElse(threeWay, fallback), name: NAME }
}
