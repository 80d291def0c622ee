/**
 * Record values for the write and sync parts: 1 KB each (1,000 characters, so 1,024 of them and
 * their keys stay under the service's 1 MB per dataset), seeded, and variants of them for later
 * rounds of edits.
 */
import { seeded, word } from './random.js'

export const valueLength = 1000

export type Entries = ReadonlyArray<readonly [string, string]>

export const entriesOf = (count: number, seed: number): Entries => {
  const random = seeded(seed)
  return Array.from({ length: count }, (_, i) => [`key.${i.toString().padStart(4, '0')}`, word(random, valueLength)] as const)
}

/** The same keys with other values of the same length, different for every `round` and `tag`. */
export const variantsOf = (entries: Entries, round: number, tag = ''): Entries =>
  entries.map(([key, value]) => {
    const suffix = `${tag}${round}`
    return [key, value.slice(0, valueLength - suffix.length) + suffix] as const
  })
