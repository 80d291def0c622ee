import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import { pipe } from 'fp-ts/lib/function.js'
import { describe, expect, it } from 'vitest'
import type { Counter, DecodeError } from 'cognito-reconcile'
import {
  CounterSemigroup,
  CounterText,
  conflictOf,
  counterOf,
  counterTotal,
  currentContent,
  emptyCounter,
  emptyState,
  increment,
  incrementCounter,
  incrementRecord,
  put,
  readCounter,
} from 'cognito-reconcile'
import { counter, lastWriterWins, resolveWith } from 'cognito-reconcile/strategies'
import { checkLaws, lawProperties, version } from 'cognito-reconcile/testkit'

const DEVICES = ['phone', 'tablet', 'web', '__proto__']
/** A device's own history: its increments and decrements, in order. */
const steps = fc.array(fc.tuple(fc.constantFrom(...DEVICES), fc.integer({ min: -5, max: 9 })), { maxLength: 12 })
const counterFrom = (history: ReadonlyArray<readonly [string, number]>): Counter =>
  history.reduce((c, [device, by]) => incrementCounter(device, by)(c), emptyCounter)
const counters = steps.map(counterFrom)
const counterText = counters.map((c) => CounterText.encode(c))

describe('CounterSemigroup', () => {
  const same = (a: Counter, b: Counter) => expect(CounterText.encode(a)).toBe(CounterText.encode(b))
  it('is commutative, associative and idempotent', () => {
    fc.assert(
      fc.property(counters, counters, counters, (a, b, c) => {
        same(CounterSemigroup.concat(a, b), CounterSemigroup.concat(b, a))
        same(CounterSemigroup.concat(CounterSemigroup.concat(a, b), c), CounterSemigroup.concat(a, CounterSemigroup.concat(b, c)))
        same(CounterSemigroup.concat(a, a), a)
      }),
    )
  })
  it('loses no increment: copies that each saw part of every device history merge to the total of all of it', () => {
    // each device's history split at any point: one copy saw the first part, another the whole
    fc.assert(
      fc.property(steps, fc.nat(), (history, cut) => {
        const prefix = history.slice(0, cut % (history.length + 1))
        const total = history.reduce((sum, [, by]) => sum + by, 0)
        expect(counterTotal(CounterSemigroup.concat(counterFrom(prefix), counterFrom(history)))).toBe(total)
        expect(counterTotal(CounterSemigroup.concat(counterFrom(history), counterFrom(prefix)))).toBe(total)
      }),
    )
  })
})

describe('CounterText', () => {
  it('reads what it writes, canonically', () => {
    fc.assert(
      fc.property(counters, (c) => {
        expect(pipe(CounterText.decode(CounterText.encode(c)), E.map(CounterText.encode))).toEqual(E.right(CounterText.encode(c)))
      }),
    )
    expect(pipe(CounterText.decode('{ "tablet": [1, 0], "phone": [2, 1] }'), E.map(CounterText.encode))).toEqual(E.right('{"phone":[2,1],"tablet":[1,0]}'))
  })
  it.each(['12', '[]', '{"a":[1]}', '{"a":[1,0,0]}', '{"a":[1,0],"b":[2]}', '{"a":[1,-1]}', '{"a":[1.5,0]}', '{"a":[9007199254740992,0]}', '{"a":"1"}', 'nope'])('refuses %s', (text) => {
    expect(E.isLeft(counterOf(text))).toBe(true)
  })
  it('decodes only text: a value that merely prints as a counter is refused', () => {
    expect(E.isLeft(CounterText.decode(['{"a":[1,0]}']))).toBe(true)
    expect(E.isLeft(CounterText.decode({ toString: () => '{"a":[1,0]}' }))).toBe(true)
  })
  it('is: a Map whose every slot holds two non-negative safe integers', () => {
    const slot = (increments: unknown, decrements: unknown) => ({ increments, decrements })
    expect([emptyCounter, new Map([['a', slot(1, 0)], ['b', slot(0, 2)]])].map(CounterText.is)).toEqual([true, true])
    const refused = [
      {},
      '{"a":[1,0]}',
      null,
      new Map([['a', undefined]]),
      new Map([['a', slot(1, 0)], ['b', slot(-1, 0)]]),
      new Map([['a', slot(1, -1)]]),
      new Map([['a', slot(-1, 1)]]),
      new Map([['a', slot(1.5, 0)]]),
      new Map([['a', { increments: 1 }]]),
    ]
    expect(refused.map(CounterText.is)).toEqual(refused.map(() => false))
  })
})

