/**
 * Laws of the merges that read the base (three-way merges: per field, sets without resurrection,
 * counters), checked the way `checkLaws` checks the two-way ones, with counterexamples that name the
 * base and both sides. With `b` the base, `merge(b; l, r)` is the content the strategy leaves when the
 * local side `l` and the remote side `r` both started from `b`:
 * - `unchangedSide`: a side that left the base as it was gives way to the other:
 *   `merge(b; b, r) = r` and `merge(b; l, b) = l`;
 * - `equalChanges`: both sides changed alike merge to that change: `merge(b; a, a) = a`;
 * - `symmetric`: the sides may swap: `merge(b; l, r) = merge(b; r, l)`;
 * - `keepsDeletes`: a delete against an unchanged side stays a delete: `merge(b; deleted, b) = deleted`
 *   and `merge(b; b, deleted) = deleted` (implied by `unchangedSide`, and checked alone for strategies
 *   that claim no more).
 *
 * @since 0.2.0
 */
import fc from 'fast-check'
import * as O from 'fp-ts/lib/Option.js'
import type { Content, RecordKey } from '../codecs.js'
import { type Version, resolvedContent } from '../Conflict.js'
import { type Strategy, decideTask } from '../Strategy.js'
import { recordKey, version } from './arbitraries.js'
import { showContent, showReplay, showRuns, showString, showVersion } from './show.js'

/** @since 0.2.0 */
export type ThreeWayLaw = 'unchangedSide' | 'equalChanges' | 'symmetric' | 'keepsDeletes'

/** Every three-way law. @since 0.2.0 */
export const threeWayLaws: ReadonlyArray<ThreeWayLaw> = ['unchangedSide', 'equalChanges', 'symmetric', 'keepsDeletes']

/** @since 0.2.0 */
export interface ThreeWayOptions {
  /** The sides and the base; default `version()`: any content, dates with frequent ties. */
  readonly versions?: fc.Arbitrary<Version>
  /** When two results count as the same, for merges that write a canonical form; default `===`. */
  readonly equivalent?: (a: Content, b: Content) => boolean
}

/**
 * `strategy` deciding a conflict whose local side `local` and remote side `remote` both started from
 * `base`: the content it leaves.
 *
 * @example
 * import { merge3 } from 'cognito-reconcile/testkit'
 * import { lastWriterWins } from 'cognito-reconcile/strategies'
 * assert.strictEqual(await merge3(lastWriterWins)('k', { content: 'b' }, { content: 'x', deviceLastModifiedDate: new Date(2) }, { content: 'y', deviceLastModifiedDate: new Date(1) }), 'x')
 *
 * @since 0.2.0
 */
export const merge3 =
  (strategy: Strategy) =>
  async (key: string, base: Version, local: Version, remote: Version): Promise<Content> => {
    const conflict = { key: key as RecordKey, local, remote, base }
    const decision = await decideTask(strategy)(conflict)()
    if (O.isNone(decision)) throw new Error(`${strategy.name} declined a conflict on ${showString(key)}: a law needs an answer`)
    return resolvedContent(conflict, decision.value.resolution)
  }

interface Triple {
  readonly key: string
  readonly base: Version
  readonly local: Version
  readonly remote: Version
}

type Same = (a: Content, b: Content) => boolean

