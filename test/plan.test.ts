// reconcile looks only at the listed and the dirty keys, and builds its next state with one copy. These
// properties hold it to the naive way, which looks at every key and copies the state per change.
import { test } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect } from 'vitest'
import type { LocalRecord, LocalState, ReconcileInput } from 'cognito-reconcile'
import { compareKeys, setRecords } from 'cognito-reconcile'
import { date, listing, localRecord, localState, reconcileInput } from 'cognito-reconcile/testkit'
import { plan, touchedKeys } from '../src/plan.js'

const input = fc.oneof(reconcileInput(), fc.record({ local: localState(), listing, now: date }))

/** The naive way: every key of either side, in key order. */
const everyKey = ({ local, listing: l }: ReconcileInput): ReadonlyArray<string> =>
  Array.from(new Set([...l.records.map((r) => r.Key), ...local.records.keys()])).sort(compareKeys)

/** The naive way: a copy of the whole state for each change. */
const setRecordByCopy =
  (record: LocalRecord) =>
  (state: LocalState): LocalState => {
    const records = new Map(state.records)
    if (record.server === undefined && record.pending === undefined) records.delete(record.key)
    else records.set(record.key, record)
    return { ...state, records }
  }

const inKeyOrder = (records: ReadonlyMap<string, LocalRecord>) => [...records.entries()].sort(([a], [b]) => compareKeys(a, b))

describe('planning', () => {
  test.prop([input])('over the listed and dirty keys gives the steps of planning over every key', (i) => {
    expect(plan(i, touchedKeys(i))).toEqual(plan(i, everyKey(i)))
  })

  test.prop([input])('never looks at a clean, unlisted key', (i) => {
    const listed = new Set(i.listing.records.map((r) => r.Key as string))
    for (const key of touchedKeys(i)) expect(listed.has(key) || i.local.records.get(key)?.pending !== undefined).toBe(true)
  })
})

describe('setRecords', () => {
  test.prop([localState(), fc.array(localRecord(), { maxLength: 8 })])('equals setting the records one by one, each by a copy', (state, records) => {
    const before = new Map(state.records)
    const once = setRecords(records)(state)
    const byCopy = records.reduce((s, r) => setRecordByCopy(r)(s), state)
    expect(inKeyOrder(once.records)).toEqual(inKeyOrder(byCopy.records))
    expect(once.lastSyncCount).toBe(byCopy.lastSyncCount)
    // and the state it was given is unchanged
    expect(inKeyOrder(state.records)).toEqual(inKeyOrder(before))
  })
})
