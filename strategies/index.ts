/**
 * The built-in strategies and the combinators that build strategies from strategies.
 *
 * @since 0.1.0
 */
export { byKey, type KeyMatcher, type Route } from './byKey.js'
export { custom, customAsync } from './custom.js'
export { contentOrd, fromOrd } from './fromOrd.js'
export { JsonStringSet, type SemigroupStrategyOptions, fromSemigroup, jsonSetUnion, unionSemigroup } from './fromSemigroup.js'
export { effectiveDate, lastWriterWins, writtenOrd } from './lastWriterWins.js'
export { isFiniteDecimal, maxValue, minValue } from './numeric.js'
export { orElse, when } from './orElse.js'
export { localWins, remoteWins } from './sides.js'
export { keepLocal, resolveWith, takeRemote } from '../src/Conflict.js'
export type { AsyncStrategy, Combined, Law, Strategy, SyncStrategy } from '../src/Strategy.js'
export { type JsonObjectOptions, type JsonObjectStrategy, jsonObject } from './jsonObject.js'
export { setUnion } from './setUnion.js'
export { counter } from './counter.js'
