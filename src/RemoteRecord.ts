/**
 * Records as the service returns them from ListRecords and UpdateRecords, and a listing: every page of
 * one ListRecords run, folded together.
 *
 * @since 0.1.0
 */
import * as t from 'io-ts'
import { type Content, RecordKey, RecordValue, SyncCount, ValidDate } from './codecs.js'

/**
 * A server record, in the shape `@aws-sdk/client-cognito-sync` hands it over. `Value` absent means the
 * record was deleted: a tombstone, which is how deletes reach other devices.
 *
 * @since 0.1.0
 */
export const RemoteRecord = t.intersection(
  [
    t.type({ Key: RecordKey, SyncCount: SyncCount }),
    t.partial({
      Value: RecordValue,
      LastModifiedDate: ValidDate,
      LastModifiedBy: t.string,
      DeviceLastModifiedDate: ValidDate,
    }),
  ],
  'RemoteRecord',
)
/** @since 0.1.0 */
export type RemoteRecord = t.TypeOf<typeof RemoteRecord>

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
export const Listing = t.type(
  { records: t.readonlyArray(RemoteRecord), datasetSyncCount: SyncCount },
  'Listing',
)
/** @since 0.1.0 */
export type Listing = t.TypeOf<typeof Listing>
