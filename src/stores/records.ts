/**
 * Record-level writes over whole states: what every store shares to implement `readRecords` and
 * `modifyRecords`, and a way to give them to a store that only has `read` and `modify`.
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { RecordKey } from '../codecs.js'
import { type LocalRecord, type LocalState, LocalRecordJson, setRecords } from '../LocalRecord.js'
import { forEachChange } from '../PersistentMap.js'
import { usage } from './limits.js'
import { type LocalStore, type RecordSlice, type StoreFailed, applyModify, storeFailed } from './LocalStore.js'

/**
 * Whether a record holds nothing (no server version, no pending edit): writing it removes its key.
 *
 * @example
 * import { isEmptyRecord } from 'cognito-reconcile/stores'
 * import { LocalRecordJson } from 'cognito-reconcile'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const record = (json: unknown) => pipe(LocalRecordJson.decode(json), E.getOrElseW(() => assert.fail('not a record')))
 * assert.strictEqual(isEmptyRecord(record({ key: 'k' })), true)
 * assert.strictEqual(isEmptyRecord(record({ key: 'k', server: { content: null, syncCount: 2 } })), false)
 *
 * @since 0.2.0
 */
export const isEmptyRecord = (record: LocalRecord): boolean => record.server === undefined && record.pending === undefined

/**
 * The slice of `state` for `keys`: the records of those keys that exist, and the header.
 *
 * @example
 * import { sliceOf } from 'cognito-reconcile/stores'
 * import { LocalStateJson, RecordKey } from 'cognito-reconcile'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const server = { content: 'v', syncCount: 3 }
 * const state = pipe(LocalStateJson.decode({ records: [{ key: 'a', server }, { key: 'b', server }], lastSyncCount: 3 }), E.getOrElseW(() => assert.fail('not a state')))
 * const keys = pipe(E.traverseArray((key: string) => RecordKey.decode(key))(['a', 'c']), E.getOrElseW(() => assert.fail('not keys')))
 * const slice = sliceOf(state, keys)
 * assert.deepStrictEqual([...slice.records.keys()], ['a'])
 * assert.deepStrictEqual(slice.header, { lastSyncCount: 3, usage: { records: 2, bytes: 4 } })
 *
 * @since 0.2.0
 */
export const sliceOf = (state: LocalState, keys: ReadonlyArray<RecordKey>): RecordSlice => {
  const records = new Map<string, LocalRecord>()
  for (const key of keys) {
    const record = state.records.get(key)
    if (record !== undefined) records.set(key, record)
  }
  return { header: { lastSyncCount: state.lastSyncCount, usage: usage(state) }, records }
}

/**
 * `changed` refused if one of its records is not under one of `keys`: a record-level write may only
 * change the records it read. For your own `LocalStore`.
 *
 * @example
 * import { checkChangedKeys } from 'cognito-reconcile/stores'
 * import { LocalRecordJson, RecordKey } from 'cognito-reconcile'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const a = pipe(RecordKey.decode('a'), E.getOrElseW(() => assert.fail('not a key')))
 * const b = pipe(LocalRecordJson.decode({ key: 'b' }), E.getOrElseW(() => assert.fail('not a record')))
 * assert.strictEqual(checkChangedKeys('settings', [a], [b])._tag, 'Left')
 *
 * @since 0.2.0
 */
export const checkChangedKeys = (
  dataset: string,
  keys: ReadonlyArray<RecordKey>,
  changed: ReadonlyArray<LocalRecord>,
): E.Either<StoreFailed, ReadonlyArray<LocalRecord>> => {
  const allowed = new Set<string>(keys)
  const outside = changed.find((record) => !allowed.has(record.key))
  return outside === undefined
    ? E.right(changed)
    : E.left(storeFailed(`modifyRecords of dataset ${dataset} wrote the key ${JSON.stringify(outside.key)}, which it was not given`, outside))
}

/**
 * The part of `LocalStore` that a minimal store implements: whole states only.
 *
 * @since 0.2.0
 */
export type WholeStateStore = Pick<LocalStore, 'read' | 'modify' | 'datasets'>

/**
 * A full `LocalStore` from one that only reads and modifies whole states: each record-level call is a
 * whole-state one, and the header is counted from every record. Correct by construction, and as slow
 * as its `read`/`modify`: for a small custom store, or as the reference the other stores are checked
 * against.
 *
 * @example
 * import { fromWholeState, memoryStore } from 'cognito-reconcile/stores'
 * import { DatasetName, LocalRecordJson } from 'cognito-reconcile'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const { read, modify, datasets } = memoryStore()
 * const store = fromWholeState({ read, modify, datasets })
 * const name = pipe(DatasetName.decode('settings'), E.getOrElseW(() => assert.fail('not a name')))
 * const record = pipe(LocalRecordJson.decode({ key: 'k', pending: { content: 'v', deviceLastModifiedDate: 0 } }), E.getOrElseW(() => assert.fail('not a record')))
 * const written = await store.modifyRecords(name, [record.key], () => E.right(['ok', [record]] as const))()
 * assert.deepStrictEqual(written, E.right('ok'))
 * const slice = await store.readRecords(name, [record.key])()
 * assert.ok(E.isRight(slice) && slice.right.header.usage.records === 1)
 *
 * @since 0.2.0
 */
