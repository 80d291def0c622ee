// PersistentMap against the Map it stands in for: the same answers after any sequence of changes, old
// versions untouched, and one shape per set of entries (so structural equality is map equality).
import assert from 'node:assert'
import { test } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PersistentMap } from 'cognito-reconcile'
import { hashKey } from '../src/PersistentMap.js'

/** Pairs of distinct keys with equal hashes, found by brute force: they exercise the collision nodes. */
const collidingKeys: ReadonlyArray<string> = (() => {
  const seen = new Map<number, string>()
  const found: Array<string> = []
  for (let i = 0; found.length < 8; i++) {
    const key = `c${i}`
    const other = seen.get(hashKey(key))
    if (other === undefined) seen.set(hashKey(key), key)
    else found.push(other, key)
  }
  return found
})()

/** Keys that share hash prefixes often: few letters, and the colliding ones. */
const key = fc.oneof(fc.string({ maxLength: 3, unit: fc.constantFrom('a', 'b', '_', 'é') }), fc.constantFrom(...collidingKeys, '__proto__', 'constructor'))
type Change = readonly [string, number | undefined]
const change: fc.Arbitrary<Change> = fc.tuple(key, fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }))
const changes = fc.array(change, { maxLength: 60 })

const applyToMap = (map: ReadonlyMap<string, number>, cs: ReadonlyArray<Change>): Map<string, number> => {
  const next = new Map(map)
  for (const [k, v] of cs) {
    if (v === undefined) next.delete(k)
    else next.set(k, v)
  }
  return next
}

const sorted = (m: ReadonlyMap<string, number>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))

describe('PersistentMap', () => {
  it('finds colliding keys to test with', () => {
    expect(hashKey(collidingKeys[0] as string)).toBe(hashKey(collidingKeys[1] as string))
  })

  test.prop([changes, changes])('answers as a Map does after any changes, and leaves older versions as they were', (first, second) => {
    const reference1 = applyToMap(new Map(), first)
    const reference2 = applyToMap(reference1, second)
    const map1 = PersistentMap.fromEntries<number>([]).update(first)
    const map2 = map1.update(second)
    for (const [map, reference] of [[map1, reference1], [map2, reference2]] as const) {
      expect(map.size).toBe(reference.size)
      expect(sorted(map)).toEqual(sorted(reference))
      for (const [k] of [...first, ...second]) {
        expect(map.get(k)).toBe(reference.get(k))
        expect(map.has(k)).toBe(reference.has(k))
      }
      expect([...map.keys()]).toEqual([...map.entries()].map(([k]) => k))
      expect([...map.values()]).toEqual([...map.entries()].map(([, v]) => v))
      const visited: Array<[string, number]> = []
      map.forEach((v, k) => visited.push([k, v]))
      expect(visited).toEqual([...map.entries()])
    }
  })

  test.prop([changes])('one change at a time equals one batch', (cs) => {
    const oneByOne = cs.reduce<PersistentMap<number>>((m, [k, v]) => (v === undefined ? m.remove(k) : m.set(k, v)), PersistentMap.empty<number>())
    assert.deepStrictEqual(oneByOne, PersistentMap.fromEntries<number>([]).update(cs))
  })

  test.prop([changes, fc.context()])('has one shape per set of entries, whatever the order of changes', (cs, ctx) => {
    const map = PersistentMap.fromEntries<number>([]).update(cs)
    const shuffled = [...map.entries()].reverse()
    ctx.log(JSON.stringify(shuffled))
    // built from the final entries in another order, with the removed keys set and removed again
    const rebuilt = PersistentMap.fromEntries<number>([]).update([...cs.map(([k]): Change => [k, 9]), ...cs.map(([k]): Change => [k, undefined]), ...shuffled])
    assert.deepStrictEqual(rebuilt, map)
    expect(rebuilt).toEqual(map)
    expect([...rebuilt.keys()]).toEqual([...map.keys()])
  })

  it('tells apart maps that differ, structurally', () => {
    const a = PersistentMap.fromEntries([['k', 1]])
    assert.notDeepStrictEqual(a, a.set('k', 2))
    assert.notDeepStrictEqual(a, a.set('j', 1))
    expect(a).not.toEqual(a.remove('k'))
  })

  it('returns itself for a change that changes nothing', () => {
    const a = PersistentMap.fromEntries([['k', 1]])
    expect(a.set('k', 1)).toBe(a)
    expect(a.remove('absent')).toBe(a)
  })
})
