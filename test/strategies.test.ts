import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as O from 'fp-ts/lib/Option.js'
import * as N from 'fp-ts/lib/number.js'
import { contramap } from 'fp-ts/lib/Ord.js'
import * as t from 'io-ts'
import { PathReporter } from 'io-ts/lib/PathReporter.js'
import { describe, expect, it } from 'vitest'
import type { Conflict, Content, RecordKey, Strategy, Version } from 'cognito-reconcile'
import { conflictOf } from 'cognito-reconcile'
import {
  JsonStringSet,
  contentOrd,
  isFiniteDecimal,
  writtenOrd,
  byKey,
  custom,
  customAsync,
  fromOrd,
  fromSemigroup,
  jsonSetUnion,
  keepLocal,
  lastWriterWins,
  localWins,
  maxValue,
  minValue,
  orElse,
  remoteWins,
  takeRemote,
  when,
  resolveWith,
} from 'cognito-reconcile/strategies'
import { checkLaws, content, lawProperties, merge, numericValue, version } from 'cognito-reconcile/testkit'

const key = 'k'
const at = (ms: number): Date => new Date(ms)
const v = (c: string | null, device?: number, server?: number): Version => ({
  content: c,
  ...(device !== undefined && { deviceLastModifiedDate: at(device) }),
  ...(server !== undefined && { lastModifiedDate: at(server) }),
})
const decide = async (strategy: Strategy, local: Version, remote: Version) => {
  const decision = await (strategy.effect === 'sync' ? async () => strategy.decide({ key, local, remote }) : strategy.decide({ key, local, remote }))()
  return O.toNullable(decision)
}

// union results are canonical (sorted, no duplicates): compare sets, not spellings
const canonical = (c: Content): Content | string => (c === null ? null : pipe(JsonStringSet.decode(c), E.match(() => c, JsonStringSet.encode)))
const setEquivalent = (a: Content, b: Content): boolean => canonical(a) === canonical(b)

describe('every built-in strategy holds the laws it claims', () => {
  const cases: ReadonlyArray<[string, Strategy, Parameters<typeof checkLaws>[1]]> = [
    ['lastWriterWins', lastWriterWins, {}],
    ['maxValue', maxValue(), {}],
    ['minValue', minValue(), {}],
    ['localWins', localWins, {}],
    ['remoteWins', remoteWins, {}],
    ['jsonSetUnion', jsonSetUnion(), {}],
    ['byKey', byKey([['k', maxValue()], [/^a/, lastWriterWins]], lastWriterWins), {}],
    ['customAsync', customAsync('asyncRemote', async () => takeRemote, ['idempotent', 'selective']), {}],
  ]
  it.each(cases)('%s', async (_, strategy, options) => {
    await checkLaws(strategy, options)
  })
})

describe('the lattice strategies are lattices on their domain', () => {
  it('lastWriterWins is commutative, associative, idempotent and selective over any content', async () => {
    expect(lastWriterWins.laws).toEqual(['commutative', 'associative', 'idempotent', 'selective'])
  })
  it.each([
    ['maxValue', maxValue()],
    ['minValue', minValue()],
  ])('%s is commutative, associative, idempotent and selective over numbers', async (_, strategy) => {
    const laws = lawProperties(strategy, { versions: version(numericValue) })
    for (const law of ['commutative', 'associative', 'idempotent', 'selective'] as const) await fc.assert(laws[law])
  })
  it('jsonSetUnion is commutative, associative and idempotent over JSON string sets', async () => {
    const sets = version(fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'ü', ''), { maxLength: 4 }).map((items) => JSON.stringify(items)))
    const laws = lawProperties(jsonSetUnion(), { versions: sets, equivalent: setEquivalent })
    for (const law of ['commutative', 'associative', 'idempotent'] as const) await fc.assert(laws[law])
  })
  it('the law checker catches a false claim', async () => {
    const liar = { ...localWins, laws: ['commutative'] as const }
    await expect(checkLaws(liar)).rejects.toThrow(/localWins claims to be commutative/)
  })
  it('maxValue with its fallback is not associative, and does not claim to be', async () => {
    // 1@t3, "x"@t2, 2@t1: grouping decides whether max or last-writer-wins sees the pair
    const m = merge(maxValue())
    const [a, b, c] = [v('1', 3000), v('x', 2000), v('2', 1000)]
    expect((await m(key, await m(key, a, b), c)).content).toBe('2')
    expect((await m(key, a, await m(key, b, c))).content).toBe('1')
    expect(maxValue().laws).not.toContain('associative')
  })
})

