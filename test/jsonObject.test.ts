import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import { pipe } from 'fp-ts/lib/function.js'
import { describe, expect, it } from 'vitest'
import type { Strategy } from 'cognito-reconcile'
import { canonicalJson, conflictOf, parseJson, reconcile, stateOf } from 'cognito-reconcile'
import { custom, customAsync, jsonObject, keepLocal, lastWriterWins, localWins, maxValue, resolveWith, setUnion } from 'cognito-reconcile/strategies'
import { checkLaws } from 'cognito-reconcile/testkit'
import { merge3, side, threeWayLaws } from './threeWay.js'

const canonical = (text: string): string => pipe(parseJson(text), O.map(canonicalJson), O.getOrElse(() => text))
const at = (ms: number) => new Date(ms)

/** Small JSON objects over a few field names (`__proto__` among them), nested one level, values from small pools. */
const FIELDS = ['a', 'b', 'c', '__proto__'] as const
const leaf = fc.oneof(fc.constantFrom(0, 1, 7, 'x', 'y', true, null), fc.constantFrom(['s'], ['s', 't']))
const value: fc.Arbitrary<unknown> = fc.oneof({ weight: 3, arbitrary: leaf }, { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('p', 'q'), leaf, { maxKeys: 2 }) })
const objectOf = (entries: ReadonlyArray<readonly [string, unknown]>): string =>
  `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`
const jsonObjectText = fc
  .uniqueArray(fc.tuple(fc.constantFrom(...FIELDS), value), { selector: ([name]) => name, maxLength: 4 })
  .map(objectOf)

/** An object with some of `base`'s fields changed, added or removed. */
const editOf = (base: string, names: ReadonlyArray<string>): fc.Arbitrary<string> =>
  fc.tuple(...names.map(() => fc.option(value, { nil: undefined })), fc.array(fc.boolean(), { minLength: names.length, maxLength: names.length })).map((drawn) => {
    const fields = new Map(Object.entries(JSON.parse(base) as Record<string, unknown>))
    const changes = drawn.slice(0, names.length) as Array<unknown>
    const flags = drawn[names.length] as Array<boolean>
    names.forEach((name, i) => {
      if (!flags[i]) return
      if (changes[i] === undefined) fields.delete(name)
      else fields.set(name, changes[i])
    })
    return objectOf([...fields])
  })

const triples = jsonObjectText.chain((base) => fc.tuple(fc.constant(base), side(editOf(base, FIELDS)), side(editOf(base, FIELDS))))

describe('jsonObject: the laws of a three-way merge', () => {
  const laws = threeWayLaws(jsonObject(), triples, canonical)
  it('a side unchanged since the base gives the other side', async () => {
    await fc.assert(laws.unchanged)
  })
  it('equal changes merge to themselves', async () => {
    await fc.assert(laws.equalChanges)
  })
  it('commutes when the field strategies do (lastWriterWins, with each side keeping its dates)', async () => {
    await fc.assert(laws.commutative)
  })
  it('changes to disjoint fields commute, and both survive', async () => {
    const disjoint = jsonObjectText.chain((base) =>
      fc.shuffledSubarray([...FIELDS]).chain((mine) => {
        const theirs = FIELDS.filter((name) => !mine.includes(name))
        return fc.tuple(fc.constant(base), side(editOf(base, mine)), side(editOf(base, theirs)), fc.constant(mine))
      }),
    )
    await fc.assert(
      fc.asyncProperty(disjoint, async ([base, local, remote, mine]) => {
        const merged = await merge3(jsonObject(), base, local, remote)
        expect(merged).toBe(await merge3(jsonObject(), base, remote, local))
        // each field comes from the side that owns it
        const fields = new Map(Object.entries(JSON.parse(merged as string) as Record<string, unknown>))
        const [l, r] = [local, remote].map((s) => new Map(Object.entries(JSON.parse(s.content as string) as Record<string, unknown>)))
        for (const name of FIELDS) expect(fields.get(name)).toEqual((mine.includes(name) ? l : r)?.get(name))
      }),
    )
  })
  it('holds the two-way laws it claims (stated without a base: the fallback decides)', async () => {
    expect(jsonObject().laws).toEqual(['commutative', 'idempotent'])
    await checkLaws(jsonObject())
    expect(jsonObject({ default: localWins }).laws).toEqual(['idempotent'])
  })
  it('the law checker catches a merge that prefers the local side on a field the remote alone changed', async () => {
    const broken = custom('broken', (conflict) => (conflict.base === undefined ? keepLocal : pipe(jsonObject().decide(conflict), O.match(() => keepLocal, (d) => (d.resolution._tag === 'TakeRemote' ? keepLocal : d.resolution)))))
    await expect(fc.assert(threeWayLaws(broken, triples, canonical).unchanged)).rejects.toThrow(/Property failed/)
  })
})

