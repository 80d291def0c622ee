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
import { type LocalRecord, type LocalState, setRecords } from '../LocalRecord.js'
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