describe('lastWriterWins', () => {
  it('takes the later device date', async () => {
    expect((await decide(lastWriterWins, v('mine', 2000), v('theirs', 1000, 1500)))?.resolution).toEqual(keepLocal)
    expect((await decide(lastWriterWins, v('mine', 1000), v('theirs', 2000, 2500)))?.resolution).toEqual(takeRemote)
  })
  it('clamps a remote device date to the server date, so a fast clock cannot win for ever', async () => {
    // the remote device claimed a date far in the future, but the server stored the edit at 1500
    expect((await decide(lastWriterWins, v('mine', 2000), v('theirs', 9_000_000, 1500)))?.resolution).toEqual(keepLocal)
  })
  it('falls back to the server date, then to epoch 0', async () => {
    expect((await decide(lastWriterWins, v('mine', 1000), v('theirs', undefined, 1200)))?.resolution).toEqual(takeRemote)
    expect((await decide(lastWriterWins, v('mine'), v('theirs', 1)))?.resolution).toEqual(takeRemote)
  })
  it('breaks ties by content so that both sides pick the same winner', async () => {
    await fc.assert(
      fc.asyncProperty(content(), content(), async (a, b) => {
        fc.pre(a !== b)
        const here = await decide(lastWriterWins, v(a, 1000), v(b, 1000))
        const there = await decide(lastWriterWins, v(b, 1000), v(a, 1000))
        const winner = (d: typeof here, local: Content, remote: Content) => (d?.resolution._tag === 'KeepLocal' ? local : remote)
        expect(winner(here, a, b)).toBe(winner(there, b, a))
      }),
    )
    expect((await decide(lastWriterWins, v(null, 1000), v('', 1000)))?.resolution).toEqual(takeRemote)
  })
})

describe('the orders behind the strategies are lawful', () => {
  const sign = (n: number) => Math.sign(n)
  it.each([
    ['contentOrd', contentOrd],
    ['writtenOrd', writtenOrd],
  ])('%s is reflexive, antisymmetric and transitive, and agrees with its equals', (_, ord) => {
    fc.assert(
      fc.property(version(), version(), version(), (a, b, c) => {
        expect(ord.compare(a, a)).toBe(0)
        expect(sign(ord.compare(a, b)) + sign(ord.compare(b, a))).toBe(0)
        if (ord.compare(a, b) <= 0 && ord.compare(b, c) <= 0) expect(ord.compare(a, c)).toBeLessThanOrEqual(0)
        expect(ord.equals(a, b)).toBe(ord.compare(a, b) === 0)
      }),
    )
  })
})

