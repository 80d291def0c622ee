// The laws of three-way merges, as fast-check properties over a strategy: what every merge against a
// base must satisfy, whatever it merges. Used by the tests of jsonObject and setUnion, and shown to
// catch a merge that breaks them.
import fc from 'fast-check'
import * as O from 'fp-ts/lib/Option.js'
import type { Content, Strategy, Version } from 'cognito-reconcile'
import { decideTask, resolvedContent } from 'cognito-reconcile'
import { date } from 'cognito-reconcile/testkit'

/** The content `strategy` leaves for `local` against `remote`, both started from `base`. */
export const merge3 = async (strategy: Strategy, base: Content, local: Version, remote: Version): Promise<Content> => {
  const conflict = { key: 'k', local, remote, base: { content: base } }
  const decision = await decideTask(strategy)(conflict)()
  if (O.isNone(decision)) throw new Error(`${strategy.name} declined a conflict with a base`)
  return resolvedContent(conflict, decision.value.resolution)
}

/** A side with dates, ties common. */
export const side = (content: fc.Arbitrary<string>): fc.Arbitrary<Version> =>
  fc.record({ content, deviceLastModifiedDate: date, lastModifiedDate: date }, { requiredKeys: ['content'] })

type Triple = readonly [base: string, local: Version, remote: Version]

/**
 * One property per law, over the triples `triples` gives (`base`, `local`, `remote`), with `canonical`
 * the written form of a value:
 * - unchanged: a side equal to the base gives the other side;
 * - equalChanges: both sides changed alike give that change;
 * - commutative: swapping the sides changes nothing.
 */
export const threeWayLaws = (strategy: Strategy, triples: fc.Arbitrary<Triple>, canonical: (content: string) => string) => ({
  unchanged: fc.asyncProperty(triples, async ([base, local, remote]) => {
    const baseSide = { ...local, content: base }
    return (await merge3(strategy, base, baseSide, remote)) === canonical(remote.content as string) && (await merge3(strategy, base, local, { ...remote, content: base })) === canonical(local.content as string)
  }),
  equalChanges: fc.asyncProperty(triples, async ([base, local, remote]) => (await merge3(strategy, base, local, { ...remote, content: local.content })) === canonical(local.content as string)),
  commutative: fc.asyncProperty(triples, async ([base, local, remote]) => (await merge3(strategy, base, local, remote)) === (await merge3(strategy, base, remote, local))),
})
