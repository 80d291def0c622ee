// PersistentMap against the Map it stands in for: the same answers after any sequence of changes, old
// versions untouched, and one shape per set of entries (so structural equality is map equality).
import assert from 'node:assert'
import { inspect } from 'node:util'
import { test } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PersistentMap } from 'cognito-reconcile'
import { forEachChange, hashKey } from '../src/PersistentMap.js'

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

/** Three keys with one hash (found by a search of 12 million keys, too slow to repeat here): a collision node of three. */
const tripleKeys: ReadonlyArray<string> = ['c6261303', 'c10283001', 'c11755088']

/** Keys that share hash prefixes often: few letters, and the colliding ones. */
const key = fc.oneof(fc.string({ maxLength: 3, unit: fc.constantFrom('a', 'b', '_', 'é') }), fc.constantFrom(...collidingKeys, ...tripleKeys, '__proto__', 'constructor'))
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
    expect(new Set(tripleKeys.map(hashKey)).size).toBe(1)
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

  // a draft's get and set of the same key take a shortcut (the set writes where the get found the key):
  // reads and writes interleaved as reconcile's pass does, with other reads, misses and removes between
  test.prop([changes, fc.array(fc.tuple(fc.constantFrom('get', 'get', 'set', 'remove'), key, fc.integer({ min: 0, max: 3 })), { maxLength: 80 })])(
    'a draft reads its own writes, and a batch of reads and writes answers as a Map does',
    (first, ops) => {
      const before = PersistentMap.fromEntries<number>([]).update(first)
      const snapshot = sorted(before)
      const reference = applyToMap(new Map(), first)
      const after = before.batch((draft) => {
        for (const [op, k, v] of ops) {
          if (op === 'get') expect(draft.get(k)).toBe(reference.get(k))
          else if (op === 'set') {
            draft.set(k, v)
            reference.set(k, v)
          } else {
            draft.remove(k)
            reference.delete(k)
          }
        }
      })
      expect(sorted(before)).toEqual(snapshot)
      expect(after.size).toBe(reference.size)
      expect(sorted(after)).toEqual(sorted(reference))
      for (const [, k] of ops) expect(after.get(k)).toBe(reference.get(k))
      assert.deepStrictEqual(after, PersistentMap.fromEntries([...reference]))
    },
  )

  it('writes a key found by a get where it lives after a remove folded its node into the parent', () => {
    // two keys alone in one child node (equal first 5 hash bits): removing one folds the other upwards
    const byBits = new Map<number, string>()
    let pair: [string, string] | undefined
    for (let i = 0; pair === undefined; i++) {
      const k = `f${i}`
      const other = byBits.get(hashKey(k) & 31)
      if (other !== undefined && hashKey(other) !== hashKey(k)) pair = [other, k]
      else byBits.set(hashKey(k) & 31, k)
    }
    for (const [kept, removed] of [pair, [pair[1], pair[0]]] as const) {
      const after = PersistentMap.fromEntries([[kept, 0], [removed, 0]]).batch((draft) => {
        draft.set(removed, 1) // the batch now owns the child node
        expect(draft.get(kept)).toBe(0)
        draft.remove(removed)
        draft.set(kept, 2)
      })
      expect([...after]).toEqual([[kept, 2]])
    }
  })

  // stores write what a modify changed from these: a change missed is a write lost
  test.prop([changes, changes, changes, fc.boolean()])(
    'forEachChange tells each key that differs once, and applying what it tells gives the later map',
    (common, left, right, asPlainMap) => {
      const base = PersistentMap.fromEntries<number>([]).update(common)
      // two maps written from one (sharing nodes), or built apart, or one of them a plain Map
      const before = base.update(left)
      const after = asPlainMap ? new Map(base.update(right)) : base.update(right)
      const told = new Map<string, [number | undefined, number | undefined]>()
      forEachChange<number>(before, after, (key, was, is) => {
        expect(told.has(key)).toBe(false)
        told.set(key, [was, is])
      })
      const expected = new Set([...before.keys(), ...after.keys()].filter((k) => before.get(k) !== after.get(k)))
      expect(new Set(told.keys())).toEqual(expected)
      for (const [key, [was, is]] of told) expect([was, is]).toEqual([before.get(key), after.get(key)])
      const rebuilt = before.update([...told].map(([key, [, is]]) => [key, is] as const))
      expect(sorted(rebuilt)).toEqual(sorted(after))
      const apart = PersistentMap.fromEntries([...after])
      const toldApart: Array<string> = []
      forEachChange<number>(before, apart, (key) => toldApart.push(key))
      expect(new Set(toldApart)).toEqual(expected)
    },
  )

  it('forEachChange tells the changes to one map of thousands written from it', () => {
    const large = PersistentMap.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i] as const))
    const told: Array<unknown> = []
    forEachChange(large, large.set('k7', -1).remove('k9').set('new', 0), (key, was, is) => told.push([key, was, is]))
    expect(told.sort()).toEqual([['k7', 7, -1], ['k9', 9, undefined], ['new', undefined, 0]])
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

  it("is tagged as what it is: Object.prototype.toString says '[object PersistentMap]'", () => {
    expect(Object.prototype.toString.call(PersistentMap.fromEntries([]))).toBe('[object PersistentMap]')
  })

  it("shows its size and entries in Node's console", () => {
    expect(inspect(PersistentMap.fromEntries([['k', 1], ['j', 2]]))).toBe('PersistentMap(2) { j: 2, k: 1 }')
    expect(inspect({ nested: PersistentMap.fromEntries([['k', { deep: { deeper: { deepest: 1 } } }]]) }, { depth: 1 })).toBe('{ nested: PersistentMap(1) { k: { deep: [Object] } } }')
  })

  it('returns itself for a change that changes nothing', () => {
    const a = PersistentMap.fromEntries([['k', 1]])
    expect(a.set('k', 1)).toBe(a)
    expect(a.remove('absent')).toBe(a)
    // deep in a trie of a few levels, and in collision nodes
    const keys = [...Array.from({ length: 2000 }, (_, i) => `k${i}`), ...collidingKeys, ...tripleKeys]
    const big = PersistentMap.fromEntries(keys.map((k, i) => [k, i]))
    for (const [i, k] of keys.entries()) expect(big.set(k, i)).toBe(big)
    for (let i = 0; i < 2000; i++) expect(big.remove(`absent${i}`)).toBe(big)
  })

  it('keeps three keys of one hash in one collision node, and counts them', () => {
    const [a, b, c] = tripleKeys as [string, string, string]
    const two = PersistentMap.fromEntries([[a, 1], [b, 2]])
    const three = two.set(c, 3)
    expect([three.size, three.get(a), three.get(b), three.get(c)]).toEqual([3, 1, 2, 3])
    expect(two.remove(c)).toBe(two)
    expect(three.remove(b).size).toBe(2)
    expect([...three.remove(b).keys()].sort()).toEqual([a, c].sort())
  })

  it('rewrites a key of a collision node of two in place, whichever of the two came first', () => {
    const [low, high] = [...collidingKeys.slice(0, 2)].sort() as [string, string]
    for (const [first, second] of [[low, high], [high, low]] as const) {
      const map = PersistentMap.fromEntries([[first, 1], [second, 2]])
      for (const [rewritten, expected] of [
        [map.set(first, 3), new Map([[first, 3], [second, 2]])],
        [map.set(second, 3), new Map([[first, 1], [second, 3]])],
      ] as const) {
        expect(rewritten.size).toBe(2)
        expect(sorted(rewritten)).toEqual(sorted(expected))
      }
    }
  })

  it('keeps a child left with only two subtrees as a subtree when its last entry goes', () => {
    // five keys under one slot of the root: one alone at the next level, two pairs sharing a slot there
    const level = (key: string, shift: number) => (hashKey(key) >>> shift) & 31
    const under = Array.from({ length: 20_000 }, (_, i) => `s${i}`).filter((k) => level(k, 0) === level('s0', 0))
    const bySlot = new Map<number, Array<string>>()
    for (const k of under) bySlot.set(level(k, 5), [...(bySlot.get(level(k, 5)) ?? []), k])
    const pairs = [...bySlot.values()].filter((keys) => keys.length >= 2).slice(0, 2)
    const alone = [...bySlot.values()].find((keys) => !pairs.includes(keys))?.[0] as string
    const keys = [alone, ...pairs.flatMap((keys) => keys.slice(0, 2))]
    expect(keys).toHaveLength(5)
    const map = PersistentMap.fromEntries(keys.map((k, i) => [k, i]))
    const removed = map.remove(alone)
    expect([removed.size, ...keys.map((k) => removed.get(k))]).toEqual([4, undefined, 1, 2, 3, 4])
  })

  it('forEachChange compares keys with keys and values with values: a value equal to another key hides no change', () => {
    // three keys in three slots of the root, in slot order: each is an entry of the root itself
    const slot = (key: string) => hashKey(key) & 31
    const inSlots = new Map(Array.from({ length: 100 }, (_, i) => `v${i}`).map((k) => [slot(k), k]))
    const [a, b, c] = [...inSlots.entries()].sort(([x], [y]) => x - y).map(([, k]) => k) as [string, string, string]
    // c's value was 'y' and becomes b, or was b and becomes 'y': beside a's value c, either lines up with keys
    for (const [was, is] of [['y', b], [b, 'y']]) {
      const before = PersistentMap.fromEntries([[a, c], [b, 'x'], [c, was]])
      const told: Array<unknown> = []
      forEachChange(before, before.set(c, is), (key, from, to) => told.push([key, from, to]))
      expect(told).toEqual([[c, was, is]])
    }
  })

  it('removes a colliding key whose name is also the value of the key beside it', () => {
    const [first, second] = [...tripleKeys].sort()
    const map = PersistentMap.fromEntries([
      [first as string, second],
      [second as string, 'x'],
    ])
    expect([...map.remove(second as string).entries()]).toEqual([[first, second]])
    expect([...map.remove(first as string).entries()]).toEqual([[second, 'x']])
  })
})
