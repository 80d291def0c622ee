/**
 * A law checker for strategies: fast-check properties for each law a strategy claims, for your own
 * strategies as much as for ours.
 *
 * @since 0.1.0
 */
import fc from 'fast-check'
import * as O from 'fp-ts/lib/Option.js'
import type { Content, RecordKey } from '../codecs.js'
import type { Version } from '../Conflict.js'
import { type Law, type Strategy, decideTask } from '../Strategy.js'
import { recordKey, version } from './arbitraries.js'

/** @since 0.1.0 */
export interface LawOptions {
  /** The versions to merge; default: any content, dates with frequent ties. */
  readonly versions?: fc.Arbitrary<Version>
  /** When two results count as the same, for merges that write a canonical form; default `===`. */
  readonly equivalent?: (a: Content, b: Content) => boolean
}

const later = (a: Date | undefined, b: Date | undefined): Date | undefined =>
  a === undefined ? b : b === undefined ? a : a > b ? a : b

/**
 * `strategy` as a binary merge: `a` local, `b` remote. New content is stamped with the later of the two
 * device dates, as reconcile stamps it after both.
 *
 * @example
 * import { merge } from 'cognito-reconcile/testkit'
 * import { maxValue } from 'cognito-reconcile/strategies'
 * assert.strictEqual((await merge(maxValue())('k', { content: '3' }, { content: '7' })).content, '7')
 *
 * @since 0.1.0
 */
export const merge =
  (strategy: Strategy) =>
  async (key: RecordKey, a: Version, b: Version): Promise<Version> => {
    const decision = await decideTask(strategy)({ key, local: a, remote: b })()
    if (O.isNone(decision)) throw new Error(`${strategy.name} declined a conflict on ${JSON.stringify(key)}: a law needs an answer`)
    const { resolution } = decision.value
    if (resolution._tag === 'KeepLocal') return a
    if (resolution._tag === 'TakeRemote') return b
    const stamp = later(a.deviceLastModifiedDate, b.deviceLastModifiedDate)
    return { content: resolution.content, ...(stamp && { deviceLastModifiedDate: stamp }) }
  }

/**
 * One property per law: a law holds when its property does. Use it to check a law a strategy does not
 * claim everywhere, over the domain where it should hold.
 *
 * @example
 * import fc from 'fast-check'
 * import { lawProperties, numericValue, version } from 'cognito-reconcile/testkit'
 * import { maxValue } from 'cognito-reconcile/strategies'
 * await fc.assert(lawProperties(maxValue(), { versions: version(numericValue) }).associative, { numRuns: 50 })
 *
 * @since 0.1.0
 */
export const lawProperties = (strategy: Strategy, options: LawOptions = {}): Record<Law, fc.IAsyncProperty<[RecordKey, Version, Version, Version]>> => {
  const versions = options.versions ?? version()
  const same = options.equivalent ?? ((a, b) => a === b)
  const m = merge(strategy)
  const property = (holds: (key: RecordKey, a: Version, b: Version, c: Version) => Promise<boolean>) =>
    fc.asyncProperty(recordKey, versions, versions, versions, holds)
  return {
    commutative: property(async (key, a, b) => same((await m(key, a, b)).content, (await m(key, b, a)).content)),
    associative: property(async (key, a, b, c) =>
      same((await m(key, await m(key, a, b), c)).content, (await m(key, a, await m(key, b, c))).content),
    ),
    idempotent: property(async (key, a) => same((await m(key, a, a)).content, a.content)),
    selective: property(async (key, a, b) => {
      const result = (await m(key, a, b)).content
      return result === a.content || result === b.content
    }),
  }
}

/**
 * Checks every law `strategy` claims; rejects with fast-check's report (seed and path to replay) on
 * the first that fails.
 *
 * @example
 * import { checkLaws } from 'cognito-reconcile/testkit'
 * import { lastWriterWins } from 'cognito-reconcile/strategies'
 * await checkLaws(lastWriterWins, {}, { numRuns: 50 })
 *
 * @since 0.1.0
 */
export const checkLaws = async (strategy: Strategy, options: LawOptions = {}, parameters: fc.Parameters<[RecordKey, Version, Version, Version]> = {}): Promise<void> => {
  const properties = lawProperties(strategy, options)
  for (const law of strategy.laws) {
    try {
      await fc.assert(properties[law], parameters)
    } catch (error) {
      throw new Error(`${strategy.name} claims to be ${law}, but is not:\n${error instanceof Error ? error.message : String(error)}`)
    }
  }
}
