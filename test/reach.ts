// The reach of a generator: how often its values fall into each class that matters (a rule of the code
// under test, a case that breaks merges), over a fixed seed, counted as fast-check's fc.statistics
// counts and printed as it prints. A reach test asserts a minimum share for each class, so that a
// generator narrowed by a later change (a pool without tombstones, a strategy list without one that
// writes) fails a test instead of leaving properties that quietly check less.
import fc from 'fast-check'
import { expect } from 'vitest'

/** The shares of each class, in percent (a value may fall into several), and the table of them. */
export interface Reach {
  readonly shares: Readonly<Record<string, number>>
  readonly table: string
}

export interface ReachParameters {
  /** How many values; 1,000. */
  readonly numRuns?: number
  /** 1. */
  readonly seed?: number
}

const valuesOf = <A>(arbitrary: fc.Arbitrary<A>, { numRuns = 1000, seed = 1 }: ReachParameters): ReadonlyArray<A> => fc.sample(arbitrary, { numRuns, seed })

/** The shares of the classes of each value, and fc.statistics' table of them (largest first). */
const summary = (classified: ReadonlyArray<ReadonlyArray<string>>): Reach => {
  const counts = new Map<string, number>()
  for (const classes of classified) for (const label of new Set(classes)) counts.set(label, (counts.get(label) ?? 0) + 1)
  const shares = Object.fromEntries([...counts].map(([label, count]) => [label, Math.round((10_000 * count) / classified.length) / 100]))
  const rows = Object.entries(shares).sort(([, a], [, b]) => b - a)
  const width = Math.max(0, ...rows.map(([label]) => label.length)) + 3
  return { shares, table: rows.map(([label, share]) => `${label}${'.'.repeat(width - label.length)}${share.toFixed(2).padStart(6, '.')}%`).join('\n') }
}

/** Classifies 1,000 values of `arbitrary` (seed 1 unless given). */
export const reach = <A>(arbitrary: fc.Arbitrary<A>, classes: (value: A) => ReadonlyArray<string>, parameters: ReachParameters = {}): Reach =>
  summary(valuesOf(arbitrary, parameters).map(classes))

/** `reach` for classes found by running something asynchronous (a simulated fleet), one value at a time. */
export const reachAsync = async <A>(arbitrary: fc.Arbitrary<A>, classes: (value: A) => Promise<ReadonlyArray<string>>, parameters: ReachParameters = {}): Promise<Reach> => {
  const classified: Array<ReadonlyArray<string>> = []
  for (const value of valuesOf(arbitrary, parameters)) classified.push(await classes(value))
  return summary(classified)
}

/** The classes whose share is below its minimum (in percent), each as `class: share% < minimum%`. */
export const shortfalls = (found: Reach, minimums: Readonly<Record<string, number>>): ReadonlyArray<string> =>
  Object.entries(minimums).flatMap(([label, minimum]) => {
    const share = found.shares[label] ?? 0
    return share >= minimum ? [] : [`${label}: ${share}% < ${minimum}%`]
  })

/** Fails, printing the whole table, unless every class reaches its minimum share. */
export const expectReach = (found: Reach, minimums: Readonly<Record<string, number>>): void => {
  expect(shortfalls(found, minimums), `reach of the generator:\n${found.table}`).toEqual([])
}
