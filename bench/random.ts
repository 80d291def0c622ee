/**
 * A seeded pseudo-random source (mulberry32), so that every run of the benchmark builds the same
 * inputs and a figure can be reproduced.
 */

/** A generator of floats in [0, 1). */
export type Random = () => number

export const seeded = (seed: number): Random => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** An integer in [min, max]. */
export const integer = (random: Random, min: number, max: number): number => min + Math.floor(random() * (max - min + 1))

const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'

/** A string of `length` letters and digits. */
export const word = (random: Random, length: number): string => {
  let out = ''
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(random() * alphabet.length)]
  return out
}

/** The integers 0 to n - 1 in a seeded order (Fisher-Yates). */
export const permutation = (random: Random, n: number): Int32Array => {
  const order = new Int32Array(n)
  for (let i = 0; i < n; i++) order[i] = i
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const swap = order[i] as number
    order[i] = order[j] as number
    order[j] = swap
  }
  return order
}
