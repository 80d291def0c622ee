/**
 * The records of a `LocalState` as the `PersistentMap` that changes build on. Internal to the core.
 *
 * @since 0.2.0
 */
import type { LocalRecord } from './LocalRecord.js'
import { type Draft, PersistentMap } from './PersistentMap.js'

/**
 * `records` as a `PersistentMap`: the map itself, or a copy of any other `ReadonlyMap`.
 *
 * @internal
 */
export const persistentRecords = (records: ReadonlyMap<string, LocalRecord>): PersistentMap<LocalRecord> =>
  records instanceof PersistentMap ? (records as PersistentMap<LocalRecord>) : PersistentMap.fromEntries(records)

/**
 * Puts `record` in place of the one with the same key; a record with neither a server version nor a
 * pending edit holds nothing, and its key is removed.
 *
 * @internal
 */
export const draftRecord = (draft: Draft<LocalRecord>, record: LocalRecord): void => {
  if (record.server === undefined && record.pending === undefined) draft.remove(record.key)
  else draft.set(record.key, record)
}
