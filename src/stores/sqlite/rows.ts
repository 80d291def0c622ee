/**
 * Rows to state and back. Every row is decoded with io-ts on read, so a corrupt row (hand-edited,
 * written by a newer version, cut short) becomes a `StoreFailed`, never an exception or a bad value
 * further on.
 *
 * @since 0.1.0
 */
import * as t from 'io-ts'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { DatasetName, RecordKey, SyncCount } from '../../codecs.js'
import { type DecodeError, decodeWith } from '../../DecodeError.js'
import { type LocalRecord, type LocalState, LocalRecordJson, emptyState, stateOf } from '../../LocalRecord.js'
import { type StoreFailed, storeFailed } from '../LocalStore.js'
import type { Statements } from './schema.js'

/** A column holding `codec`'s output as JSON text. */
const jsonText = <A>(codec: t.Type<A, unknown, unknown>): t.Type<A, string, unknown> =>
  new t.Type<A, string, unknown>(
    `JSON<${codec.name}>`,
    codec.is,
    (u, c) => {
      if (typeof u !== 'string') return t.failure(u, c)
      let parsed: unknown
      try {
        parsed = JSON.parse(u)
      } catch {
        return t.failure(u, c, 'not JSON')
      }
      return codec.validate(parsed, c)
    },
    (a) => JSON.stringify(codec.encode(a)),
  )

const KeyColumn = jsonText(RecordKey)
const RecordColumn = jsonText(LocalRecordJson)

const RecordRow = t.type({ key: KeyColumn, record: RecordColumn }, 'RecordRow')

const corrupt =
  (where: string) =>
  (error: DecodeError): StoreFailed =>
    storeFailed(`Corrupt SQLite row in ${where}: ${error.message}`, error)

const decodeRecordRow = (dataset: DatasetName) => (row: unknown): E.Either<StoreFailed, LocalRecord> =>
  pipe(
    decodeWith(RecordRow, 'record row')(row),
    E.filterOrElseW(
      ({ key, record }) => key === record.key,
      ({ key }) => storeFailed(`Corrupt SQLite row in dataset ${dataset}: key ${KeyColumn.encode(key)} holds another key's record`, row),
    ),
    E.bimap(
      (error) => (error._tag === 'DecodeError' ? corrupt(`dataset ${dataset}`)(error) : error),
      ({ record }) => record,
    ),
  )

/**
 * The state of `dataset` as stored; `emptyState` for a dataset never written.
 *
 * @since 0.1.0
 */
export const loadState = (statements: Statements, dataset: DatasetName): E.Either<StoreFailed, LocalState> =>
  pipe(
    E.Do,
    E.apS('records', E.traverseArray(decodeRecordRow(dataset))(statements.selectRecords.all(dataset))),
    E.apS(
      'lastSyncCount',
      pipe(
        decodeWith(SyncCount, 'last_sync_count')(statements.selectLastSyncCount.get(dataset) ?? emptyState.lastSyncCount),
        E.mapLeft(corrupt(`datasets, ${dataset}`)),
      ),
    ),
    E.map(({ records, lastSyncCount }) => stateOf(records, lastSyncCount)),
  )

/**
 * The datasets that hold any record, in name order.
 *
 * @since 0.1.0
 */
export const loadDatasetNames = (statements: Statements): E.Either<StoreFailed, ReadonlyArray<DatasetName>> =>
  pipe(statements.selectDatasets.all(), E.traverseArray(decodeWith(DatasetName, 'dataset name')), E.mapLeft(corrupt('records')))

const invalid = (dataset: DatasetName, what: string, value: unknown): StoreFailed =>
  storeFailed(`Refusing to store ${what} in dataset ${dataset}: it would not read back`, value)

/**
 * Writes what changed from `before` to `after`, and nothing else: a sync that touches three records of
 * a thousand writes three rows. Records are compared by reference first (the core keeps unchanged
 * ones), then by their JSON. Everything is validated before the first write, so a `left` has written
 * nothing.
 *
 * @since 0.1.0
 */
export const saveChanges = (
  statements: Statements,
  dataset: DatasetName,
  before: LocalState,
  after: LocalState,
): E.Either<StoreFailed, void> => {
  const upserts: Array<readonly [key: string, text: string]> = []
  for (const [key, record] of after.records) {
    const old = before.records.get(key)
    if (old === record) continue
    if (key !== record.key || !LocalRecordJson.is(record)) return E.left(invalid(dataset, `the record ${JSON.stringify(key)}`, record))
    const text = RecordColumn.encode(record)
    if (old === undefined || RecordColumn.encode(old) !== text) upserts.push([KeyColumn.encode(record.key), text])
  }
  if (!SyncCount.is(after.lastSyncCount)) return E.left(invalid(dataset, 'the lastSyncCount', after.lastSyncCount))
  for (const [key, text] of upserts) statements.upsertRecord.run(dataset, key, text)
  for (const { key } of before.records.values()) {
    if (!after.records.has(key)) statements.deleteRecord.run(dataset, KeyColumn.encode(key))
  }
  if (after.lastSyncCount !== before.lastSyncCount) statements.upsertDataset.run(dataset, after.lastSyncCount)
  return E.right(undefined)
}