export const fromWholeState = (store: WholeStateStore): LocalStore => ({
  ...store,
  readRecords: (dataset, keys) =>
    pipe(
      store.read(dataset),
      TE.map((state) => sliceOf(state, keys)),
    ),
  modifyRecords: (dataset, keys, f) =>
    store.modify(dataset, (state) =>
      pipe(
        applyModify(f, sliceOf(state, keys)),
        E.chainW(([answer, changed]) =>
          pipe(
            checkChangedKeys(dataset, keys, changed),
            E.map((valid) => [answer, setRecords(valid)(state)] as const),
          ),
        ),
      ),
    ),
})

/**
 * A key's record before a write and after it; `undefined` where there is none.
 *
 * @since 0.3.0
 */
export type RecordChange = readonly [before: LocalRecord | undefined, after: LocalRecord | undefined]

/**
 * Each key of `changed` with its record in `before` and its last record in `changed` (`undefined` for
 * an empty record, which removes the key): a key changed twice keeps its first old record and its last
 * new one. For your own `LocalStore`.
 *
 * @example
 * import { lastChanges } from 'cognito-reconcile/stores'
 * const old = { key: 'k', server: { content: '0', syncCount: 1 } }
 * const edit = (content: string) => ({ ...old, pending: { content, deviceLastModifiedDate: new Date(0) } })
 * assert.deepStrictEqual(lastChanges(new Map([['k', old]]), [edit('1'), edit('2')]), [[old, edit('2')]])
 *
 * @since 0.3.0
 */
export const lastChanges = (before: ReadonlyMap<string, LocalRecord>, changed: ReadonlyArray<LocalRecord>): ReadonlyArray<RecordChange> => {
  const changes = new Map<string, [LocalRecord | undefined, LocalRecord | undefined]>()
  for (const record of changed) {
    const after = isEmptyRecord(record) ? undefined : record
    const known = changes.get(record.key)
    if (known === undefined) changes.set(record.key, [before.get(record.key), after])
    else known[1] = after
  }
  return [...changes.values()]
}

const wouldNotReadBack = (dataset: string, key: string, record: unknown): StoreFailed =>
  storeFailed(`Refusing to store the record ${JSON.stringify(key)} in dataset ${dataset}: it would not read back`, record)

/**
 * What a whole-state `modify` from `before` to `after` changes: each changed key's old and new record,
 * records compared by reference (the core keeps unchanged ones), in no particular order. Between the
 * core's states it costs the changes, not the dataset: the subtrees their records maps share are skipped. Refuses a record under another key,
 * or one that would not read back. For your own `LocalStore`.
 *
 * @example
 * import { stateChanges } from 'cognito-reconcile/stores'
 * import { stateOf } from 'cognito-reconcile'
 * import * as E from 'fp-ts/lib/Either.js'
 * const before = stateOf([{ key: 'a', server: { content: '1', syncCount: 1 } }, { key: 'b', server: { content: '2', syncCount: 2 } }], 2)
 * const after = stateOf([before.records.get('a')!, { key: 'c', server: { content: '3', syncCount: 3 } }], 3)
 * const changes = stateChanges('settings', before, after)
 * assert.ok(E.isRight(changes))
 * if (E.isRight(changes)) assert.deepStrictEqual(changes.right.map(([old, next]) => `${old?.key ?? '-'} -> ${next?.key ?? '-'}`).sort(), ['- -> c', 'b -> -'])
 *
 * @since 0.3.0
 */
export const stateChanges = (dataset: string, before: LocalState, after: LocalState): E.Either<StoreFailed, ReadonlyArray<RecordChange>> => {
  const changes: Array<RecordChange> = []
  let refused: StoreFailed | undefined
  forEachChange(before.records, after.records, (key, old, record) => {
    if (record !== undefined && (key !== record.key || !LocalRecordJson.is(record))) refused ??= wouldNotReadBack(dataset, key, record)
    else changes.push([old, record])
  })
  return refused === undefined ? E.right(changes) : E.left(refused)
}

/**
 * What a `modifyRecords` over `slice` (read for `keys`) changes when its function answers `changed`:
 * each key's record in the slice and its last record in `changed` (an empty record removes the key).
 * Refuses, as `checkChangedKeys` does, a record outside `keys`, and one that would not read back. For
 * your own `LocalStore`.
 *
 * @example
 * import { recordChanges } from 'cognito-reconcile/stores'
 * import * as E from 'fp-ts/lib/Either.js'
 * const slice = { header: { lastSyncCount: 0, usage: { records: 0, bytes: 0 } }, records: new Map() }
 * const edit = (content: string | null) => ({ key: 'k', pending: { content, deviceLastModifiedDate: new Date(0) } })
 * const changes = recordChanges('settings', ['k'], slice, [edit('1'), edit(null)])
 * assert.deepStrictEqual(changes, E.right([[undefined, edit(null)]]))
 * assert.ok(E.isLeft(recordChanges('settings', [], slice, [edit('1')])))
 *
 * @since 0.3.0
 */
export const recordChanges = (
  dataset: string,
  keys: ReadonlyArray<RecordKey>,
  slice: RecordSlice,
  changed: ReadonlyArray<LocalRecord>,
): E.Either<StoreFailed, ReadonlyArray<RecordChange>> =>
  pipe(
    checkChangedKeys(dataset, keys, changed),
    E.chain((valid) => {
      const wrong = valid.find((record) => !LocalRecordJson.is(record))
      if (wrong !== undefined) return E.left(wouldNotReadBack(dataset, wrong.key, wrong))
      return E.right(lastChanges(slice.records, valid))
    }),
  )
