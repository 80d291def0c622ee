/**
 * The patches UpdateRecords takes, in exactly the SDK's shape, so a reconciliation's patches go to
 * `UpdateRecordsCommand` unchanged.
 *
 * @since 0.1.0
 */
import * as t from 'io-ts'
import { type Content, RecordKey, RecordValue, SyncCount, ValidDate } from './codecs.js'

/**
 * One record change. `SyncCount` is the last server sync count known for the key (0 for a key the
 * server never had); the server refuses the whole request if it is stale.
 *
 * @since 0.1.0
 */
export const RecordPatch = t.intersection(
  [
    t.type({ Op: t.keyof({ replace: null, remove: null }), Key: RecordKey, SyncCount: SyncCount }),
    t.partial({ Value: RecordValue, DeviceLastModifiedDate: ValidDate }),
  ],
  'RecordPatch',
)
/** @since 0.1.0 */
export type RecordPatch = t.TypeOf<typeof RecordPatch>

/**
 * The patch that makes the server hold `content` for `key`: `replace` for a value, `remove` for a
 * tombstone. A delete is never sent as an update of an empty value.
 *
 * @example
 * import { patchFor } from 'cognito-reconcile'
 * const at = new Date(0)
 * assert.deepStrictEqual(patchFor('k' as any, null, 3 as any, at), { Op: 'remove', Key: 'k', SyncCount: 3, DeviceLastModifiedDate: at })
 * assert.deepStrictEqual(patchFor('k' as any, '' as any, 0 as any, at), { Op: 'replace', Key: 'k', Value: '', SyncCount: 0, DeviceLastModifiedDate: at })
 *
 * @since 0.1.0
 */
export const patchFor = (key: RecordKey, content: Content, syncCount: SyncCount, deviceLastModifiedDate: Date): RecordPatch =>
  content === null
    ? { Op: 'remove', Key: key, SyncCount: syncCount, DeviceLastModifiedDate: deviceLastModifiedDate }
    : { Op: 'replace', Key: key, Value: content, SyncCount: syncCount, DeviceLastModifiedDate: deviceLastModifiedDate }
