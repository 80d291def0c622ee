/**
 * The local copy of a record: the last server version this device saw, and the edit it has not pushed
 * yet. Keeping both (rather than a value and a dirty flag) is what lets every rule below be stated
 * without special cases: the pending edit's base is always the server version beside it, which is also
 * what a three-way merge needs.
 *
 * @since 0.1.0
 */
import * as t from 'io-ts'
import { Content, DateFromEpochMillis, RecordKey, type RecordValue, SyncCount } from './codecs.js'
import { PersistentMap } from './PersistentMap.js'
import { draftRecord, persistentRecords } from './recordMap.js'
import { type RemoteRecord, remoteContent } from './RemoteRecord.js'

/**
 * A version of a record as the server stored it. `content` is `null` for a tombstone.
 *
 * @since 0.1.0
 */
export interface ServerVersion {
  readonly content: Content
  readonly syncCount: SyncCount
  /** When the server stored it, if the server said. */
  readonly lastModifiedDate?: Date
  readonly lastModifiedBy?: string
  /** The writing device's clock at the edit, if the device sent one. */
  readonly deviceLastModifiedDate?: Date
}

/**
 * A version this device sent with UpdateRecords and never saw acknowledged (the answer was lost, or the
 * app wrote again meanwhile): the server may hold it, or may not.
 *
 * @since 0.1.0
 */
export interface SentVersion {
  readonly content: Content
  readonly deviceLastModifiedDate: Date
}

/**
 * A local edit not yet acknowledged by the server: a new value, or `null` for a delete. `sent` is the
 * version of this key last sent without an answer: until a listing tells whether it landed, the server
 * version beside the edit may be stale, so the edit is never taken for a no-op.
 *
 * @since 0.1.0
 */
export interface PendingEdit {
  readonly content: Content
  readonly deviceLastModifiedDate: Date
  readonly sent?: SentVersion
}

/**
 * A record on this device. `server` is absent for a key this device never saw on the server; `pending`
 * is absent for a clean record. At least one of the two is present.
 *
 * @since 0.1.0
 */
export interface LocalRecord {
  readonly key: RecordKey
  readonly server?: ServerVersion
  readonly pending?: PendingEdit
}

/**
 * A dataset on this device: its records by key and the DatasetSyncCount it last caught up with.
 * Records are kept in a map, so keys such as `__proto__` are data, never properties: any
 * `ReadonlyMap` is accepted, and the states the library builds hold a `PersistentMap`, so that a change
 * copies a path of the map rather than all of it.
 *
 * @since 0.1.0
 */
export interface LocalState {
  readonly records: ReadonlyMap<string, LocalRecord>
  readonly lastSyncCount: SyncCount
}

// constructors

/** A dataset never synced: no records, `lastSyncCount` 0. @since 0.1.0 */
export const emptyState: LocalState = { records: PersistentMap.empty(), lastSyncCount: 0 }

/**
 * The server version a remote record describes.
 *
 * @example
 * import { serverVersionOf } from 'cognito-reconcile'
 * assert.deepStrictEqual(serverVersionOf({ Key: 'k', SyncCount: 3 }), { content: null, syncCount: 3 })
 *
 * @since 0.1.0
 */
export const serverVersionOf = (remote: RemoteRecord): ServerVersion => {
  // assigned one by one rather than spread: this runs once per listed record
  const version: { -readonly [K in keyof ServerVersion]: ServerVersion[K] } = { content: remoteContent(remote), syncCount: remote.SyncCount }
  if (remote.LastModifiedDate !== undefined) version.lastModifiedDate = remote.LastModifiedDate
  if (remote.LastModifiedBy !== undefined) version.lastModifiedBy = remote.LastModifiedBy
  if (remote.DeviceLastModifiedDate !== undefined) version.deviceLastModifiedDate = remote.DeviceLastModifiedDate
  return version
}

/**
 * Builds a state from records, the last one winning for a repeated key.
 *
 * @example
 * import { stateOf, currentContent } from 'cognito-reconcile'
 * const state = stateOf([{ key: 'k', server: { content: 'a', syncCount: 1 } }], 1)
 * assert.strictEqual(currentContent(state.records.get('k')), 'a')
 *
 * @since 0.1.0
 */
export const stateOf = (records: Iterable<LocalRecord>, lastSyncCount: number): LocalState => ({
  records: PersistentMap.fromEntries(Array.from(records, (record) => [record.key, record] as const)),
  lastSyncCount: lastSyncCount,
})

// destructors

/**
 * What the app sees: the pending edit if there is one, else the server version; `null` for a deleted
 * or unknown record.
 *
 * @example
 * import { currentContent } from 'cognito-reconcile'
 * const server = { content: 'old', syncCount: 2 }
 * assert.strictEqual(currentContent({ key: 'k', server }), 'old')
 * assert.strictEqual(currentContent({ key: 'k', server, pending: { content: null, deviceLastModifiedDate: new Date(0) } }), null)
 * assert.strictEqual(currentContent(undefined), null)
 *
 * @since 0.1.0
 */
