/**
 * fast-check arbitraries for the library's values, shaped to reach the hard cases: equal dates, equal
 * contents, equal sync counts, the empty string, tombstones, unicode, and keys such as `__proto__`.
 *
 * @since 0.1.0
 */
import fc from 'fast-check'
import type { Content, RecordKey, RecordValue, SyncCount } from '../codecs.js'
import type { Conflict, Version } from '../Conflict.js'
import type { LocalRecord, LocalState, PendingEdit, ServerVersion } from '../LocalRecord.js'
import { stateOf } from '../LocalRecord.js'
import type { Listing, RemoteRecord } from '../RemoteRecord.js'

const TRICKY_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'k', 'score', 'a.b', 'ü', '😀', ' ']

/**
 * Record keys: a few tricky ones often (so that keys collide across sides), any short string sometimes.
 *
 * @since 0.1.0
 */
export const recordKey: fc.Arbitrary<RecordKey> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...TRICKY_KEYS) },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 6, unit: 'grapheme' }) },
) as fc.Arbitrary<RecordKey>

/**
 * Record values: the empty string, small numbers (for numeric strategies), JSON string sets, unicode
 * and short strings, drawn from small pools so that equal values are common.
 *
 * @since 0.1.0
 */
export const recordValue: fc.Arbitrary<RecordValue> = fc.oneof(
  fc.constantFrom('', 'a', 'b', 'ü', '😀', '0', '1', '-1', '1.0', '10', '1e3', '["a"]', '["b"]', '["a","b"]', '[]'),
  fc.integer({ min: -50, max: 50 }).map(String),
  fc.string({ maxLength: 4, unit: 'grapheme' }),
) as fc.Arbitrary<RecordValue>

/** Numeric record values only, for the lattice laws of `maxValue` and `minValue`. @since 0.1.0 */
export const numericValue: fc.Arbitrary<RecordValue> = fc.oneof(
  fc.integer({ min: -20, max: 20 }).map(String),
  fc.constantFrom('1.0', '1e1', '-0', '0.5', '+2'),
) as fc.Arbitrary<RecordValue>

/**
 * A value or, one time in four, a tombstone.
 *
 * @example
 * import fc from 'fast-check'
 * import { content, numericValue } from 'cognito-reconcile/testkit'
 * assert.ok(fc.sample(content(numericValue), 50).every((c) => c === null || Number.isFinite(Number(c))))
 *
 * @since 0.1.0
 */
export const content = (value: fc.Arbitrary<RecordValue> = recordValue): fc.Arbitrary<Content> =>
  fc.oneof({ weight: 3, arbitrary: value }, { weight: 1, arbitrary: fc.constant(null) })

/** Dates from a handful of instants, so that ties are frequent. @since 0.1.0 */
export const date: fc.Arbitrary<Date> = fc.integer({ min: 0, max: 6 }).map((n) => new Date(1_700_000_000_000 + n * 1000))

/** Small sync counts, equal ones common. @since 0.1.0 */
export const syncCount: fc.Arbitrary<SyncCount> = fc.integer({ min: 0, max: 6 }) as fc.Arbitrary<SyncCount>

/**
 * A conflict side, with each date present or missing.
 *
 * @example
 * import fc from 'fast-check'
 * import { version } from 'cognito-reconcile/testkit'
 * assert.ok(fc.sample(version(), 20).every((v) => 'content' in v))
 *
 * @since 0.1.0
 */
export const version = (value: fc.Arbitrary<Content> = content()): fc.Arbitrary<Version> =>
  fc.record(
    { content: value, deviceLastModifiedDate: date, lastModifiedDate: date, lastModifiedBy: fc.constantFrom('dev-a', 'dev-b') },
    { requiredKeys: ['content'] },
  )

/**
 * A conflict over one key.
 *
 * @example
 * import fc from 'fast-check'
 * import { conflict } from 'cognito-reconcile/testkit'
 * assert.ok(fc.sample(conflict(), 20).every((c) => c.key.length > 0))
 *
 * @since 0.1.0
 */
export const conflict = (side: fc.Arbitrary<Version> = version()): fc.Arbitrary<Conflict> =>
  fc.record({ key: recordKey, local: side, remote: side, base: side }, { requiredKeys: ['key', 'local', 'remote'] })

/** @since 0.1.0 */
export const serverVersion: fc.Arbitrary<ServerVersion> = fc.record(
  { content: content(), syncCount, lastModifiedDate: date, lastModifiedBy: fc.constantFrom('dev-a', 'dev-b'), deviceLastModifiedDate: date },
  { requiredKeys: ['content', 'syncCount'] },
)

/** A pending edit, now and then with a version sent without an answer. @since 0.1.0 */
export const pendingEdit: fc.Arbitrary<PendingEdit> = fc.record(
  { content: content(), deviceLastModifiedDate: date, sent: fc.record({ content: content(), deviceLastModifiedDate: date }) },
  { requiredKeys: ['content', 'deviceLastModifiedDate'] },
)

/**
 * A local record: clean, dirty, or an edit of a key the server never had.
 *
 * @example
 * import fc from 'fast-check'
 * import { localRecord } from 'cognito-reconcile/testkit'
 * assert.ok(fc.sample(localRecord(), 30).every((r) => r.server !== undefined || r.pending !== undefined))
 *
 * @since 0.1.0
 */
