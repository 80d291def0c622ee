// The reach of a generator: how often its values fall into each class that matters (a rule of the code
// under test, a case that breaks merges), over a fixed seed, as fast-check's fc.statistics counts it.
// A reach test asserts a minimum share for each class, so that a generator narrowed by a later change
// (a pool without tombstones, a strategy list without one that writes) fails a test instead of leaving
// properties that quietly check less.
import fc from 'fast-check'
import { expect } from 'vitest'

/** The shares of each class, in percent (a value may fall into several), and fc.statistics' table. */
export interface Reach {
  readonly shares: Readonly<Record<string, number>>
  readonly table: string
}

/** Classifies `numRuns` values of `arbitrary` (seed 1 unless given), as `fc.statistics` does. */
export const reach = <A>(arbitrary: fc.Arbitrary<A>, classes: (value: A) => ReadonlyArray<string>, parameters: { numRuns?: number; seed?: number } = {}): Reach => {
  const lines: Array<string> = []
  fc.statistics(arbitrary, (value) => [...new Set(classes(value))], { numRuns: parameters.numRuns ?? 1000, seed: parameters.seed ?? 1, logger: (line) => lines.push(line) })
  const shares = Object.fromEntries(lines.map((line) => /^(.*?)\.*(\d+(?:\.\d+)?)%$/.exec(line.trim())).flatMap((m) => (m === null ? [] : [[m[1] as string, Number(m[2])]])))
  return { shares, table: lines.join('\n') }
}

/** The classes whose share is below its minimum (in percent), each as `class: share% < minimum%`. */
export const shortfalls = (found: Reach, minimums: Readonly<Record<string, number>>): ReadonlyArray<string> =>
  Object.entries(minimums).flatMap(([label, minimum]) => {
    const share = found.shares[label] ?? 0
    return share >= minimum ? [] : [`${label}: ${share}% < ${minimum}%`]
  })

/** Fails, printing the whole table, unless every class reaches its minimum share. */
export const expectReach = (found: Reach, minimums: Readonly<Record<string, number>>): void => {
  expect(shortfalls(found, minimums), `reach of the generator (fc.statistics, 1,000 values):\n${found.table}`).toEqual([])
}
