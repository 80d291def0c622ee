/**
 * A convergent counter stored in one record: one slot per device, each holding that device's own
 * increments and decrements, which only that device ever raises. Two copies merge slot by slot by
 * max, so a merge never loses an increment, counts none twice, and gives the same result whatever the
 * order, grouping or repetition of merges: coins earned offline on a phone and on a tablet all add up.
 *
 * The value is canonical JSON: `{"phone":[5,1],"tablet":[3,0]}` (slot: `[increments, decrements]`),
 * total 7.
 *
 * Cost: one slot per device id that ever changed the counter, about its id's length plus a dozen
 * characters (with 36-character UUIDs, some 20,000 devices fill the 1 MB value limit). Slots cannot be
 * dropped by a merge: a copy still holding a dropped slot would bring it back. docs/strategies.md
 * describes how to compact a counter.
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as O from 'fp-ts/lib/Option.js'
import type { Semigroup } from 'fp-ts/lib/Semigroup.js'
import * as t from 'io-ts'
import { type Content, DeviceId, RecordKey, RecordValue } from './codecs.js'
import { type DecodeError, decodeWith, withRule } from './DecodeError.js'
import { canonicalJson, isJsonObject, parseJson } from './Json.js'
import { type LocalRecord, type LocalState, currentContent, setRecord } from './LocalRecord.js'
import { editRecord } from './LocalWrite.js'

/**
 * One device's slot: how much it added and how much it took away, both non-negative.
 *
 * @since 0.2.0
 */
export interface CounterSlot {
  readonly increments: number
  readonly decrements: number
}

/**
 * A counter: slots by device id.
 *
 * @since 0.2.0
 */
export type Counter = ReadonlyMap<string, CounterSlot>

// constructors

/** A counter no device has changed: total 0. @since 0.2.0 */
export const emptyCounter: Counter = new Map()

const isCount = (u: unknown): u is number => typeof u === 'number' && Number.isSafeInteger(u) && u >= 0

const slotOf = (u: unknown): O.Option<CounterSlot> =>
  Array.isArray(u) && u.length === 2 && isCount(u[0]) && isCount(u[1]) ? O.some({ increments: u[0], decrements: u[1] }) : O.none

const fromText = (text: string): O.Option<Counter> =>
  pipe(
    parseJson(text),
    O.filter(isJsonObject),
    O.chain((object) =>
      pipe(
        O.traverseArray(([device, slot]: readonly [string, unknown]) => pipe(slotOf(slot), O.map((s) => [device, s] as const)))([...object]),
        O.map((slots): Counter => new Map(slots)),
      ),
    ),
  )

// destructors

const sum = (counter: Counter, side: keyof CounterSlot): number => {
  let total = 0
  for (const slot of counter.values()) total += slot[side]
  return total
}

/**
 * The counter's value: every increment of every device, less every decrement. Exact while both sums
 * are safe integers (below 2^53).
 *
 * @example
 * import { counterTotal, incrementCounter, emptyCounter } from 'cognito-reconcile'
 * import { pipe } from 'fp-ts/lib/function.js'
 * assert.strictEqual(counterTotal(pipe(emptyCounter, incrementCounter('phone', 5), incrementCounter('tablet', -2))), 3)
 *
 * @since 0.2.0
 */
export const counterTotal = (counter: Counter): number => sum(counter, 'increments') - sum(counter, 'decrements')

// combinators

/**
 * Adds `by` (an integer; negative to take away) to `device`'s slot. Only the device itself may change
 * its slot, or two devices writing one slot would lose increments.
 *
 * @example
 * import { incrementCounter, emptyCounter, CounterText } from 'cognito-reconcile'
 * import { pipe } from 'fp-ts/lib/function.js'
 * assert.strictEqual(CounterText.encode(pipe(emptyCounter, incrementCounter('phone', 5), incrementCounter('phone', -1))), '{"phone":[5,1]}')
 *
 * @since 0.2.0
 */
export const incrementCounter =
  (device: string, by: number) =>
  (counter: Counter): Counter => {
    const slot = counter.get(device) ?? { increments: 0, decrements: 0 }
    const next = new Map(counter)
    next.set(device, by >= 0 ? { ...slot, increments: slot.increments + by } : { ...slot, decrements: slot.decrements - by })
    return next
  }

/**
 * Counters merge slot by slot, taking the larger count of each side.
 *
 * Laws: commutative, associative and idempotent (a join-semilattice), so copies converge whatever the
 * order of syncs, lost answers and replays included; and monotone: the merge holds every increment
 * either copy holds, so none is lost.
 *
 * @example
 * import { CounterSemigroup, CounterText, counterTotal } from 'cognito-reconcile'
 * import * as E from 'fp-ts/lib/Either.js'
 * const phone = CounterText.decode('{"phone":[5,0],"tablet":[1,0]}')
 * const tablet = CounterText.decode('{"phone":[2,0],"tablet":[4,1]}')
 * assert.ok(E.isRight(phone) && E.isRight(tablet) && counterTotal(CounterSemigroup.concat(phone.right, tablet.right)) === 8)
 *
 * @since 0.2.0
 */
export const CounterSemigroup: Semigroup<Counter> = {
  concat: (a, b) => {
    const merged = new Map(a)
    for (const [device, slot] of b) {
      const mine = merged.get(device)
      merged.set(
        device,
        mine === undefined ? slot : { increments: Math.max(mine.increments, slot.increments), decrements: Math.max(mine.decrements, slot.decrements) },
      )
    }
    return merged
  },
}

// instances

const encode = (counter: Counter): string =>
  canonicalJson(new Map([...counter].map(([device, { increments, decrements }]) => [device, [increments, decrements]] as const)))

/**
 * A counter as record text, written canonically (slots in code-unit order).
 *
 * @since 0.2.0
 */
