/**
 * The response shapes of the model as JSON. Dates go out as epoch seconds (a JSON number with a
 * fraction), the only date form the SDK parses (protocol notes, 1.1); absent members are left out
 * rather than sent as `null`, which the SDK treats the same.
 *
 * @since 0.1.0
 */
import { dataStorage, liveRecords, type StoredDataset, type StoredRecord } from './state.js'

/** Milliseconds of the emulator clock to epoch seconds. @since 0.1.0 */
export const seconds = (ms: number): number => ms / 1000

/**
 * A `Record`; a tombstone has no `Value`.
 *
 * @example
 * import { recordToWire } from './wire.js'
 * const tombstone = { key: 'k', value: null, syncCount: 2, lastModifiedDate: 1500, lastModifiedBy: 'a', deviceLastModifiedDate: null }
 * // a deleted record has no Value; dates are epoch seconds
 * assert.deepStrictEqual(recordToWire(tombstone), { Key: 'k', SyncCount: 2, LastModifiedDate: 1.5, LastModifiedBy: 'a' })
 *
 * @since 0.1.0
 */
export const recordToWire = (r: StoredRecord): Record<string, unknown> => ({
  Key: r.key,
  ...(r.value === null ? {} : { Value: r.value }),
  SyncCount: r.syncCount,
  LastModifiedDate: seconds(r.lastModifiedDate),
  LastModifiedBy: r.lastModifiedBy,
  ...(r.deviceLastModifiedDate === null ? {} : { DeviceLastModifiedDate: r.deviceLastModifiedDate }),
})

/** A `Dataset`; `NumRecords` and `DataStorage` count live records only. @since 0.1.0 */
export const datasetToWire = (identityId: string, d: StoredDataset): Record<string, unknown> => ({
  IdentityId: identityId,
  DatasetName: d.name,
  CreationDate: seconds(d.creationDate),
  LastModifiedDate: seconds(d.lastModifiedDate),
  LastModifiedBy: d.lastModifiedBy,
  DataStorage: dataStorage(d.records.values()),
  NumRecords: liveRecords(d.records.values()).length,
})
