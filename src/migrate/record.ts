/**
 * One amazon-cognito-js record as this library's `LocalRecord`: what the server held, as that client
 * last saw it, and the edit it had not pushed yet.
 *
 * @since 0.2.0
 */
import type { LocalRecord, ServerVersion } from '../LocalRecord.js'
import type { CognitoJsRecord } from './format.js'

/**
 * The server version a record was last synced at, with `content` as given. The dates are the server's
 * only for a clean record: an edit overwrites the device date.
 */
const serverOf = (record: CognitoJsRecord, content: string | null, clean: boolean): ServerVersion => ({
  content,
  syncCount: record.SyncCount,
  ...(record.LastModifiedDate && { lastModifiedDate: record.LastModifiedDate }),
  ...(record.LastModifiedBy && { lastModifiedBy: record.LastModifiedBy }),
  ...(clean && { deviceLastModifiedDate: record.DeviceLastModifiedDate }),
})

/**
 * The record this library keeps for `record`, or `undefined` when it holds nothing:
 * - a clean record synced at `SyncCount` n is a server version at n with its value (an ambiguous `""`
 *   included: the first sync after the import lists the dataset again from 0 and takes the server's
 *   version in its place);
 * - a modified record is a pending edit (`Value` null: a delete) stamped with its
 *   `DeviceLastModifiedDate`; its base is the server version at `SyncCount` (none for 0), the count that
 *   decides whether it conflicts. amazon-cognito-js does not keep the value an edit replaced, so the
 *   base holds a stand-in that differs from the edit, so the edit is never taken for a no-op: `null` for a new value, `""`
 *   for a delete. A three-way strategy sees that stand-in as `conflict.base`;
 * - a clean record never synced (`SyncCount` 0) with a non-empty value is a pending edit, so the value
 *   reaches the server; without one it holds nothing.
 *
 * @example
 * import { fromCognitoJsRecord } from 'cognito-reconcile/amazon-cognito-js'
 * // records as `CognitoJsRecord` decodes them: dates are `Date`s
 * const at = new Date('2026-01-01T00:00:00.000Z')
 * const base = { LastModifiedDate: at, LastModifiedBy: '123456789012', DeviceLastModifiedDate: at }
 * // synced
 * assert.deepStrictEqual(fromCognitoJsRecord({ ...base, Key: 'coins', Value: '100', SyncCount: 3, Modified: false }), {
 *   key: 'coins',
 *   server: { content: '100', syncCount: 3, lastModifiedDate: at, lastModifiedBy: '123456789012', deviceLastModifiedDate: at },
 * })
 * // removed here after syncing at 3: a pending delete on a base at 3
 * const removed = fromCognitoJsRecord({ ...base, Key: 'coins', Value: null, SyncCount: 3, Modified: true })
 * assert.strictEqual(removed?.pending?.content, null)
 * assert.strictEqual(removed?.server?.syncCount, 3)
 * // an empty string put here, never synced: a pending edit of ''
 * assert.deepStrictEqual(fromCognitoJsRecord({ ...base, Key: 'name', Value: '', SyncCount: 0, Modified: true }), {
 *   key: 'name',
 *   pending: { content: '', deviceLastModifiedDate: at },
 * })
 *
 * @since 0.2.0
 */
export const fromCognitoJsRecord = (record: CognitoJsRecord): LocalRecord | undefined => {
  const key = record.Key
  const pending = { content: record.Value, deviceLastModifiedDate: record.DeviceLastModifiedDate }
  if (record.SyncCount === 0) return record.Modified || (record.Value !== null && record.Value !== '') ? { key, pending } : undefined
  if (!record.Modified) return { key, server: serverOf(record, record.Value, true) }
  return { key, server: serverOf(record, record.Value === null ? '' : null, false), pending }
}