describe('jsonObject: examples', () => {
  const d = (strategy: Strategy, local: string | null, remote: string | null, base?: string | null) => {
    if (strategy.effect !== 'sync') throw new Error('sync strategies only here')
    return O.toNullable(strategy.decide(conflictOf('settings', local, remote, base === undefined ? undefined : base)))
  }

  it('theme changed here, volume there: both survive, written canonically', () => {
    const decision = d(jsonObject(), '{"volume":3,"theme":"dark"}', '{"theme":"light","volume":9}', '{"theme":"light","volume":3}')
    expect(decision).toEqual({ resolution: resolveWith('{"theme":"dark","volume":9}'), decidedBy: 'jsonObject' })
  })

  it('a removal on one side is a change like any other', () => {
    expect(d(jsonObject(), '{"a":1}', '{"a":1,"b":2,"c":3}', '{"a":1,"b":2}')?.resolution).toEqual(resolveWith('{"a":1,"c":3}'))
  })

  it('a field changed on both sides goes to its strategy, with the field base and the record dates', () => {
    const seen: Array<unknown> = []
    const spy = custom('spy', (conflict) => {
      seen.push(conflict)
      return resolveWith('"both"')
    })
    const decision = O.toNullable(
      jsonObject({ fields: { theme: spy } }).decide(
        conflictOf('settings', { content: '{"theme":"dark","n":1}', deviceLastModifiedDate: at(5) }, { content: '{"theme":"blue","n":1}', lastModifiedDate: at(6) }, '{"theme":"light","n":1}'),
      ),
    )
    expect(decision?.resolution).toEqual(resolveWith('{"n":1,"theme":"both"}'))
    expect(seen).toEqual([{ key: 'settings', local: { content: '"dark"', deviceLastModifiedDate: at(5) }, remote: { content: '"blue"', lastModifiedDate: at(6) }, base: { content: '"light"' } }])
  })

  it('a field added on both sides has a tombstone base; a field strategy writing null removes it', () => {
    const remover = custom('remover', (conflict) => (conflict.base?.content === null ? resolveWith(null) : keepLocal))
    expect(d(jsonObject({ default: remover }), '{"a":1,"new":1}', '{"a":1,"new":2}', '{"a":1}')?.resolution).toEqual(resolveWith('{"a":1}'))
  })

  it('routes fields: maxValue for a score, setUnion (three-way, with the field base) for a list', () => {
    const strategy = jsonObject({ fields: { best: maxValue(), tags: setUnion() } })
    const decision = d(strategy, '{"best":10,"tags":["a","c"]}', '{"best":12,"tags":["b"]}', '{"best":5,"tags":["a","b"]}')
    // best: the greater; tags: "a" removed there, "b" removed here, "c" added here
    expect(decision?.resolution).toEqual(resolveWith('{"best":12,"tags":["c"]}'))
  })

  it('nested objects merge field by field; under a nested jsonObject by its own fields', () => {
    const base = '{"audio":{"volume":3,"muted":false},"video":{"hd":false}}'
    const local = '{"audio":{"volume":5,"muted":false},"video":{"hd":true}}'
    const remote = '{"audio":{"volume":4,"muted":true},"video":{"hd":false,"fps":60}}'
    const byDate = { content: local, deviceLastModifiedDate: at(1) }
    const later = { content: remote, deviceLastModifiedDate: at(2), lastModifiedDate: at(2) }
    // volume changed on both: lastWriterWins (the remote is later) by default, maxValue under a nested jsonObject
    expect(O.toNullable(jsonObject().decide(conflictOf('s', byDate, later, base)))?.resolution).toEqual(resolveWith('{"audio":{"muted":true,"volume":4},"video":{"fps":60,"hd":true}}'))
    const tuned = jsonObject({ fields: { audio: jsonObject({ fields: { volume: maxValue() } }) } })
    expect(O.toNullable(tuned.decide(conflictOf('s', byDate, later, base)))?.resolution).toEqual(resolveWith('{"audio":{"muted":true,"volume":5},"video":{"fps":60,"hd":true}}'))
  })

  it('fields named like Object.prototype members are data', () => {
    const decision = d(jsonObject({ fields: {} }), '{"__proto__":1,"toString":2}', '{"__proto__":0,"constructor":3}', '{"__proto__":0}')
    expect(decision?.resolution).toEqual(resolveWith('{"__proto__":1,"constructor":3,"toString":2}'))
  })

  it('keeps a side when the merge is that side, so that nothing new is pushed', () => {
    expect(d(jsonObject(), '{"a":2}', '{"a":1}', '{"a":1}')?.resolution).toEqual(keepLocal)
    expect(d(jsonObject(), '{"a":1}', '{"a":2}', '{"a":1}')?.resolution._tag).toBe('TakeRemote')
  })

  it('goes to the fallback without a base, for values that are not objects, for a delete, and when a field strategy declines', () => {
    const fallback = custom('fallback', () => keepLocal)
    const declines = custom('declines', () => keepLocal)
    const strategy = jsonObject({ fallback, fields: { x: { ...declines, decide: () => O.none } } })
    expect(d(strategy, '{"a":1}', '{"a":2}')?.decidedBy).toBe('fallback')
    expect(d(strategy, '[1]', '{"a":2}', '{}')?.decidedBy).toBe('fallback')
    expect(d(strategy, 'not json', '{"a":2}', '{}')?.decidedBy).toBe('fallback')
    expect(d(strategy, null, '{"a":2}', '{}')?.decidedBy).toBe('fallback')
    expect(d(strategy, '{"a":1}', '{"a":2}', '"text"')?.decidedBy).toBe('fallback')
    expect(d(strategy, '{"x":1}', '{"x":2}', '{"x":0}')?.decidedBy).toBe('fallback')
    // a field strategy writing text that is not JSON
    expect(d(jsonObject({ fallback, default: custom('bad', () => resolveWith('not json')) }), '{"x":1}', '{"x":2}', '{"x":0}')?.decidedBy).toBe('fallback')
  })

  it('a field changed alike on both sides, its removal included, takes the change without asking its strategy', () => {
    const asked = custom('asked', () => resolveWith('"asked"'))
    // a and c changed alike, b removed on both sides, d changed here only, e there only
    const [local, remote] = ['{"a":2,"c":[1],"d":1,"e":0}', '{"c":[1],"a":2,"d":0,"e":1}']
    expect(d(jsonObject({ default: asked }), local, remote, '{"a":1,"b":1,"c":[0],"d":0,"e":0}')?.resolution).toEqual(resolveWith('{"a":2,"c":[1],"d":1,"e":1}'))
  })

  it('an object field both sides added, or changed from an object, merges field by field; one changed from a non-object goes whole to its strategy', () => {
    expect(d(jsonObject(), '{"audio":{"volume":5}}', '{"audio":{"muted":true}}', '{}')?.resolution).toEqual(resolveWith('{"audio":{"muted":true,"volume":5}}'))
    const local = { content: '{"audio":{"volume":5}}', deviceLastModifiedDate: at(1) }
    const remote = { content: '{"audio":{"muted":true}}', deviceLastModifiedDate: at(2) }
    expect(O.toNullable(jsonObject().decide(conflictOf('s', local, remote, '{"audio":3}')))?.resolution._tag).toBe('TakeRemote')
  })

  it('a field strategy whose fieldStrategyOf is not a function decides nested fields whole', () => {
    // a jsonObject's routing is used only when it is one: a strategy merely carrying the name is not
    const strategy = jsonObject({ fields: { audio: { ...maxValue(), fieldStrategyOf: undefined } } })
    expect(d(strategy, '{"audio":{"volume":5,"muted":false}}', '{"audio":{"volume":4,"muted":true}}', '{"audio":{"volume":3,"muted":false}}')?.resolution).toEqual(
      resolveWith('{"audio":{"muted":true,"volume":5}}'),
    )
  })

  it('a tombstone base counts as an empty object: both sides created the record', () => {
    expect(d(jsonObject(), '{"a":1}', '{"b":2}', null)?.resolution).toEqual(resolveWith('{"a":1,"b":2}'))
  })

  it('is asynchronous when a field strategy is, deciding the same', async () => {
    const strategy = jsonObject({ fields: { a: customAsync('ask', async () => resolveWith('42')) } })
    expect(strategy.effect).toBe('async')
    const decision = await (strategy.effect === 'async' ? strategy.decide(conflictOf('k', '{"a":1,"b":1}', '{"a":2,"b":1,"c":1}', '{"a":0,"b":1}'))() : undefined)
    expect(O.toNullable(decision ?? O.none)?.resolution).toEqual(resolveWith('{"a":42,"b":1,"c":1}'))
    expect(jsonObject({ fields: { a: lastWriterWins } }).effect).toBe('sync')
  })

  it('asynchronous, still goes to the fallback where it cannot merge field by field', async () => {
    const strategy = jsonObject<Strategy>({ default: customAsync('ask', async () => resolveWith('42')), fallback: custom('fallback', () => keepLocal) })
    const decide = (local: string | null, remote: string | null, base?: string) => (strategy.effect === 'async' ? strategy.decide(conflictOf('k', local, remote, base))() : expect.fail('not asynchronous'))
    for (const decision of [await decide('{"a":1}', '{"a":2}'), await decide(null, '{"a":2}', '{}'), await decide('[1]', '{"a":2}', '{}')]) expect(O.toNullable(decision)?.decidedBy).toBe('fallback')
  })

  it('a merge over the value limit is reported by reconcile as StrategyFailed, never cut short', () => {
    const half = 'x'.repeat(600_000)
    const server = { content: '{}', syncCount: 1 }
    const local = stateOf([{ key: 'big', server, pending: { content: JSON.stringify({ a: half }), deviceLastModifiedDate: at(1) } }], 1)
    const listing = { records: [{ Key: 'big', Value: JSON.stringify({ b: half }), SyncCount: 2 }], datasetSyncCount: 2 }
    const result = reconcile(jsonObject())({ local, listing, now: at(2) })
    expect(E.isLeft(result) && result.left._tag === 'StrategyFailed' && result.left.strategy).toBe('jsonObject')
  })
})