export const currentContent = (record: LocalRecord | undefined): Content =>
  record === undefined ? null : record.pending !== undefined ? record.pending.content : (record.server?.content ?? null)

/**
 * Whether the record has an edit the server has not acknowledged.
 *
 * @example
 * import { isDirty } from 'cognito-reconcile'
 * assert.strictEqual(isDirty({ key: 'k', pending: { content: '', deviceLastModifiedDate: new Date(0) } }), true)
 * assert.strictEqual(isDirty({ key: 'k', server: { content: '', syncCount: 1 } }), false)
 *
 * @since 0.1.0
 */
export const isDirty = (record: LocalRecord | undefined): boolean => record?.pending !== undefined

/**
 * The server sync count the record is based on: the one a patch must carry, 0 for a key the server
 * never had.
 *
 * @example
 * import { baseSyncCount } from 'cognito-reconcile'
 * assert.strictEqual(baseSyncCount({ key: 'k', server: { content: 'v', syncCount: 7 } }), 7)
 * assert.strictEqual(baseSyncCount({ key: 'k', pending: { content: 'v', deviceLastModifiedDate: new Date(0) } }), 0)
 *
 * @since 0.1.0
 */
export const baseSyncCount = (record: LocalRecord | undefined): SyncCount => record?.server?.syncCount ?? (0)

/**
 * The device date of the version the app sees, the one a new local write must order after: the
 * pending edit's, else the server version's device date, else its server date.
 *
 * @example
 * import { currentDeviceDate } from 'cognito-reconcile'
 * assert.deepStrictEqual(currentDeviceDate({ key: 'k', server: { content: 'v', syncCount: 1, lastModifiedDate: new Date(9) } }), new Date(9))
 *
 * @since 0.1.0
 */
export const currentDeviceDate = (record: LocalRecord | undefined): Date | undefined =>
  record?.pending?.deviceLastModifiedDate ?? record?.server?.deviceLastModifiedDate ?? record?.server?.lastModifiedDate

/**
 * The records that have a pending edit, in key order.
 *
 * @example
 * import { dirtyRecords, stateOf } from 'cognito-reconcile'
 * const edit = { content: 'v', deviceLastModifiedDate: new Date(0) }
 * const state = stateOf([{ key: 'b', pending: edit }, { key: 'a', pending: edit }, { key: 'c', server: { content: 'v', syncCount: 1 } }], 1)
 * assert.deepStrictEqual(dirtyRecords(state).map((r) => r.key), ['a', 'b'])
 *
 * @since 0.1.0
 */
export const dirtyRecords = (state: LocalState): ReadonlyArray<LocalRecord> =>
  inKeyOrder(Array.from(state.records.values()).filter(isDirty))

/** A live record as the app sees it: its key and current value. @since 0.1.0 */
export interface Entry {
  readonly key: RecordKey
  readonly value: RecordValue
}

/**
 * The live records (those the app sees a value for), in key order: what a dataset holds for the app,
 * and what counts towards the service's quotas.
 *
 * @example
 * import { liveEntries, stateOf } from 'cognito-reconcile'
 * const state = stateOf([
 *   { key: 'b', server: { content: '', syncCount: 1 } },
 *   { key: 'a', server: { content: 'x', syncCount: 1 }, pending: { content: null, deviceLastModifiedDate: new Date(0) } },
 * ], 1)
 * assert.deepStrictEqual(liveEntries(state), [{ key: 'b', value: '' }])
 *
 * @since 0.1.0
 */
export const liveEntries = (state: LocalState): ReadonlyArray<Entry> =>
  sortedRecords(state).flatMap((record) => {
    const value = currentContent(record)
    return value === null ? [] : [{ key: record.key, value }]
  })

/**
 * Keys in UTF-16 code-unit order: the order of `<` on strings, the same on every device and platform.
 *
 * @example
 * import { compareKeys } from 'cognito-reconcile'
 * assert.deepStrictEqual(['b', 'é', 'B', 'a'].sort(compareKeys), ['B', 'a', 'b', 'é'])
 *
 * @since 0.1.0
 */
export const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * Every record, in key order (code-unit order, the same on every device).
 *
 * @example
 * import { sortedRecords, stateOf } from 'cognito-reconcile'
 * const server = { content: 'v', syncCount: 1 }
 * assert.deepStrictEqual(sortedRecords(stateOf([{ key: 'é', server }, { key: 'z', server }, { key: 'Z', server }], 1)).map((r) => r.key), ['Z', 'z', 'é'])
 *
 * @since 0.1.0
 */
export const sortedRecords = (state: LocalState): ReadonlyArray<LocalRecord> => inKeyOrder(Array.from(state.records.values()))

const inKeyOrder = (records: Array<LocalRecord>): ReadonlyArray<LocalRecord> => records.sort((a, b) => compareKeys(a.key, b.key))