const checks: Record<ThreeWayLaw, (m: ReturnType<typeof merge3>, same: Same, t: Triple) => Promise<string | undefined>> = {
  unchangedSide: async (m, same, { key, base, local, remote }) => {
    const [takesRemote, takesLocal] = [await m(key, base, { ...local, content: base.content }, remote), await m(key, base, local, { ...remote, content: base.content })]
    if (!same(takesRemote, remote.content)) return `the local side left the base as it was, so the merge should be the remote (${showContent(remote.content)}), but is ${showContent(takesRemote)}`
    if (!same(takesLocal, local.content)) return `the remote side left the base as it was, so the merge should be the local (${showContent(local.content)}), but is ${showContent(takesLocal)}`
    return undefined
  },
  equalChanges: async (m, same, { key, base, local, remote }) => {
    const merged = await m(key, base, local, { ...remote, content: local.content })
    return same(merged, local.content) ? undefined : `both sides changed the base to ${showContent(local.content)}, but the merge is ${showContent(merged)}`
  },
  symmetric: async (m, same, { key, base, local, remote }) => {
    const [lr, rl] = [await m(key, base, local, remote), await m(key, base, remote, local)]
    return same(lr, rl) ? undefined : `merge(base; local=l, remote=r) = ${showContent(lr)} but merge(base; local=r, remote=l) = ${showContent(rl)}`
  },
  keepsDeletes: async (m, _same, { key, base, local, remote }) => {
    const [deletedHere, deletedThere] = [await m(key, base, { ...local, content: null }, { ...remote, content: base.content }), await m(key, base, { ...local, content: base.content }, { ...remote, content: null })]
    if (deletedHere !== null) return `the local side deleted the key and the remote left the base as it was, but the merge is ${showContent(deletedHere)}`
    if (deletedThere !== null) return `the remote side deleted the key and the local left the base as it was, but the merge is ${showContent(deletedThere)}`
    return undefined
  },
}

const triples = (versions: fc.Arbitrary<Version>): fc.Arbitrary<Triple> => fc.record({ key: recordKey, base: versions, local: versions, remote: versions })

/**
 * One property per three-way law, for `fc.assert` or any runner that drives fast-check.
 *
 * @example
 * import fc from 'fast-check'
 * import { threeWayProperties } from 'cognito-reconcile/testkit'
 * import { remoteWins } from 'cognito-reconcile/strategies'
 * await assert.rejects(fc.assert(threeWayProperties(remoteWins).unchangedSide))
 *
 * @since 0.2.0
 */
export const threeWayProperties = (strategy: Strategy, options: ThreeWayOptions = {}): Record<ThreeWayLaw, fc.IAsyncProperty<[Triple]>> => {
  const m = merge3(strategy)
  const same = options.equivalent ?? ((a: Content, b: Content) => a === b)
  const property = (law: ThreeWayLaw) => fc.asyncProperty(triples(options.versions ?? version()), async (t) => (await checks[law](m, same, t)) === undefined)
  return { unchangedSide: property('unchangedSide'), equalChanges: property('equalChanges'), symmetric: property('symmetric'), keepsDeletes: property('keepsDeletes') }
}

/**
 * Checks the three-way `laws` of `strategy` (all by default); rejects on the first that fails with the
 * key, the base and both sides by name, what the merge should have been and what it was, and the seed
 * and path that replay it.
 *
 * @example
 * import { checkThreeWayLaws } from 'cognito-reconcile/testkit'
 * import { custom, keepLocal } from 'cognito-reconcile/strategies'
 * // keeps the local side even when only the remote changed
 * const stubborn = custom('stubborn', () => keepLocal)
 * await assert.rejects(checkThreeWayLaws(stubborn, ['unchangedSide']), /the local side left the base as it was, so the merge should be the remote/)
 *
 * @since 0.2.0
 */
export const checkThreeWayLaws = async (
  strategy: Strategy,
  laws: ReadonlyArray<ThreeWayLaw> = threeWayLaws,
  options: ThreeWayOptions = {},
  parameters: fc.Parameters<[Triple]> = {},
): Promise<void> => {
  const properties = threeWayProperties(strategy, options)
  for (const law of laws) {
    const details = await fc.check(properties[law], parameters)
    if (!details.failed) continue
    const found = details.counterexample?.[0]
    const why = found === undefined ? undefined : await checks[law](merge3(strategy), options.equivalent ?? ((a, b) => a === b), found).catch((error: unknown) => (error instanceof Error ? error.message : String(error)))
    throw new Error(
      [
        `${strategy.name} breaks the three-way law ${law} (${showRuns(details)}):`,
        ...(found === undefined
          ? [`  no counterexample: ${String(details.errorInstance)}`]
          : [`  key = ${showString(found.key)}`, `  base = ${showVersion(found.base)}`, `  local = ${showVersion(found.local)}`, `  remote = ${showVersion(found.remote)}`, `  ${why ?? `the law held when checked again: ${strategy.name} does not decide the same way twice`}`]),
        `Replay: checkThreeWayLaws(strategy, laws, options, ${showReplay(details)})`,
      ].join('\n'),
    )
  }
}
