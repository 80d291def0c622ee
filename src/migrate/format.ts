/**
 * What amazon-cognito-js 1.1.0 keeps on a device, as observed from the published package writing to
 * a localStorage (its `StoreLocalStorage`, the default) while it syncs against the emulator:
 *
 * - one entry `_internal._metadata`, the JSON of an object with one property per identity id, each an
 *   object with one property per dataset, named `<identityId>.<datasetName>`, holding at least
 *   `{ "DatasetName": "game", "LastSyncCount": 3 }` (and `CreationDate`, `LastModifiedDate`,
 *   `LastModifiedBy`, `DataStorage`, `NumRecords`, `LastSyncDate`, which the import does not need);
 * - one entry per dataset that was ever written to, named `<identityId>.<datasetName>`, the JSON of an
 *   object with one property per record key, each
 *   `{ "Key", "Value", "SyncCount", "LastModifiedDate", "LastModifiedBy", "DeviceLastModifiedDate", "Modified" }`
 *   with dates as ISO 8601 text.
 *
 * A record's `Value` is `null` after a local `remove` not yet synced, and `""` for a record the server
 * deleted, a local `put(key, '')` (which it pushes as a delete) or a remote empty string alike: its
 * `""` is ambiguous. `Modified` marks an edit not yet pushed; `SyncCount` is then the server's count
 * the edit started from (0 for a key it never synced), and the server's value before the edit is not
 * kept. A dataset opened but never written has a metadata entry and no records entry.
 *
 * @since 0.2.0
 */
import * as t from 'io-ts'
import { DatasetName, RecordKey, SyncCount } from '../codecs.js'
import { withRule } from '../DecodeError.js'

/**
 * The name of the entry holding every identity's dataset metadata.
 *
 * @example
 * import { metadataEntry } from 'cognito-reconcile/amazon-cognito-js'
 * assert.strictEqual(metadataEntry, '_internal._metadata')
 *
 * @since 0.2.0
 */
export const metadataEntry = '_internal._metadata'

/**
 * The name of the entry holding the records of one identity's dataset, and of that dataset's metadata
 * under its identity.
 *
 * @example
 * import { datasetEntry } from 'cognito-reconcile/amazon-cognito-js'
 * assert.strictEqual(datasetEntry('us-east-1:aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa', 'game'), 'us-east-1:aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa.game')
 *
 * @since 0.2.0
 */
export const datasetEntry = (identityId: string, datasetName: string): string => `${identityId}.${datasetName}`

/** A date as amazon-cognito-js writes it: ISO 8601 text. */
const IsoDate = withRule(
  new t.Type<Date, string, unknown>(
    'IsoDate',
    (u): u is Date => u instanceof Date && !Number.isNaN(u.getTime()),
    (u, c) => {
      if (typeof u !== 'string') return t.failure(u, c)
      const date = new Date(u)
      return Number.isNaN(date.getTime()) ? t.failure(u, c) : t.success(date)
    },
    (date) => date.toISOString(),
  ),
  { rule: 'be a date as ISO 8601 text' },
)

/**
 * One record as amazon-cognito-js stores it. `DeviceLastModifiedDate` is required: it always writes
 * it, and an edit carried over needs its date.
 *
 * @example
 * import { CognitoJsRecord } from 'cognito-reconcile/amazon-cognito-js'
 * import * as E from 'fp-ts/lib/Either.js'
 * const at = '2026-01-01T00:00:00.000Z'
 * const removed = CognitoJsRecord.decode({ Key: 'badge', Value: null, SyncCount: 2, LastModifiedDate: at, LastModifiedBy: '123456789012', DeviceLastModifiedDate: at, Modified: true })
 * assert.ok(E.isRight(removed) && removed.right.DeviceLastModifiedDate.getTime() === Date.parse(at))
 * assert.ok(E.isLeft(CognitoJsRecord.decode({ Key: 'coins', Value: 100, SyncCount: 0, DeviceLastModifiedDate: at, Modified: true })))
 *
 * @since 0.2.0
 */
export const CognitoJsRecord = t.intersection(
  [
    t.type({
      Key: RecordKey,
      Value: withRule(t.union([t.string, t.null]), { rule: 'be text, or null for a record removed here' }),
      SyncCount,
      Modified: t.boolean,
      DeviceLastModifiedDate: IsoDate,
    }),
    t.partial({ LastModifiedDate: IsoDate, LastModifiedBy: t.string }),
  ],
  'CognitoJsRecord',
)

/** @since 0.2.0 */
export type CognitoJsRecord = t.TypeOf<typeof CognitoJsRecord>

/**
 * The records entry of one dataset: record objects by key.
 *
 * @example
 * import { CognitoJsRecords } from 'cognito-reconcile/amazon-cognito-js'
 * import * as E from 'fp-ts/lib/Either.js'
 * const entry = JSON.parse('{"coins":{"Key":"coins","Value":"5","SyncCount":0,"DeviceLastModifiedDate":"2026-01-01T00:00:00.000Z","Modified":true}}')
 * assert.ok(E.isRight(CognitoJsRecords.decode(entry)))
 *
 * @since 0.2.0
 */
export const CognitoJsRecords = t.record(t.string, CognitoJsRecord, 'CognitoJsRecords')

/**
 * One dataset's metadata: the fields the import needs.
 *
 * @example
 * import { CognitoJsDatasetMetadata } from 'cognito-reconcile/amazon-cognito-js'
 * import * as E from 'fp-ts/lib/Either.js'
 * assert.ok(E.isRight(CognitoJsDatasetMetadata.decode({ DatasetName: 'game', LastSyncCount: 3, NumRecords: 0 })))
 * assert.ok(E.isLeft(CognitoJsDatasetMetadata.decode({ DatasetName: 'game' })))
 *
 * @since 0.2.0
 */
export const CognitoJsDatasetMetadata = t.type({ DatasetName, LastSyncCount: SyncCount }, 'CognitoJsDatasetMetadata')

/** @since 0.2.0 */
export type CognitoJsDatasetMetadata = t.TypeOf<typeof CognitoJsDatasetMetadata>

/**
 * The metadata entry: per identity id, per `<identityId>.<datasetName>`, that dataset's metadata. Only
 * the outer level is checked here, so that another identity's entries are never judged.
 *
 * @example
 * import { CognitoJsMetadata } from 'cognito-reconcile/amazon-cognito-js'
 * import * as E from 'fp-ts/lib/Either.js'
 * assert.ok(E.isRight(CognitoJsMetadata.decode({ 'us-east-1:aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa': {} })))
 * assert.ok(E.isLeft(CognitoJsMetadata.decode([])))
 *
 * @since 0.2.0
 */
export const CognitoJsMetadata = t.record(t.string, t.UnknownRecord, 'CognitoJsMetadata')