// combinators

/**
 * The state with each of `records` in place of the one with the same key (the last one winning for a
 * repeated key); a record with neither a server version nor a pending edit is removed, as it holds
 * nothing. The records are a `PersistentMap`: each change copies one short path of it, and a batch
 * copies each node it touches once, so a whole reconciliation or batch write never copies the state.
 * The given state is never changed, and when the records change nothing it is answered itself (a
 * subscriber comparing states by reference sees no change).
 *
 * Law: `setRecords([a, b])` equals `flow(setRecord(a), setRecord(b))`.
 *
 * @example
 * import { setRecords, stateOf } from 'cognito-reconcile'
 * const state = stateOf([{ key: 'k', server: { content: 'v', syncCount: 1 } }], 1)
 * const next = setRecords([{ key: 'k' }, { key: 'n', server: { content: 'w', syncCount: 2 } }])(state)
 * assert.deepStrictEqual([...next.records.keys()], ['n'])
 * assert.deepStrictEqual([...state.records.keys()], ['k'])
 *
 * @since 0.2.0
 */
export const setRecords =
  (records: Iterable<LocalRecord>) =>
  (state: LocalState): LocalState => {
    const after = persistentRecords(state.records).batch((draft) => {
      for (const record of records) draftRecord(draft, record)
    })
    return after === state.records ? state : { ...state, records: after }
  }

/**
 * The state with `record` in place of the one with the same key; a record with neither a server
 * version nor a pending edit is removed, as it holds nothing.
 *
 * @example
 * import { setRecord, stateOf } from 'cognito-reconcile'
 * const state = stateOf([{ key: 'k', server: { content: 'v', syncCount: 1 } }], 1)
 * assert.strictEqual(setRecord({ key: 'k' })(state).records.has('k'), false)
 *
 * @since 0.1.0
 */
export const setRecord = (record: LocalRecord): ((state: LocalState) => LocalState) => setRecords([record])

// instances

const ServerVersionC = t.intersection([
  t.type({ content: Content, syncCount: SyncCount }),
  t.partial({ lastModifiedDate: DateFromEpochMillis, lastModifiedBy: t.string, deviceLastModifiedDate: DateFromEpochMillis }),
])

const SentVersionC = t.type({ content: Content, deviceLastModifiedDate: DateFromEpochMillis })

const PendingEditC = t.intersection([SentVersionC, t.partial({ sent: SentVersionC })])

/**
 * A local record as JSON (dates as epoch milliseconds), for stores.
 *
 * @since 0.1.0
 */
export const LocalRecordJson = t.intersection(
  [t.type({ key: RecordKey }), t.partial({ server: ServerVersionC, pending: PendingEditC })],
  'LocalRecord',
) satisfies t.Type<LocalRecord, unknown, unknown>

/**
 * Whether `u` is a map a `LocalState` may hold its records in: a `Map`, the library's `PersistentMap`,
 * or any other `ReadonlyMap` (told by its methods, so one from another copy of this package counts).
 *
 * @example
 * import { PersistentMap, emptyState, isRecordMap } from 'cognito-reconcile'
 * assert.ok(isRecordMap(emptyState.records) && isRecordMap(new Map()) && isRecordMap(PersistentMap.empty()))
 * assert.ok(!isRecordMap({ k: 'v' }))
 *
 * @since 0.2.0
 */
export const isRecordMap = (u: unknown): u is ReadonlyMap<string, unknown> =>
  typeof u === 'object' &&
  u !== null &&
  ['get', 'has', 'forEach', 'entries', 'values', Symbol.iterator].every((method) => typeof (u as Record<PropertyKey, unknown>)[method] === 'function')

/**
 * A local state as JSON: records as an array in key order, so the text is the same on every device.
 *
 * @example
 * import { LocalStateJson, stateOf } from 'cognito-reconcile'
 * import * as E from 'fp-ts/lib/Either.js'
 * const state = stateOf([{ key: 'k', pending: { content: null, deviceLastModifiedDate: new Date(5) } }], 0)
 * const json = JSON.parse(JSON.stringify(LocalStateJson.encode(state)))
 * assert.deepStrictEqual(LocalStateJson.decode(json), E.right(state))
 *
 * @since 0.1.0
 */
export const LocalStateJson = new t.Type<LocalState, unknown, unknown>(
  'LocalState',
  (u): u is LocalState => u !== null && typeof u === 'object' && isRecordMap((u as LocalState).records),
  (u, c) => {
    const decoded = t.type({ records: t.array(LocalRecordJson), lastSyncCount: SyncCount }).validate(u, c)
    return decoded._tag === 'Left' ? decoded : t.success(stateOf(decoded.right.records, decoded.right.lastSyncCount))
  },
  (state) => ({ records: sortedRecords(state).map((record) => LocalRecordJson.encode(record)), lastSyncCount: state.lastSyncCount }),
)