describe('maxValue and minValue', () => {
  it('read finite decimals only', () => {
    expect(['0', '-7', '+2', '.55', '-.5', '3.', '1e10', '1E+5', '2.5e-3', '12.5', '-100.25e3', '42.'].filter((v) => !isFiniteDecimal(v))).toEqual([])
    expect(['', '.', 'e5', '1e', '1e+', '0x1f', ' 1', '1 ', 'Infinity', 'NaN', '1,5', '.e1', '1e999'].filter(isFiniteDecimal)).toEqual([])
  })
  it('order numbers numerically, not as text', async () => {
    expect((await decide(maxValue(), v('9'), v('10')))?.resolution).toEqual(takeRemote)
    expect((await decide(minValue(), v('9'), v('10')))?.resolution).toEqual(keepLocal)
    expect((await decide(maxValue(), v('-5'), v('-10')))?.resolution).toEqual(keepLocal)
  })
  it('send non-numbers and deletes to the fallback, which is named in the decision', async () => {
    expect(await decide(maxValue(), v('x', 2000), v('5', 1000))).toEqual({ resolution: keepLocal, decidedBy: 'lastWriterWins' })
    expect(await decide(maxValue(remoteWins), v(null), v('5'))).toEqual({ resolution: takeRemote, decidedBy: 'remoteWins' })
    expect(await decide(maxValue(), v('1e999', 2000), v('5', 1000))).toEqual({ resolution: keepLocal, decidedBy: 'lastWriterWins' })
    expect(await decide(maxValue(), v('7'), v('5'))).toEqual({ resolution: keepLocal, decidedBy: 'maxValue' })
    // a number on one side only is not a numeric conflict, whichever side it is on
    expect(await decide(maxValue(), v('5', 1000), v('x', 2000))).toEqual({ resolution: takeRemote, decidedBy: 'lastWriterWins' })
    expect(await decide(minValue(), v('5', 1000), v(null, 2000))).toEqual({ resolution: takeRemote, decidedBy: 'lastWriterWins' })
  })
  it('are named after themselves, whatever their fallback', async () => {
    expect([maxValue().name, minValue().name, minValue(remoteWins).name]).toEqual(['maxValue', 'minValue', 'minValue'])
    expect(await decide(minValue(), v('5'), v('7'))).toEqual({ resolution: keepLocal, decidedBy: 'minValue' })
  })
})

describe('fromOrd', () => {
  it('takes the remote version of equal contents: nothing to push', () => {
    const longest = fromOrd('longest', contramap((version: Version) => version.content?.length ?? -1)(N.Ord))
    expect(longest.decide(conflictOf('k', 'same', 'same'))).toEqual(O.some({ resolution: takeRemote, decidedBy: 'longest' }))
    // equal under the order, different contents: the greater content wins, on either side
    expect(longest.decide(conflictOf('k', 'abd', 'abc'))).toEqual(O.some({ resolution: keepLocal, decidedBy: 'longest' }))
    expect(longest.decide(conflictOf('k', 'abc', 'abd'))).toEqual(O.some({ resolution: takeRemote, decidedBy: 'longest' }))
  })
})

describe('custom strategies', () => {
  it('claim no law unless given some', () => {
    expect(custom('mine', () => keepLocal).laws).toEqual([])
    expect(customAsync('ask', async () => keepLocal).laws).toEqual([])
    expect(custom('mine', () => keepLocal, ['idempotent']).laws).toEqual(['idempotent'])
  })
})

describe('conflictOf', () => {
  it('has a base only when given one', () => {
    expect(Object.keys(conflictOf('k', 'a', 'b'))).toEqual(['key', 'local', 'remote'])
    expect(conflictOf('k', 'a', 'b', null)).toEqual({ key: 'k', local: { content: 'a' }, remote: { content: 'b' }, base: { content: null } })
  })
})