export const localRecord = (key: fc.Arbitrary<RecordKey> = recordKey): fc.Arbitrary<LocalRecord> =>
  fc.oneof(
    fc.record({ key, server: serverVersion }),
    fc.record({ key, server: serverVersion, pending: pendingEdit }),
    fc.record({ key, pending: pendingEdit }),
  )

/**
 * A local state of up to `maxRecords` records.
 *
 * @example
 * import fc from 'fast-check'
 * import { localState } from 'cognito-reconcile/testkit'
 * assert.ok(fc.sample(localState(3), 20).every((s) => s.records.size <= 3))
 *
 * @since 0.1.0
 */
export const localState = (maxRecords = 6): fc.Arbitrary<LocalState> =>
  fc
    .tuple(fc.uniqueArray(localRecord(), { maxLength: maxRecords, selector: (record) => record.key }), syncCount)
    .map(([records, lastSyncCount]) => stateOf(records, lastSyncCount))

/** A record as ListRecords returns it: `Value` absent for a tombstone. @since 0.1.0 */
export const remoteRecord: fc.Arbitrary<RemoteRecord> = fc
  .tuple(recordKey, serverVersion)
  .map(([Key, server]) => ({
    Key,
    SyncCount: server.syncCount,
    ...(server.content === null ? {} : { Value: server.content }),
    ...(server.lastModifiedDate && { LastModifiedDate: server.lastModifiedDate }),
    ...(server.lastModifiedBy !== undefined && { LastModifiedBy: server.lastModifiedBy }),
    ...(server.deviceLastModifiedDate && { DeviceLastModifiedDate: server.deviceLastModifiedDate }),
  }))

/** A listing, its DatasetSyncCount at least every listed record's (repeated keys allowed). @since 0.1.0 */
export const listing: fc.Arbitrary<Listing> = fc
  .tuple(fc.array(remoteRecord, { maxLength: 6 }), fc.integer({ min: 0, max: 3 }))
  .map(([records, extra]) => ({
    records,
    datasetSyncCount: (Math.max(0, ...records.map((record) => record.SyncCount)) + extra),
  }))

/**
 * A listed version of a local record: its SyncCount at or just above the base, its content one it knows
 * (its edit, its base, a version it sent), a tombstone or any; its device date often the edit's own (a
 * tie) or the sent version's (so that the sent version is listed exactly); its server date before or
 * after the device date (a server clock behind the device's lets the clamp of `lastWriterWins` decide).
 */
const listedVersionOf = (record: LocalRecord): fc.Arbitrary<RemoteRecord> => {
  const base = record.server?.syncCount ?? 0
  const known = [record.server?.content, record.pending?.content, record.pending?.sent?.content].filter((c): c is Content => c !== undefined)
  const sent = record.pending?.sent
  const ownDates = [record.pending?.deviceLastModifiedDate, sent?.deviceLastModifiedDate].filter((d): d is Date => d !== undefined)
  const listed = fc.record({
    SyncCount: fc.integer({ min: base, max: base + 2 }),
    content: fc.oneof(fc.constantFrom<Content>(...known, null), content()),
    device: ownDates.length === 0 ? date : fc.oneof(fc.constantFrom(...ownDates), date),
    server: date,
  })
  const sentAgain = fc.record({ SyncCount: fc.integer({ min: base + 1, max: base + 2 }), content: fc.constant(sent?.content ?? null), device: fc.constant(sent?.deviceLastModifiedDate ?? new Date(0)), server: date })
  return (sent === undefined ? listed : fc.oneof({ weight: 3, arbitrary: listed }, { weight: 1, arbitrary: sentAgain })).map(({ SyncCount, content, device, server }) => ({
    Key: record.key,
    SyncCount: SyncCount,
    ...(content === null ? {} : { Value: content }),
    LastModifiedDate: server,
    DeviceLastModifiedDate: device,
  }))
}

/**
 * A local state and a listing that fits it: listed keys are mostly the device's own, at or just above
 * their base SyncCount, with contents and dates it knows (its edit, its base, a version it sent, that
 * version exactly), so that conflicts, ties, settled edits and confirmed writes are common, and server
 * dates before device dates too; keys new to the device besides; now and then a dataset that went back.
 *
 * @example
 * import fc from 'fast-check'
 * import { reconcileInput } from 'cognito-reconcile/testkit'
 * assert.ok(fc.sample(reconcileInput(), 20).every(({ local, listing }) => listing.datasetSyncCount >= 0 && local.lastSyncCount >= 0))
 *
 * @since 0.1.0
 */
export const reconcileInput = (maxRecords = 6): fc.Arbitrary<{ local: LocalState; listing: Listing; now: Date }> =>
  localState(maxRecords).chain((local) =>
    fc
      .record({
        listed: fc.subarray([...local.records.values()]).chain((records) => fc.tuple(...records.map(listedVersionOf))),
        fresh: fc.array(remoteRecord, { maxLength: 2 }),
        extra: fc.integer({ min: -1, max: 2 }),
        now: date,
      })
      .map(({ listed, fresh, extra, now }) => {
        // keys new to the device: one of its own keys listed again at a higher SyncCount would hide
        // the version listed for it, and with it most conflicts
        const records = [...listed, ...fresh.filter((record) => !local.records.has(record.Key))]
        const newest = Math.max(local.lastSyncCount, ...records.map((record) => record.SyncCount))
        return { local, listing: { records, datasetSyncCount: Math.max(0, newest + extra) }, now }
      }),
  )
