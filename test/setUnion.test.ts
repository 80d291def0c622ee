import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import { describe, expect, it } from 'vitest'
import { conflictOf } from 'cognito-reconcile'
import { JsonStringSet, custom, jsonSetUnion, keepLocal, lastWriterWins, setUnion, takeRemote } from 'cognito-reconcile/strategies'
import { checkLaws, lawProperties, version } from 'cognito-reconcile/testkit'
import { merge3, side, threeWayLaws } from './threeWay.js'

const ITEMS = ['a', 'b', 'c', 'ü', '']
const set = fc.uniqueArray(fc.constantFrom(...ITEMS), { maxLength: 5 })
const text = (items: ReadonlyArray<string>) => JSON.stringify(items)
const canonical = (t: string) => JsonStringSet.encode(new Set(JSON.parse(t) as Array<string>))
const triples = fc.tuple(set.map(text), side(set.map(text)), side(set.map(text)))

describe('setUnion: the laws of a three-way merge', () => {
  const laws = threeWayLaws(setUnion(), triples, canonical)
  it('a side unchanged since the base gives the other side', async () => {
    await fc.assert(laws.unchanged)
  })
  it('equal changes merge to themselves', async () => {
    await fc.assert(laws.equalChanges)
  })
  it('commutes', async () => {
    await fc.assert(laws.commutative)
  })
  it('is associative for a given base', async () => {
    await fc.assert(
      fc.asyncProperty(set.map(text), set.map(text), set.map(text), set.map(text), async (base, a, b, c) => {
        const m = async (x: string, y: string) => (await merge3(setUnion(), base, { content: x }, { content: y })) as string
        expect(await m(await m(a, b), c)).toBe(await m(a, await m(b, c)))
      }),
    )
  })
  it('never resurrects an item removed since the base, never drops one added since', async () => {
    await fc.assert(
      fc.asyncProperty(triples, async ([base, local, remote]) => {
        const [b, l, r] = [base, local.content, remote.content].map((t) => new Set(JSON.parse(t as string) as Array<string>)) as [Set<string>, Set<string>, Set<string>]
        const merged = new Set(JSON.parse((await merge3(setUnion(), base, local, remote)) as string) as Array<string>)
        for (const item of b) if (!l.has(item) || !r.has(item)) expect(merged.has(item)).toBe(false)
        for (const item of [...l, ...r]) if (!b.has(item)) expect(merged.has(item)).toBe(true)
      }),
    )
  })
  it('holds the two-way laws it claims (without a base, its fallback, jsonSetUnion, decides)', async () => {
    expect(setUnion().laws).toEqual(['commutative', 'idempotent'])
    await checkLaws(setUnion())
  })
  it('the law checker catches a union that ignores the base (it resurrects)', async () => {
    const union = jsonSetUnion()
    const ignoringBase = custom('ignoringBase', (conflict) => {
      const decided = union.decide({ key: conflict.key, local: conflict.local, remote: conflict.remote })
      return O.isSome(decided) ? decided.value.resolution : keepLocal
    })
    const resurrects = fc.asyncProperty(triples, async ([base, local, remote]) => {
      const merged = new Set(JSON.parse((await merge3(ignoringBase, base, local, remote)) as string) as Array<string>)
      const [l, r] = [local.content, remote.content].map((t) => new Set(JSON.parse(t as string) as Array<string>)) as [Set<string>, Set<string>]
      return [...JSON.parse(base) as Array<string>].every((item) => (l.has(item) && r.has(item)) || !merged.has(item))
    })
    await expect(fc.assert(resurrects)).rejects.toThrow(/Property failed/)
  })
  it('with two-way union semantics, lawProperties still sees a lattice over the fallback', async () => {
    const sets = version(set.map(text))
    await fc.assert(lawProperties(setUnion(), { versions: sets, equivalent: (a, b) => a === null || b === null ? a === b : canonical(a) === canonical(b) }).associative)
  })
})

describe('setUnion: examples', () => {
  const d = (local: string | null, remote: string | null, base?: string | null) => O.toNullable(setUnion().decide(conflictOf('tags', local, remote, base === undefined ? undefined : base)))
  it('keeps additions of both sides and removals of either', () => {
    expect(d('["a","c"]', '["b","d"]', '["a","b"]')?.resolution).toEqual({ _tag: 'Write', content: '["c","d"]' })
  })
  it('answers a side when the merge is that side', () => {
    expect(d('["a","b","c"]', '["a","b"]', '["a","b"]')?.resolution).toEqual(keepLocal)
    expect(d('["a"]', '["a","c"]', '["a"]')?.resolution).toEqual(takeRemote)
  })
  it('a tombstone base is the empty set', () => {
    expect(d('["a"]', '["b"]', null)?.resolution).toEqual({ _tag: 'Write', content: '["a","b"]' })
  })
  it('without a base takes the union; a delete or a value that is not a set goes to lastWriterWins', () => {
    expect(d('["a"]', '["b"]')).toEqual({ resolution: { _tag: 'Write', content: '["a","b"]' }, decidedBy: 'jsonSetUnion' })
    expect(d(null, '["b"]', '["b"]')?.decidedBy).toBe('lastWriterWins')
    expect(d('{"a":1}', '["b"]', '["b"]')?.decidedBy).toBe('lastWriterWins')
    expect(setUnion(lastWriterWins).decide(conflictOf('tags', '["a"]', '["b"]'))).toEqual(O.some({ resolution: takeRemote, decidedBy: 'lastWriterWins' }))
  })
})

describe('setUnion over a tombstone base', () => {
  it('merges a key created on both sides, as if from an empty set', () => {
    expect(setUnion(custom('never', () => { throw new Error('asked') })).decide(conflictOf('tags', '["a"]', '["b"]', null))).toEqual(
      O.some({ resolution: { _tag: 'Write', content: '["a","b"]' }, decidedBy: 'setUnion' }),
    )
  })
})

describe('JsonStringSet', () => {
  it('is a set of strings, the empty set included, and nothing else', () => {
    expect(JsonStringSet.is(new Set(['a', 'b']))).toBe(true)
    expect(JsonStringSet.is(new Set())).toBe(true)
    expect(JsonStringSet.is(new Set(['a', 1]))).toBe(false)
    expect(JsonStringSet.is(['a'])).toBe(false)
  })
  it('decodes a JSON array of strings, refuses anything else, and encodes sorted without duplicates', () => {
    expect(JsonStringSet.decode('["b","a","b"]')).toEqual(E.right(new Set(['b', 'a'])))
    expect(E.isLeft(JsonStringSet.decode('["a",1]'))).toBe(true)
    expect(E.isLeft(JsonStringSet.decode('{"a":1}'))).toBe(true)
    expect(E.isLeft(JsonStringSet.decode('not json'))).toBe(true)
    expect(JsonStringSet.encode(new Set(['b', 'a']))).toBe('["a","b"]')
  })
})