describe('combinators', () => {
  it('byKey routes exact keys, patterns and predicates, first match first', async () => {
    const strategy = byKey(
      [
        ['best', maxValue()],
        [/^settings\./g, localWins],
        [(k: RecordKey) => k.endsWith('!'), remoteWins],
      ],
      lastWriterWins,
    )
    const on = (k: string) => (strategy.effect === 'sync' ? O.toNullable(strategy.decide({ key: k, local: v('1', 5), remote: v('2', 1) }))?.decidedBy : undefined)
    expect([on('best'), on('settings.theme'), on('settings.theme'), on('wow!'), on('other')]).toEqual(['maxValue', 'localWins', 'localWins', 'remoteWins', 'lastWriterWins'])
    expect(strategy.effect).toBe('sync')
    expect(strategy.name).toBe('byKey(maxValue, localWins, remoteWins, lastWriterWins)')
  })
  it('byKey becomes asynchronous when one route is', async () => {
    const strategy = byKey([['k', customAsync('ask', async () => keepLocal)]], remoteWins)
    expect(strategy.effect).toBe('async')
    expect(await decide(strategy, v('a'), v('b'))).toEqual({ resolution: keepLocal, decidedBy: 'ask' })
  })
  it('orElse falls back only when the primary declines', async () => {
    const draftsLocal = orElse(when((c: Conflict) => c.key.startsWith('draft'), localWins), remoteWins)
    expect(O.toNullable(draftsLocal.decide({ key: 'draft1', local: v('a'), remote: v('b') }))?.decidedBy).toBe('localWins')
    expect(O.toNullable(draftsLocal.decide({ key: 'x', local: v('a'), remote: v('b') }))?.decidedBy).toBe('remoteWins')
  })
  it('fromOrd lets the greater side win and breaks ties by content', async () => {
    const longest = fromOrd('longest', contramap((x: Version) => x.content?.length ?? -1)(N.Ord))
    expect((await decide(longest, v('abc'), v('de')))?.resolution).toEqual(keepLocal)
    expect((await decide(longest, v('ab'), v('cd')))?.resolution).toEqual(takeRemote)
    expect((await decide(longest, v('cd'), v('ab')))?.resolution).toEqual(keepLocal)
  })
  it('custom and customAsync (Promise or Task) answer with their names', async () => {
    const both = custom('both', (c) => resolveWith(`${c.remote.content}+${c.local.content}`))
    expect(await decide(both, v('a'), v('b'))).toEqual({ resolution: resolveWith('b+a'), decidedBy: 'both' })
    const task = customAsync('task', () => async () => takeRemote)
    expect(await decide(task, v('a'), v('b'))).toEqual({ resolution: takeRemote, decidedBy: 'task' })
  })
  it('when keeps a synchronous strategy synchronous: a conflict it does not apply to is declined at once', () => {
    const drafts = when((c: Conflict) => c.key.startsWith('draft'), localWins)
    expect(drafts.effect).toBe('sync')
    expect(drafts.decide({ key: 'title', local: v('a'), remote: v('b') })).toEqual(O.none)
  })
  it('orElse is named after both parts, and jsonSetUnion after itself, with the laws they claim', () => {
    expect(orElse(maxValue(), lastWriterWins).name).toBe('maxValue orElse lastWriterWins')
    expect(jsonSetUnion()).toMatchObject({ name: 'jsonSetUnion', effect: 'sync' })
    // the union claims commutative, associative and idempotent; its lastWriterWins fallback all four;
    // orElse is never associative
    expect([...jsonSetUnion().laws].sort()).toEqual(['commutative', 'idempotent'])
  })
  it('fromSemigroup declines a delete on either side, even when its codec would read null', () => {
    // Number(null) is 0: a codec this lenient would merge a delete as a zero if deletes were not declined first
    const NumberText = new t.Type<number, string, string>('NumberText', (u): u is number => typeof u === 'number', (s, c) => (Number.isFinite(Number(s)) ? t.success(Number(s)) : t.failure(s, c)), String)
    const sum = fromSemigroup({ name: 'sum', codec: NumberText, semigroup: N.SemigroupSum })
    expect(sum).toMatchObject({ name: 'sum', effect: 'sync', laws: ['associative'] })
    expect(sum.decide({ key, local: v('2'), remote: v('3') })).toEqual(O.some({ resolution: resolveWith('5'), decidedBy: 'sum' }))
    expect([sum.decide({ key, local: v(null), remote: v('3') }), sum.decide({ key, local: v('2'), remote: v(null) })]).toEqual([O.none, O.none])
  })
  it('JsonStringSet says why it refuses text that is not JSON', () => {
    const refused = JsonStringSet.decode('["a"')
    expect(E.isLeft(refused) && refused.left.map((error) => error.message)).toEqual(['not JSON'])
    // io-ts's reporters name the codec that refused
    expect(PathReporter.report(JsonStringSet.decode('[1]'))).toEqual(['Invalid value "[1]" supplied to : JsonStringSet'])
  })
  it('jsonSetUnion writes the sorted union and falls back for deletes and other values', async () => {
    expect(await decide(jsonSetUnion(), v('["b","a","b"]'), v('["c"]'))).toEqual({ resolution: resolveWith('["a","b","c"]'), decidedBy: 'jsonSetUnion' })
    expect((await decide(jsonSetUnion(), v(null, 2000), v('["c"]', 1000)))?.decidedBy).toBe('lastWriterWins')
    expect((await decide(jsonSetUnion(), v('{"a":1}', 2000), v('["c"]', 1000)))?.decidedBy).toBe('lastWriterWins')
  })
})
