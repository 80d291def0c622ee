/**
 * The strategy of convergent counters (`increment` in the core, `dataset.increment` in the apps): two
 * copies merge slot by slot by max, so every increment made on any device survives.
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import { keepLocal, resolutionFor } from '../src/Conflict.js'
import { CounterSemigroup, CounterText, counterOf } from '../src/Counter.js'
import type { Combined, Strategy, SyncStrategy } from '../src/Strategy.js'
import { lastWriterWins } from './lastWriterWins.js'
import { orElse } from './orElse.js'

const NAME = 'counter'

const merged: SyncStrategy = {
  effect: 'sync',
  name: NAME,
  laws: ['commutative', 'associative', 'idempotent'],
  decide: ({ local, remote }) => {
    if (local.content === null && remote.content === null) return O.some({ resolution: keepLocal, decidedBy: NAME })
    // a deleted counter counts as empty: an increment is never lost to a concurrent delete
    const mine = counterOf(local.content)
    const theirs = counterOf(remote.content)
    if (E.isLeft(mine) || E.isLeft(theirs)) return O.none
    return O.some({ resolution: resolutionFor({ local, remote }, CounterText.encode(CounterSemigroup.concat(mine.right, theirs.right))), decidedBy: NAME })
  },
}

/**
 * Merges two counters slot by slot by max (`CounterSemigroup`), written canonically. Needs no base, so
 * it stays right whatever a device knows of its base: after lost answers, retries and rebases. A
 * deleted side counts as an empty counter, so increments made concurrently with a delete survive it
 * (to reset a counter, decrement it by its total). A side that is not a counter goes to `fallback`
 * (`lastWriterWins` by default).
 *
 * Laws: over counters commutative, associative and idempotent, and the total after any merges is the
 * sum of every increment each device made, less its decrements. With the fallback in play, the
 * commutative and idempotent claims of the fallback.
 *
 * @example
 * import { counter } from 'cognito-reconcile/strategies'
 * import { conflictOf } from 'cognito-reconcile'
 * // both started from {"phone":[2,0]}: the phone earned 3 more, the tablet 4
 * const d = counter().decide(conflictOf('coins', '{"phone":[5,0]}', '{"phone":[2,0],"tablet":[4,0]}'))
 * assert.ok(d._tag === 'Some' && d.value.resolution._tag === 'Write' && d.value.resolution.content === '{"phone":[5,0],"tablet":[4,0]}')
 *
 * @since 0.2.0
 */
export function counter(): Combined<typeof lastWriterWins>
export function counter<S extends Strategy>(fallback: S): Combined<S>
export function counter(fallback: Strategy = lastWriterWins): Strategy {
  return { ...orElse(merged, fallback), name: NAME }
}
