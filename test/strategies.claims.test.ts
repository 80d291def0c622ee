// What each built-in claims, pinned (an emptied `laws` would make the law suite check nothing); the law
// checker catching a false claim of each law; and the asynchronous paths of `when` and `orElse`.
import fc from 'fast-check'
import * as O from 'fp-ts/lib/Option.js'
import * as T from 'fp-ts/lib/Task.js'
import { describe, expect, it } from 'vitest'
import type { Conflict, Law, Strategy } from 'cognito-reconcile'
import {
  byKey,
  contentOrd,
  custom,
  customAsync,
  fromOrd,
  fromSemigroup,
  JsonStringSet,
  jsonSetUnion,
  keepLocal,
  lastWriterWins,
  localWins,
  maxValue,
  minValue,
  orElse,
  remoteWins,
  resolveWith,
  takeRemote,
  unionSemigroup,
  when,
} from 'cognito-reconcile/strategies'
import { checkLaws, lawProperties } from 'cognito-reconcile/testkit'

const all: ReadonlyArray<Law> = ['commutative', 'associative', 'idempotent', 'selective']

describe('the laws each built-in claims', () => {
  const cases: ReadonlyArray<readonly [string, Strategy, ReadonlyArray<Law>]> = [
    ['lastWriterWins', lastWriterWins, all],
    ['fromOrd', fromOrd('byContent', contentOrd), all],
    ['localWins', localWins, ['idempotent', 'selective']],
    ['remoteWins', remoteWins, ['idempotent', 'selective']],
    // a numeric strategy falls back for other values: two orders, so not associative
    ['maxValue()', maxValue(), ['commutative', 'idempotent', 'selective']],
    ['minValue()', minValue(), ['commutative', 'idempotent', 'selective']],
    ['maxValue(remoteWins)', maxValue(remoteWins), ['idempotent', 'selective']],
    ['fromSemigroup (a semigroup: associative)', fromSemigroup({ name: 'u', codec: JsonStringSet, semigroup: unionSemigroup }), ['associative']],
    ['jsonSetUnion()', jsonSetUnion(), ['commutative', 'idempotent']],
    ['byKey: what every route claims', byKey([['score', maxValue()]], lastWriterWins), ['commutative', 'idempotent', 'selective']],
    ['byKey of lattices', byKey([[/^a/, lastWriterWins]], fromOrd('byContent', contentOrd)), all],
    ['when: the laws of its strategy', when(() => true, lastWriterWins), all],
    ['orElse: both claims, associativity dropped', orElse(lastWriterWins, fromOrd('byContent', contentOrd)), ['commutative', 'idempotent', 'selective']],
    ['custom: none unless given', custom('c', () => keepLocal), []],
    ['custom: what it is given', custom('c', () => keepLocal, ['idempotent']), ['idempotent']],
    ['customAsync: what it is given', customAsync('c', async () => takeRemote, ['selective']), ['selective']],
  ]
  it.each(cases)('%s', (_, strategy, laws) => {
    expect(strategy.laws).toEqual(laws)
  })
})

describe('the law checker catches a false claim of each law', () => {
  // [a, b] as JSON: neither side, never the input again, and nested differently under two groupings
  const pair = (laws: ReadonlyArray<Law>) => custom('pair', (c) => resolveWith(JSON.stringify([c.local.content, c.remote.content])), laws)
  it.each([
    ['commutative', { ...localWins, laws: ['commutative'] as const }],
    ['associative', pair(['associative'])],
    ['idempotent', pair(['idempotent'])],
    ['selective', pair(['selective'])],
  ] as const)('%s', async (law, liar) => {
    await expect(checkLaws(liar, {}, { numRuns: 50 })).rejects.toThrow(new RegExp(`claims to be ${law}, but is not`))
  })

  it('each check alone refutes the liar, and holds for a strategy that has the law', async () => {
    const broken = lawProperties(pair([]))
    const lawful = lawProperties(lastWriterWins)
    for (const law of all) {
      expect((await fc.check(broken[law], { numRuns: 50 })).failed, law).toBe(true)
      expect((await fc.check(lawful[law], { numRuns: 50 })).failed, law).toBe(false)
    }
  })

  it('an associative merge that is not selective passes associativity and fails selectivity', async () => {
    const concat = custom('concat', (c) => resolveWith(`${c.local.content ?? ''}${c.remote.content ?? ''}`), ['associative'])
    await checkLaws(concat, {}, { numRuns: 50 })
    await expect(checkLaws({ ...concat, laws: ['selective'] }, {}, { numRuns: 50 })).rejects.toThrow(/concat claims to be selective/)
  })
})

describe('the asynchronous paths of when and orElse', () => {
  const conflict = (key: string): Conflict => ({ key, local: { content: 'mine' }, remote: { content: 'theirs' } }) as Conflict
  const ask = customAsync('ask', async () => takeRemote)
  const run = (strategy: Strategy, c: Conflict) => (strategy.effect === 'async' ? strategy.decide(c)() : Promise.resolve(strategy.decide(c)))

  it('when over an asynchronous strategy stays asynchronous: it asks for the conflicts it applies to, and declines the others', async () => {
    const drafts = when((c) => c.key.startsWith('draft.'), ask)
    expect(drafts.effect).toBe('async')
    expect(await run(drafts, conflict('draft.title'))).toEqual(O.some({ resolution: takeRemote, decidedBy: 'ask' }))
    expect(await run(drafts, conflict('title'))).toEqual(O.none)
  })

  it('orElse with an asynchronous primary: its decision stands, and the fallback answers what it declines', async () => {
    const s = orElse(when((c) => c.key.startsWith('draft.'), ask), localWins)
    expect(s.effect).toBe('async')
    expect(await run(s, conflict('draft.title'))).toEqual(O.some({ resolution: takeRemote, decidedBy: 'ask' }))
    expect(await run(s, conflict('title'))).toEqual(O.some({ resolution: keepLocal, decidedBy: 'localWins' }))
  })

  it('orElse with an asynchronous fallback: asked only when the synchronous primary declines', async () => {
    let asked = 0
    const counted = customAsync('counted', () => {
      asked += 1
      return T.of(takeRemote)
    })
    const s = orElse(when((c) => c.key === 'mine', localWins), counted)
    expect(s.effect).toBe('async')
    expect(await run(s, conflict('mine'))).toEqual(O.some({ resolution: keepLocal, decidedBy: 'localWins' }))
    expect(asked).toBe(0)
    expect(await run(s, conflict('other'))).toEqual(O.some({ resolution: takeRemote, decidedBy: 'counted' }))
    expect(asked).toBe(1)
  })

  it('orElse of two that both decline declines, asynchronously too', async () => {
    const never = when(() => false, ask)
    expect(await run(orElse(never, never), conflict('k'))).toEqual(O.none)
  })

  it('the asynchronous combinations keep the laws both claim', async () => {
    const s = orElse(when(() => true, customAsync('asyncRemote', async () => takeRemote, ['idempotent', 'selective'])), remoteWins)
    expect(s.laws).toEqual(['idempotent', 'selective'])
    await checkLaws(s, {}, { numRuns: 50 })
  })
})
