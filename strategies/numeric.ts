/**
 * Numeric registers: the greater (or smaller) number wins, as for a high score or a best time.
 *
 * @since 0.1.0
 */
import type { Ord } from 'fp-ts/lib/Ord.js'
import type { Conflict, Version } from '../src/Conflict.js'
import type { Combined, Strategy } from '../src/Strategy.js'
import { fromOrd, ordBy } from './fromOrd.js'
import { lastWriterWins } from './lastWriterWins.js'
import { orElse, when } from './orElse.js'

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

/**
 * Whether a value is a finite decimal number such as `42`, `-0.5` or `1e3` (no whitespace, no hex, no
 * `Infinity`, nothing that overflows to it).
 *
 * @example
 * import { isFiniteDecimal } from 'cognito-reconcile/strategies'
 * assert.ok(isFiniteDecimal('-0.5') && isFiniteDecimal('1e3'))
 * assert.ok(!isFiniteDecimal('') && !isFiniteDecimal(' 1') && !isFiniteDecimal('0x10') && !isFiniteDecimal('1e999'))
 *
 * @since 0.1.0
 */
export const isFiniteDecimal = (value: string): boolean => DECIMAL.test(value) && Number.isFinite(Number(value))

const bothNumeric = ({ local, remote }: Conflict): boolean =>
  local.content !== null && remote.content !== null && isFiniteDecimal(local.content) && isFiniteDecimal(remote.content)

const numericOrd = ordBy((version: Version) => Number(version.content))

/**
 * The smaller number wins: `reverse(numericOrd)`. Functions only, no read of `numericOrd` at load, so
 * that a bundle without `minValue` drops it.
 */
const reversedNumericOrd: Ord<Version> = { equals: (a, b) => numericOrd.equals(a, b), compare: (a, b) => numericOrd.compare(b, a) }

const numericStrategy = <S extends Strategy>(name: string, ord: Ord<Version>, fallback: S): Combined<S> => {
  const named = orElse(when(bothNumeric, fromOrd(name, ord)), fallback)
  return { ...named, name } as Combined<S>
}

/**
 * The greater number wins; equal numbers written differently (`1` and `1.0`) are broken by content.
 * A conflict where either side is not a number, or is deleted, goes to `fallback`.
 *
 * Laws: over numeric values a lattice (commutative, associative, idempotent, selective). With the
 * fallback in play, the commutative, idempotent and selective claims of the fallback; not associative.
 *
 * @example
 * import { maxValue } from 'cognito-reconcile/strategies'
 * const d = maxValue().decide({ key: 'best', local: { content: '9' }, remote: { content: '10' } })
 * assert.ok(d._tag === 'Some' && d.value.resolution._tag === 'TakeRemote' && d.value.decidedBy === 'maxValue')
 *
 * @since 0.1.0
 */
export function maxValue(): Combined<typeof lastWriterWins>
export function maxValue<S extends Strategy>(fallback: S): Combined<S>
export function maxValue(fallback: Strategy = lastWriterWins): Strategy {
  return numericStrategy('maxValue', numericOrd, fallback)
}

/**
 * The smaller number wins, as for a fastest lap; otherwise as `maxValue`.
 *
 * @example
 * import { minValue, remoteWins } from 'cognito-reconcile/strategies'
 * const d = minValue(remoteWins).decide({ key: 'lap', local: { content: '61.2' }, remote: { content: '62' } })
 * assert.ok(d._tag === 'Some' && d.value.resolution._tag === 'KeepLocal' && d.value.decidedBy === 'minValue')
 *
 * @since 0.1.0
 */
export function minValue(): Combined<typeof lastWriterWins>
export function minValue<S extends Strategy>(fallback: S): Combined<S>
export function minValue(fallback: Strategy = lastWriterWins): Strategy {
  return numericStrategy('minValue', reversedNumericOrd, fallback)
}
