/**
 * The strategies part 1 runs: each as the library's value and as the floor's inline decision.
 */
import * as E from 'fp-ts/lib/Either.js'
import { reconcile } from '../src/reconcile.js'
import type { SyncStrategy } from '../src/Strategy.js'
import { byKey, lastWriterWins, maxValue, remoteWins } from '../strategies/index.js'
import { type Decide, type Merge, byKeyInline, floorMerge, lastWriterWinsInline, maxValueInline } from './floor.js'

export interface StrategyCase {
  readonly name: string
  readonly library: SyncStrategy
  readonly inline: Decide
}

export const strategyCases: ReadonlyArray<StrategyCase> = [
  { name: 'lastWriterWins', library: lastWriterWins, inline: lastWriterWinsInline },
  { name: 'maxValue', library: maxValue(), inline: maxValueInline },
  { name: 'byKey', library: byKey([[/^score\./, maxValue()], [/^settings\./, lastWriterWins]], remoteWins), inline: byKeyInline },
]

/** The library's `reconcile` as a merge; a strategy failure is a broken benchmark, so it throws. */
export const libraryMerge =
  (strategy: SyncStrategy): Merge =>
  (input) => {
    const result = reconcile(strategy)(input)
    if (E.isLeft(result)) throw new Error(`reconcile failed: ${result.left.message}`)
    return result.right
  }

export const floorOf = (c: StrategyCase): Merge => floorMerge(c.inline)
