// The local record model's queries and the guards stores rely on: which records are dirty, which
// values count as a record map, which as a local state.
import { test } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  LocalStateJson,
  PersistentMap,
  baseSyncCount,
  compareKeys,
  currentContent,
  currentDeviceDate,
  dirtyRecords,
  emptyState,
  isDirty,
  isRecordMap,
  setRecords,
  stateOf,
} from 'cognito-reconcile'

const edit = { content: 'v', deviceLastModifiedDate: new Date(0) }
const server = { content: 'v', syncCount: 1 }

describe('dirty records', () => {
  it('are those with a pending edit, in key order; a clean or unknown record is not dirty', () => {
    const state = stateOf([{ key: 'c', pending: edit }, { key: 'b', server }, { key: 'a', server, pending: { ...edit, content: null } }], 1)
    expect(dirtyRecords(state).map((record) => record.key)).toEqual(['a', 'c'])
    expect(dirtyRecords(stateOf([{ key: 'b', server }], 1))).toEqual([])
    expect(isDirty(undefined)).toBe(false)
  })
})

/** The six methods that tell a record map, each a function. */
const METHODS = ['get', 'has', 'forEach', 'entries', 'values', Symbol.iterator] as const
const mapLike = (methods: ReadonlyArray<PropertyKey>): object => Object.fromEntries(methods.map((method) => [method, () => undefined]))

describe('a record holding nothing', () => {
  // { key } is what setRecord is given to remove a key: every reader takes it for no record at all
  it('reads as no record: no content, base count 0, no device date, not dirty', () => {
    const empty = { key: 'k' }
    expect([currentContent(empty), baseSyncCount(empty), currentDeviceDate(empty), isDirty(empty)]).toEqual([null, 0, undefined, false])
    expect([currentContent(undefined), baseSyncCount(undefined), currentDeviceDate(undefined)]).toEqual([null, 0, undefined])
  })
  it('a pending edit on no server version: its content and date, base count 0', () => {
    const created = { key: 'k', pending: { ...edit, deviceLastModifiedDate: new Date(7) } }
    expect([currentContent(created), baseSyncCount(created), currentDeviceDate(created)]).toEqual(['v', 0, new Date(7)])
  })
})

describe('compareKeys', () => {
  const key = fc.string({ maxLength: 3, unit: fc.constantFrom('a', 'B', 'é', '\u{1F600}') })
  test.prop([key, key])('orders as < does on strings: -1, 0 or 1, antisymmetric, 0 exactly for equal keys', (a, b) => {
    expect(compareKeys(a, b)).toBe(a < b ? -1 : a === b ? 0 : 1)
    expect(compareKeys(b, a)).toBe(-compareKeys(a, b) || 0)
    expect(compareKeys(a, a)).toBe(0)
  })
})

describe('setRecords', () => {
  it('answers the state itself when the records change nothing', () => {
    const state = stateOf([{ key: 'k', server }], 1)
    expect(setRecords([])(state)).toBe(state)
    expect(setRecords([state.records.get('k') ?? { key: 'k' }, { key: 'absent' }])(state)).toBe(state)
    expect(setRecords([{ key: 'k' }])(state)).not.toBe(state)
  })
})

describe('isRecordMap', () => {
  it('accepts a Map, a PersistentMap and any object with the six read methods of a ReadonlyMap', () => {
    expect([new Map(), PersistentMap.empty(), emptyState.records, mapLike(METHODS)].map(isRecordMap)).toEqual([true, true, true, true])
  })
  it('refuses what is not an object, and an object missing any one of the six methods, whatever else it has', () => {
    expect([undefined, null, 'get', 1, {}, [], { get: 'get', has: 'has' }].map(isRecordMap)).toEqual([false, false, false, false, false, false, false])
    for (const missing of METHODS) {
      // a function under another name (even the empty one) stands in for none of the six
      const others = [...METHODS.filter((method) => method !== missing), '']
      expect(isRecordMap(mapLike(others)), String(missing)).toBe(false)
      expect(isRecordMap({ ...mapLike(others), [missing]: 'not a function' }), String(missing)).toBe(false)
    }
  })
})

describe('LocalStateJson.is', () => {
  it('accepts a state, whatever ReadonlyMap holds its records', () => {
    expect([emptyState, stateOf([{ key: 'k', server }], 1), { records: new Map(), lastSyncCount: 0 }].map(LocalStateJson.is)).toEqual([true, true, true])
  })
  it('refuses null, undefined, non-objects, a function and an object whose records are not a map', () => {
    // a function carrying a state's fields is not a state: like io-ts's record codecs, only plain objects count
    const callable = Object.assign(() => undefined, { records: new Map(), lastSyncCount: 0 })
    expect([null, undefined, 'state', callable, {}, { records: {} }, { records: [] }].map(LocalStateJson.is)).toEqual([false, false, false, false, false, false, false])
  })
})
