// The reach helper counts as fc.statistics does: each class once per value, shares of all values.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { reach, reachAsync, shortfalls } from './reach.js'

describe('reach', () => {
  it('counts each class once per value, as a share of every value, and prints the table largest first', () => {
    const found = reach(fc.integer({ min: 0, max: 3 }), (n) => [n === 0 ? 'zero' : 'positive', 'any', 'any'], { numRuns: 400, seed: 7 })
    expect(found.shares['any']).toBe(100)
    expect((found.shares['zero'] ?? 0) + (found.shares['positive'] ?? 0)).toBe(100)
    expect(found.table.split('\n').map((line) => line.replace(/\.+\s*[\d.]+%$/, ''))).toEqual(['any', 'positive', 'zero'])
  })

  it('names each class under its minimum, one never seen at 0%', async () => {
    const found = await reachAsync(fc.constant(1), async () => ['seen'], { numRuns: 10 })
    expect(shortfalls(found, { seen: 100, unseen: 1 })).toEqual(['unseen: 0% < 1%'])
    expect(shortfalls(found, { seen: 100.5 })).toEqual(['seen: 100% < 100.5%'])
  })
})
