// The cases the reconcile properties run: a strategy and an input it meets, shaped so that every rule
// of reconcile is reached (see `reconcileClasses`, and the reach test in reconcile.properties.test.ts):
// - inputs from the testkit, a share of them kept only when they hold a conflict, and listings that
//   need not fit the local state at all;
// - strategies that keep a side, one that writes (a set union) and one that declines (a semigroup
//   without a fallback, which leaves conflicts unresolved);
// - the same inputs with their values mapped onto JSON sets for the set merges, and onto numbers for
//   maxValue, equal values staying equal, so that those strategies decide rather than fall back.
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import type { Content, Listing, LocalRecord, LocalState, SyncStrategy } from 'cognito-reconcile'
import { reconcile, remoteContent, stateOf } from 'cognito-reconcile'
import { JsonStringSet, effectiveDate, fromSemigroup, jsonSetUnion, lastWriterWins, localWins, maxValue, remoteWins, setUnion, unionSemigroup } from 'cognito-reconcile/strategies'
import { date, listing, localState, reconcileInput } from 'cognito-reconcile/testkit'

export interface Input {
  readonly local: LocalState
  readonly listing: Listing
  readonly now: Date
}

export type Case = readonly [SyncStrategy, Input]

/** `input` with every value (never a tombstone) replaced by `f` of it: equal values stay equal. */
const relabel =
  (f: (value: string) => string) =>
  ({ local, listing, now }: Input): Input => {
    const map = (content: Content): Content => (content === null ? null : (f(content) as Content))
    const records = [...local.records.values()].map(({ key, server, pending }): LocalRecord => ({
      key,
      ...(server !== undefined && { server: { ...server, content: map(server.content) } }),
      ...(pending !== undefined && {
        pending: { ...pending, content: map(pending.content), ...(pending.sent !== undefined && { sent: { ...pending.sent, content: map(pending.sent.content) } }) },
      }),
    }))
    const listed = listing.records.map((record) => (record.Value === undefined ? record : { ...record, Value: f(record.Value) as Content & string }))
    return { local: stateOf(records, local.lastSyncCount), listing: { ...listing, records: listed }, now }
  }

const hash = (text: string): number => [...text].reduce((h, char) => (h * 31 + (char.codePointAt(0) ?? 0)) >>> 0, 7)
const sets = ['[]', '["a"]', '["b"]', '["a","b"]', '["c"]', '["b","c"]']
const asSet = (value: string): string => sets[hash(value) % sets.length] as string
const asNumber = (value: string): string => String((hash(value) % 9) - 3)

const withConflict = (input: Input): boolean => {
  const result = reconcile(lastWriterWins)(input)
  return E.isRight(result) && result.right.conflicts.length > 0
}

/** Inputs: the testkit's, those of them with a conflict, and listings unrelated to the local state. */
export const input: fc.Arbitrary<Input> = fc.oneof(
  { weight: 2, arbitrary: reconcileInput() },
  { weight: 2, arbitrary: reconcileInput().filter(withConflict) },
  { weight: 1, arbitrary: fc.record({ local: localState(), listing, now: date }) },
)

/** A set union without a fallback: it declines deletes and values that are not sets. */
export const union: SyncStrategy = fromSemigroup({ name: 'union', codec: JsonStringSet, semigroup: unionSemigroup })

/** The strategies and inputs the properties run, each family as its own arbitrary. */
export const families = {
  any: fc.tuple(fc.constantFrom<SyncStrategy>(lastWriterWins, maxValue(), localWins, remoteWins, jsonSetUnion(), union), input),
  sets: fc.tuple(fc.constantFrom<SyncStrategy>(jsonSetUnion(), setUnion(), union), input.map(relabel(asSet))),
  numbers: fc.tuple(fc.constant(maxValue()), input.map(relabel(asNumber))),
} satisfies Record<string, fc.Arbitrary<Case>>

/** Every case the properties run. */
export const reconcileCase: fc.Arbitrary<Case> = fc.oneof(families.any, families.sets, families.numbers)

/**
 * The rules a case reaches: how its conflicts were resolved (`Write`, `KeepLocal`, `TakeRemote`) or
 * left `unresolved`; conflicts with a tombstone on either side, with equal dates, with a server date
 * before the device date (`server clock behind`) and where that clamp changes the winner of
 * lastWriterWins (`clamp decides`); an edit listed back with its own content (`equal contents`); a
 * version sent without an answer listed (`confirmed`); and a dataset or record that went back.
 */
export const reconcileClasses = ([strategy, input]: Case): ReadonlyArray<string> => {
  const result = reconcile(strategy)(input)
  if (E.isLeft(result)) return ['failed']
  const { conflicts, unresolved, confirmed, regressions } = result.right
  const met = [...conflicts.map((c) => c.conflict), ...unresolved]
  return [
    ...conflicts.map((c) => c.resolution._tag),
    ...(unresolved.length > 0 ? ['unresolved'] : []),
    ...met.flatMap((c) => {
      const serverBehind = c.remote.lastModifiedDate !== undefined && c.remote.deviceLastModifiedDate !== undefined && c.remote.lastModifiedDate < c.remote.deviceLastModifiedDate
      const raw = Math.sign((c.local.deviceLastModifiedDate?.getTime() ?? 0) - (c.remote.deviceLastModifiedDate?.getTime() ?? 0))
      return [
        ...(c.local.content === null ? ['local tombstone'] : []),
        ...(c.remote.content === null ? ['remote tombstone'] : []),
        ...(effectiveDate(c.local) === effectiveDate(c.remote) ? ['equal dates'] : []),
        ...(serverBehind ? ['server clock behind'] : []),
        ...(serverBehind && raw !== Math.sign(effectiveDate(c.local) - effectiveDate(c.remote)) ? ['clamp decides'] : []),
      ]
    }),
    ...input.listing.records.flatMap((record) => {
      const mine = input.local.records.get(record.Key)?.pending
      const base = input.local.records.get(record.Key)?.server?.content ?? null
      return mine !== undefined && mine.content === remoteContent(record) && mine.content !== base ? ['equal contents'] : []
    }),
    ...(confirmed.length > 0 ? ['confirmed'] : []),
    ...regressions.map((r) => r._tag),
  ]
}

/** The least share (percent of 1,000 cases) of each class; what the generators reach, with a margin. */
export const reconcileReach: Readonly<Record<string, number>> = {
  Write: 4,
  KeepLocal: 10,
  TakeRemote: 8,
  unresolved: 4,
  'local tombstone': 5,
  'remote tombstone': 10,
  'equal dates': 10,
  'server clock behind': 10,
  'clamp decides': 8,
  'equal contents': 8,
  confirmed: 10,
  DatasetRegressed: 3,
}
