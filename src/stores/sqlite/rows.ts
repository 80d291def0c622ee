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
import { forEachChange } from '../../PersistentMap.js'
import { type Usage, changeUsage, usage } from '../limits.js'
import { type DatasetHeader, type RecordSlice, type StoreFailed, storeFailed } from '../LocalStore.js'
import { lastChanges } from '../records.js'
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
 * The header row as stored: `usage` is absent where the totals were never counted (no row yet, or a
 * file from 0.1, which wrote a row only once a sync had set `lastSyncCount`).
 */
interface StoredHeader {
  readonly lastSyncCount: SyncCount
  readonly usage: Usage | undefined
}

const Count = t.union([t.null, SyncCount])
const HeaderRow = t.type({ last_sync_count: SyncCount, live_records: Count, live_bytes: Count }, 'HeaderRow')

const loadStoredHeader = (statements: Statements, dataset: DatasetName): E.Either<StoreFailed, StoredHeader> => {
  const row = statements.selectHeader.get(dataset)
  if (row === undefined) return E.right({ lastSyncCount: emptyState.lastSyncCount, usage: undefined })
  return pipe(
    decodeWith(HeaderRow, 'dataset header')(row),
    E.mapLeft(corrupt(`datasets, ${dataset}`)),
    E.chainW(({ last_sync_count, live_records, live_bytes }) =>
      live_records === null && live_bytes === null
        ? E.right({ lastSyncCount: last_sync_count, usage: undefined })
        : live_records !== null && live_bytes !== null
          ? E.right({ lastSyncCount: last_sync_count, usage: { records: live_records, bytes: live_bytes } })
          : E.left(storeFailed(`Corrupt SQLite row in datasets, ${dataset}: one running total is missing`, row)),
    ),
  )
}

const loadRecords = (statements: Statements, dataset: DatasetName): E.Either<StoreFailed, ReadonlyArray<LocalRecord>> =>
  E.traverseArray(decodeRecordRow(dataset))(statements.selectRecords.all(dataset))

/**
 * The state of `dataset` as stored, and its header; `emptyState` for a dataset never written. Totals
 * never counted are counted here, from the records just read.
 *
 * @since 0.2.0
 */
export const loadStateAndHeader = (
  statements: Statements,
  dataset: DatasetName,
): E.Either<StoreFailed, { readonly state: LocalState; readonly header: DatasetHeader; readonly stored: StoredHeader }> =>
  pipe(
    E.Do,
    E.apS('records', loadRecords(statements, dataset)),
    E.apS('stored', loadStoredHeader(statements, dataset)),
    E.map(({ records, stored }) => {
      const state = stateOf(records, stored.lastSyncCount)
      return { state, stored, header: { lastSyncCount: stored.lastSyncCount, usage: stored.usage ?? usage(state) } }
    }),
  )

/**
 * The state of `dataset` as stored; `emptyState` for a dataset never written.
 *
 * @since 0.1.0
 */
export const loadState = (statements: Statements, dataset: DatasetName): E.Either<StoreFailed, LocalState> =>
  pipe(
    loadStateAndHeader(statements, dataset),
    E.map(({ state }) => state),
  )

/**
 * The records of `keys` that exist and the header, reading one row per key; totals never counted are
 * counted from every record, once, until a write stores them.
 *
 * @since 0.2.0
 */
