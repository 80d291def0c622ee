/**
 * Records as the service returns them from ListRecords and UpdateRecords, and a listing: every page of
 * one ListRecords run, folded together.
 *
 * @since 0.1.0
 */
import * as t from 'io-ts'
import { type Content, RecordKey, RecordValue, SyncCount, ValidDate } from './codecs.js'
import { objectCodec, readonlyArrayOf } from './objectCodec.js'

/**
 * A server record, in the shape `@aws-sdk/client-cognito-sync` hands it over. `Value` absent means the
 * record was deleted: a tombstone, which is how deletes reach other devices.
 *
 * @since 0.1.0
 */
export interface RemoteRecord {
  Key: RecordKey
  SyncCount: SyncCount
  Value?: RecordValue
  LastModifiedDate?: Date
  LastModifiedBy?: string
  DeviceLastModifiedDate?: Date
}

/**
 * The codec of a `RemoteRecord`: `Key` and `SyncCount`, and `Value`, the dates and `LastModifiedBy`
 * when present.
 *
 * @since 0.1.0
 */
export const RemoteRecord: t.Type<RemoteRecord, RemoteRecord, unknown> = objectCodec('RemoteRecord', [
  ['Key', RecordKey, false],
  ['SyncCount', SyncCount, false],
  ['Value', RecordValue, true],
  ['LastModifiedDate', ValidDate, true],
  ['LastModifiedBy', t.string, true],
  ['DeviceLastModifiedDate', ValidDate, true],
])

/**
 * What a remote record holds: its value, or `null` for a tombstone.
 *
 * @example
 * import { remoteContent } from 'cognito-reconcile'
 * assert.strictEqual(remoteContent({ Key: 'k' as any, SyncCount: 2 as any }), null)
 * assert.strictEqual(remoteContent({ Key: 'k' as any, SyncCount: 2 as any, Value: '' as any }), '')
 *
 * @since 0.1.0
 */
export const remoteContent = (record: RemoteRecord): Content => record.Value ?? null

/**
 * One ListRecords run: the records changed after the requested `lastSyncCount`, from every page, and the
 * dataset's sync count at the time of listing.
 *
 * @since 0.1.0
 */
export interface Listing {
  records: ReadonlyArray<RemoteRecord>
  datasetSyncCount: SyncCount
}

/**
 * The codec of a `Listing`; its failures say where, as `records.3.SyncCount`.
 *
 * @since 0.1.0
 */
export const Listing: t.Type<Listing, Listing, unknown> = objectCodec('Listing', [
  ['records', readonlyArrayOf(RemoteRecord), false],
  ['datasetSyncCount', SyncCount, false],
])
