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
import { showContent, showReplay, showRuns, showString, showVersion } from './show.js'

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

/** The three sides a law may use; `a` and `b` are the local and remote sides of the first merge. */
interface Sides {
  readonly key: RecordKey
  readonly a: Version
  readonly b: Version
  readonly c: Version
}

/** One law: the sides it uses, and why it fails on them (`undefined` when it holds). */
interface LawCheck {
  readonly uses: ReadonlyArray<'a' | 'b' | 'c'>
  readonly fails: (m: ReturnType<typeof merge>, same: (a: Content, b: Content) => boolean, sides: Sides) => Promise<string | undefined>
}

/** A result, named after the side it equals when it equals one. */
const named = (result: Version, sides: Partial<Record<'a' | 'b' | 'c', Version>>): string => {
  const equal = (Object.entries(sides) as Array<[string, Version]>).filter(([, side]) => side.content === result.content).map(([name]) => name)
  return equal.length === 0 ? showContent(result.content) : `${equal.join(' = ')} (${showContent(result.content)})`
}

const checks: Record<Law, LawCheck> = {
  commutative: {
    uses: ['a', 'b'],
    fails: async (m, same, { key, a, b }) => {
      const [ab, ba] = [await m(key, a, b), await m(key, b, a)]
      return same(ab.content, ba.content) ? undefined : `merge(local=a, remote=b) = ${named(ab, { a, b })} but merge(local=b, remote=a) = ${named(ba, { a, b })}`
    },
  },
  associative: {
    uses: ['a', 'b', 'c'],
    fails: async (m, same, { key, a, b, c }) => {
      const [ab, bc] = [await m(key, a, b), await m(key, b, c)]
      const [left, right] = [await m(key, ab, c), await m(key, a, bc)]
      return same(left.content, right.content)
        ? undefined
        : `merge(merge(a, b), c) = ${named(left, { a, b, c })} but merge(a, merge(b, c)) = ${named(right, { a, b, c })}, where merge(a, b) = ${named(ab, { a, b })} and merge(b, c) = ${named(bc, { b, c })}`
    },
  },
  idempotent: {
    uses: ['a'],
    fails: async (m, same, { key, a }) => {
      const aa = await m(key, a, a)
      return same(aa.content, a.content) ? undefined : `merge(local=a, remote=a) = ${showContent(aa.content)}, not a (${showContent(a.content)})`
    },
  },
  selective: {
    uses: ['a', 'b'],
    fails: async (m, _same, { key, a, b }) => {
      const ab = await m(key, a, b)
      return ab.content === a.content || ab.content === b.content ? undefined : `merge(local=a, remote=b) = ${showContent(ab.content)}, neither a (${showContent(a.content)}) nor b (${showContent(b.content)})`
    },
  },
}

const lawProperty = (strategy: Strategy, law: Law, options: LawOptions): fc.IAsyncProperty<[RecordKey, Version, Version, Version]> => {
  const versions = options.versions ?? version()
  const same = options.equivalent ?? ((a: Content, b: Content) => a === b)
  const m = merge(strategy)
  return fc.asyncProperty(recordKey, versions, versions, versions, async (key, a, b, c) => (await checks[law].fails(m, same, { key, a, b, c })) === undefined)
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
export const lawProperties = (strategy: Strategy, options: LawOptions = {}): Record<Law, fc.IAsyncProperty<[RecordKey, Version, Version, Version]>> => ({
  commutative: lawProperty(strategy, 'commutative', options),
  associative: lawProperty(strategy, 'associative', options),
  idempotent: lawProperty(strategy, 'idempotent', options),
  selective: lawProperty(strategy, 'selective', options),
})

/**
 * Why `law` fails for `strategy` on these sides, in words (`undefined` when it holds): the results
 * that differ, each named after the side it equals, strings printed so that invisible and multi-unit
 * characters show.
 *
 * @example
 * import { explainLaw } from 'cognito-reconcile/testkit'
 * import { localWins } from 'cognito-reconcile/strategies'
 * const why = await explainLaw(localWins, 'commutative', { key: 'k', a: { content: 'x' }, b: { content: 'y' } })
 * assert.strictEqual(why, 'merge(local=a, remote=b) = a ("x") but merge(local=b, remote=a) = b ("y")')
 *
 * @since 0.2.0
 */
export const explainLaw = async (
  strategy: Strategy,
  law: Law,
  sides: { readonly key: string; readonly a: Version; readonly b?: Version; readonly c?: Version },
  options: Pick<LawOptions, 'equivalent'> = {},
): Promise<string | undefined> => {
  const { key, a, b = a, c = a } = sides
  try {
    return await checks[law].fails(merge(strategy), options.equivalent ?? ((x, y) => x === y), { key: key as RecordKey, a, b, c })
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}

/**
 * Checks every law `strategy` claims; rejects on the first that fails with a counterexample a person
 * can read: the key and each side the law uses, by name, the results that differ, and the seed and
 * path that replay it (pass them back as the third argument).
 *
 * @example
 * import { checkLaws } from 'cognito-reconcile/testkit'
 * import { lastWriterWins, localWins } from 'cognito-reconcile/strategies'
 * await checkLaws(lastWriterWins, {}, { numRuns: 50 })
 * const liar = { ...localWins, name: 'liar', laws: ['commutative' as const] }
 * await assert.rejects(checkLaws(liar), /merge\(local=a, remote=b\) = a .* but merge\(local=b, remote=a\) = b/)
 *
 * @since 0.1.0
 */
export const checkLaws = async (strategy: Strategy, options: LawOptions = {}, parameters: fc.Parameters<[RecordKey, Version, Version, Version]> = {}): Promise<void> => {
  for (const law of strategy.laws) {
    const details = await fc.check(lawProperty(strategy, law, options), parameters)
    if (!details.failed) continue
    const found = details.counterexample
    const lines =
      found === null
        ? [`no counterexample: ${String(details.errorInstance)}`]
        : await (async () => {
            const [key, a, b, c] = found
            const sides = { a, b, c }
            const why = await explainLaw(strategy, law, { key, a, b, c }, options)
            return [
              `key = ${showString(key)}`,
              ...checks[law].uses.map((side) => `${side} = ${showVersion(sides[side])}`),
              why ?? `the law held when checked again: ${strategy.name} does not decide the same way twice (a clock, Math.random, state?)`,
            ]
          })()
    throw new Error(
      [
        `${strategy.name} claims to be ${law}, but is not (${showRuns(details)}):`,
        ...lines.map((line) => `  ${line}`),
        `Replay: checkLaws(strategy, options, ${showReplay(details)})`,
      ].join('\n'),
    )
  }
}