export const loadSlice = (
  statements: Statements,
  dataset: DatasetName,
  keys: ReadonlyArray<RecordKey>,
): E.Either<StoreFailed, { readonly slice: RecordSlice; readonly stored: StoredHeader }> =>
  pipe(
    loadStoredHeader(statements, dataset),
    E.chain((stored) =>
      pipe(
        stored.usage === undefined
          ? pipe(
              loadRecords(statements, dataset),
              E.map((records) => usage(stateOf(records, stored.lastSyncCount))),
            )
          : E.right(stored.usage),
        E.map((counted) => ({ stored, header: { lastSyncCount: stored.lastSyncCount, usage: counted } })),
      ),
    ),
    E.chain(({ stored, header }) => {
      const records = new Map<string, LocalRecord>()
      for (const key of keys) {
        const row = statements.selectRecord.get(dataset, KeyColumn.encode(key))
        if (row === undefined) continue
        const decoded = decodeRecordRow(dataset)(row)
        if (E.isLeft(decoded)) return decoded
        records.set(key, decoded.right)
      }
      return E.right({ stored, slice: { header, records } })
    }),
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

type Change = readonly [before: LocalRecord | undefined, after: LocalRecord | undefined]

/** The row to write for a changed record: its JSON, or `undefined` to delete it. */
const rowOf = (dataset: DatasetName, key: string, record: LocalRecord | undefined): E.Either<StoreFailed, string | undefined> =>
  record === undefined
    ? E.right(undefined)
    : key !== record.key || !LocalRecordJson.is(record)
      ? E.left(invalid(dataset, `the record ${JSON.stringify(key)}`, record))
      : E.right(RecordColumn.encode(record))

/**
 * Writes `changes` (each key's old and new record; a new `undefined` deletes) and the header they lead
 * to, the totals updated from the changes only. Everything is validated before the first write, so a
 * `left` has written nothing. The header row is written only if it differs from `stored`.
 */
const writeChanges = (
  statements: Statements,
  dataset: DatasetName,
  stored: StoredHeader,
  header: DatasetHeader,
  lastSyncCount: SyncCount,
  changes: ReadonlyArray<Change>,
): E.Either<StoreFailed, void> => {
  if (!SyncCount.is(lastSyncCount)) return E.left(invalid(dataset, 'the lastSyncCount', lastSyncCount))
  const rows: Array<readonly [key: string, text: string | undefined]> = []
  const counted: Array<Change> = []
  for (const [before, after] of changes) {
    const key = (after ?? before)?.key
    if (key === undefined) continue
    const text = rowOf(dataset, key, after)
    if (E.isLeft(text)) return text
    // a record rebuilt with equal contents is not a change
    if (before !== undefined && text.right !== undefined && RecordColumn.encode(before) === text.right) continue
    rows.push([KeyColumn.encode(key), text.right])
    counted.push([before, after])
  }
  const next = changeUsage(header.usage, counted)
  for (const [key, text] of rows) {
    if (text === undefined) statements.deleteRecord.run(dataset, key)
    else statements.upsertRecord.run(dataset, key, text)
  }
  const same = stored.lastSyncCount === lastSyncCount && stored.usage?.records === next.records && stored.usage.bytes === next.bytes
  if (!same) statements.upsertHeader.run(dataset, lastSyncCount, next.records, next.bytes)
  return E.right(undefined)
}

/**
 * Writes what changed from `before` to `after`, and nothing else: a sync that touches three records of
 * a thousand writes three rows, and the header if its totals or `lastSyncCount` changed. Records are
 * compared by reference first (the core keeps unchanged ones), then by their JSON.
 *
 * @since 0.1.0
 */
export const saveChanges = (
  statements: Statements,
  dataset: DatasetName,
  stored: StoredHeader,
  header: DatasetHeader,
  before: LocalState,
  after: LocalState,
): E.Either<StoreFailed, void> => {
  const changes: Array<Change> = []
  let refused: StoreFailed | undefined
  forEachChange(before.records, after.records, (key, old, record) => {
    if (record !== undefined && key !== record.key) refused ??= invalid(dataset, `the record ${JSON.stringify(key)}`, record)
    else changes.push([old, record])
  })
  return refused === undefined ? writeChanges(statements, dataset, stored, header, after.lastSyncCount, changes) : E.left(refused)
}

/**
 * Writes the records a `modifyRecords` changed (an empty record deletes its row) and the header.
 *
 * @since 0.2.0
 */
export const saveRecords = (
  statements: Statements,
  dataset: DatasetName,
  stored: StoredHeader,
  slice: RecordSlice,
  changed: ReadonlyArray<LocalRecord>,
): E.Either<StoreFailed, void> => writeChanges(statements, dataset, stored, slice.header, slice.header.lastSyncCount, lastChanges(slice.records, changed))