describe('increment', () => {
  it('adds to the device slot as a pending edit, read back by readCounter', () => {
    const next = pipe(
      increment('coins', 'phone', 5, new Date(1))(emptyState),
      E.chain(increment('coins', 'tablet', 2, new Date(2))),
      E.chain(increment('coins', 'phone', -3, new Date(3))),
    )
    expect(pipe(next, E.map((s) => currentContent(s.records.get('coins'))))).toEqual(E.right('{"phone":[5,3],"tablet":[2,0]}'))
    expect(pipe(next, E.chain(readCounter('coins')))).toEqual(E.right(4))
  })
  it('refuses, with a typed error saying what to do, a key holding something else, a step that is not an integer, a bad device id, an overflow', () => {
    const named = E.getOrElseW(() => emptyState)(put('name', 'Ada', new Date(0))(emptyState))
    const refused = [
      increment('name', 'phone', 1, new Date(1))(named),
      increment('coins', 'phone', 1.5, new Date(1))(emptyState),
      increment('coins', '', 1, new Date(1))(emptyState),
      pipe(increment('coins', 'phone', Number.MAX_SAFE_INTEGER, new Date(1))(emptyState), E.chain(increment('coins', 'phone', 1, new Date(2)))),
      increment('', 'phone', 1, new Date(1))(emptyState),
    ]
    expect(refused.map((r) => (E.isLeft(r) ? r.left.what : 'accepted'))).toEqual(['counter', 'counter step', 'device id', 'counter step', 'record key'])
    expect(E.isLeft(refused[0] as E.Either<{ message: string }, unknown>) && (refused[0] as E.Left<{ message: string }>).left.message).toMatch(/must be a counter.*got "Ada".*increment/)
  })
  it('a step that is not an integer, or would take a count past 2^53, is refused with the rule it broke and what to do instead', () => {
    const stepError = (result: E.Either<DecodeError, unknown>) => (E.isLeft(result) ? result.left : expect.fail('the step was accepted'))
    for (const by of [1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      expect(stepError(increment('coins', 'phone', by, new Date(1))(emptyState))).toEqual({
        _tag: 'DecodeError',
        what: 'counter step',
        issues: [{ path: '', expected: 'SafeInteger', rule: 'be an integer', got: String(by) }],
        message: `Invalid counter step: must be an integer; got ${String(by)}. Increment by whole numbers (negative to decrement).`,
      })
    }
    const full = pipe(emptyState, increment('coins', 'phone', -Number.MAX_SAFE_INTEGER, new Date(1)), E.chain(increment('coins', 'phone', -1, new Date(2))))
    expect(stepError(full)).toEqual({
      _tag: 'DecodeError',
      what: 'counter step',
      issues: [{ path: '', expected: 'SafeInteger', rule: 'keep the counts below 2^53', got: '-1' }],
      message: 'Invalid counter step: must keep the counts below 2^53; got -1. The counter cannot count that far exactly: keep such amounts in a plain value.',
    })
  })
  it('a counter that would outgrow the value limit is refused, not cut', () => {
    const huge = new Map([...Array(5_000).keys()].map((i) => [`${'d'.repeat(200)}${i}`, { increments: 1, decrements: 0 }] as const))
    const record = { key: 'coins', server: { content: CounterText.encode(huge), syncCount: 1 } }
    expect(pipe(incrementRecord('coins', record, 'phone', 1, new Date(0)), E.mapLeft((e) => e.what))).toEqual(E.left('record value'))
  })
})

describe('the counter strategy', () => {
  it('merges slot by slot by max, and holds its claimed laws', async () => {
    expect(O.toNullable(counter().decide(conflictOf('coins', '{"a":[3,0],"b":[1,1]}', '{"a":[2,0],"b":[4,0],"c":[1,0]}')))).toEqual({ resolution: resolveWith('{"a":[3,0],"b":[4,1],"c":[1,0]}'), decidedBy: 'counter' })
    expect(counter().laws).toEqual(['commutative', 'idempotent'])
    await checkLaws(counter())
  })
  it('is commutative, associative and idempotent over counters', async () => {
    const laws = lawProperties(counter(), { versions: version(counterText) })
    for (const law of ['commutative', 'associative', 'idempotent'] as const) await fc.assert(laws[law])
  })
  it('counts a deleted side as empty: increments made concurrently with a delete survive', () => {
    expect(O.toNullable(counter().decide(conflictOf('coins', '{"a":[3,0]}', null)))?.resolution._tag).toBe('KeepLocal')
  })
  it('writes a counter merged with a deleted side canonically, as every device would', () => {
    // slots out of code-unit order: still a counter, but the merge answers the one canonical text
    const unordered = '{"b":[1,0],"a":[2,0]}'
    for (const [local, remote] of [[unordered, null], [null, unordered]] as const) {
      expect(O.toNullable(counter().decide(conflictOf('coins', local, remote)))?.resolution).toEqual(resolveWith('{"a":[2,0],"b":[1,0]}'))
    }
  })
  it('gives values that are not counters to the fallback', () => {
    expect(O.toNullable(counter().decide(conflictOf('coins', '12', '{"a":[1,0]}')))?.decidedBy).toBe(lastWriterWins.name)
  })
})