export const CounterText = withRule(
  new t.Type<Counter, string, unknown>(
    'CounterText',
    (u): u is Counter => u instanceof Map && [...u.values()].every((slot) => isCount(slot?.increments) && isCount(slot?.decrements)),
    (u, c) => (typeof u === 'string' ? pipe(fromText(u), O.match(() => t.failure<Counter>(u, c), t.success)) : t.failure(u, c)),
    encode,
  ),
  {
    rule: 'be a counter: a JSON object of device ids to [increments, decrements], both non-negative safe integers',
    fix: 'Change a counter only with increment (or incrementRecord); to turn another value into a counter, put its starting value with increment under a new key.',
  },
)

const decodeCounterText = decodeWith(CounterText, 'counter')
const decodeKey = decodeWith(RecordKey, 'record key')
const decodeDevice = decodeWith(DeviceId, 'device id')
const decodeValue = decodeWith(RecordValue, 'record value')

/**
 * The counter a record content holds: a missing or deleted record is an empty counter.
 *
 * @example
 * import { counterOf, counterTotal } from 'cognito-reconcile'
 * import * as E from 'fp-ts/lib/Either.js'
 * assert.deepStrictEqual(E.map(counterTotal)(counterOf('{"phone":[5,1]}')), E.right(4))
 * assert.deepStrictEqual(E.map(counterTotal)(counterOf(null)), E.right(0))
 * assert.ok(E.isLeft(counterOf('12')))
 *
 * @since 0.2.0
 */
export const counterOf = (content: Content): E.Either<DecodeError, Counter> => (content === null ? E.right(emptyCounter) : decodeCounterText(content))

const badStep = (by: number, rule: string, fix: string): DecodeError => {
  const issues = [{ path: '', expected: 'SafeInteger', rule, got: String(by) }]
  return { _tag: 'DecodeError', what: 'counter step', issues, message: `Invalid counter step: must ${rule}; got ${String(by)}. ${fix}` }
}

/** The counter after the step, if the step is an integer and every count stays a safe integer. */
const stepped = (device: string, by: number) => (counter: Counter): E.Either<DecodeError, Counter> => {
  if (!Number.isSafeInteger(by)) return E.left(badStep(by, 'be an integer', 'Increment by whole numbers (negative to decrement).'))
  const next = incrementCounter(device, by)(counter)
  const slot = next.get(device) as CounterSlot
  return isCount(slot.increments) && isCount(slot.decrements)
    ? E.right(next)
    : E.left(badStep(by, 'keep the counts below 2^53', 'The counter cannot count that far exactly: keep such amounts in a plain value.'))
}

/**
 * The record after `device` adds `by` to the counter under `key`: a pending edit, as `editRecord` makes
 * one, of the counter the record holds now (its pending edit, else the server's). Fails, changing
 * nothing, on a record that holds something else, a device id the service would refuse, a step that
 * is not an integer, or a counter that would outgrow the value limit.
 *
 * @example
 * import { incrementRecord, currentContent } from 'cognito-reconcile'
 * import * as E from 'fp-ts/lib/Either.js'
 * const server = { content: '{"tablet":[3,0]}', syncCount: 2 }
 * const next = incrementRecord('coins', { key: 'coins', server }, 'phone', 5, new Date(10))
 * assert.ok(E.isRight(next) && currentContent(next.right) === '{"phone":[5,0],"tablet":[3,0]}')
 * assert.ok(E.isLeft(incrementRecord('name', { key: 'name', server: { content: 'Ada', syncCount: 1 } }, 'phone', 1, new Date(10))))
 *
 * @since 0.2.0
 */
export const incrementRecord = (key: RecordKey, record: LocalRecord | undefined, device: string, by: number, now: Date): E.Either<DecodeError, LocalRecord> =>
  pipe(
    decodeDevice(device),
    E.chain(() => counterOf(currentContent(record))),
    E.chain(stepped(device, by)),
    E.chain((counter) => decodeValue(CounterText.encode(counter))),
    E.map((content) => editRecord(key, record, content, now)),
  )

/**
 * Adds `by` to the counter under `key` in `device`'s slot (`device`: the id this device syncs with),
 * as a pending edit; see `incrementRecord`.
 *
 * @example
 * import { increment, emptyState, readCounter } from 'cognito-reconcile'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const next = pipe(emptyState, increment('coins', 'phone', 5, new Date(1)), E.chain(increment('coins', 'phone', -2, new Date(2))))
 * assert.deepStrictEqual(pipe(next, E.chain(readCounter('coins'))), E.right(3))
 *
 * @since 0.2.0
 */
export const increment =
  (key: string, device: string, by: number, now: Date) =>
  (state: LocalState): E.Either<DecodeError, LocalState> =>
    pipe(
      decodeKey(key),
      E.chain((key) => incrementRecord(key, state.records.get(key), device, by, now)),
      E.map((record) => setRecord(record)(state)),
    )

/**
 * The total of the counter under `key` as the app sees it (pending increments included); 0 for a key
 * never written or deleted.
 *
 * @example
 * import { readCounter, stateOf } from 'cognito-reconcile'
 * import * as E from 'fp-ts/lib/Either.js'
 * const state = stateOf([{ key: 'coins', server: { content: '{"phone":[5,0],"tablet":[3,1]}', syncCount: 4 } }], 4)
 * assert.deepStrictEqual(readCounter('coins')(state), E.right(7))
 * assert.deepStrictEqual(readCounter('gems')(state), E.right(0))
 *
 * @since 0.2.0
 */
export const readCounter =
  (key: string) =>
  (state: LocalState): E.Either<DecodeError, number> =>
    pipe(counterOf(currentContent(state.records.get(key))), E.map(counterTotal))
