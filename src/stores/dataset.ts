/**
 * The app's read/write API over one dataset of a store. Writes go through `store.modifyRecords` with
 * the core's `editRecord`, so each is atomic, stamped causally after the version it replaces, and never
 * lost to a sync running at the same time: the sync's own `modify` sees it, or runs before it.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { pipe } from 'fp-ts/lib/function.js'
import { type Content, DatasetName, type KeyRule, RecordKey, RecordValue, recordKeyOf } from '../codecs.js'
import { type DecodeError, decodeWith } from '../DecodeError.js'
import { type NotAPromise, notAPromise } from '../NotAPromise.js'
import { type Entry, type LocalRecord, type LocalState, currentContent, dirtyRecords, isDirty, liveEntries } from '../LocalRecord.js'
import { editRecord } from '../LocalWrite.js'
import { counterOf, counterTotal, incrementRecord } from '../Counter.js'
import { type LimitExceeded, type Usage, changeUsage, checkGrowth } from './limits.js'
import type { LocalStore, RecordSlice, StoreFailed } from './LocalStore.js'

/**
 * One dataset of a store. Every operation reads or writes the store when run, never a cached copy.
 * Each is a lazy `TaskEither`, marked `NotAPromise`: `await game.put(k, v)()` writes, while
 * `await game.put(k, v)` without the call is a type error (and, in JavaScript, a rejection).
 * Writes read and write only the records of their keys and the dataset's header, so their cost does
 * not grow with the dataset.
 *
 * @since 0.1.0
 */
export interface Dataset {
  readonly name: DatasetName
  /** The value the app sees under `key`: its pending edit, else the server's; none if deleted or unknown. */
  readonly get: (key: string) => TE.TaskEither<DecodeError | StoreFailed, O.Option<RecordValue>> & NotAPromise
  /** Sets `key` to `value` as a pending edit, refused if the dataset would exceed the service's limits. */
  readonly put: (key: string, value: string) => TE.TaskEither<DecodeError | LimitExceeded | StoreFailed, void> & NotAPromise
  /** Deletes `key` as a pending tombstone, pushed as a delete at the next sync. */
  readonly remove: (key: string) => TE.TaskEither<DecodeError | StoreFailed, void> & NotAPromise
  /**
   * Many writes in one atomic step (one transaction, one check of the limits): each `[key, value]`
   * puts `value`, or removes `key` for `null`, in order (a repeated key ends as its last write). All or
   * nothing: one bad key or value, or a result over the limits, stores none of them.
   */
  readonly putAll: (entries: Iterable<readonly [key: string, value: string | null]>) => TE.TaskEither<DecodeError | LimitExceeded | StoreFailed, void> & NotAPromise
  /** The live records, in key order. */
  readonly list: () => TE.TaskEither<StoreFailed, ReadonlyArray<Entry>> & NotAPromise
  /** The keys with an edit the server has not acknowledged yet (deletes included), in key order. */
  readonly pendingKeys: () => TE.TaskEither<StoreFailed, ReadonlyArray<RecordKey>> & NotAPromise
  /** Whether `key` has an edit the server has not acknowledged yet. */
  readonly isPending: (key: string) => TE.TaskEither<DecodeError | StoreFailed, boolean> & NotAPromise
  /** The whole local state, pending edits and server versions included. */
  readonly state: () => TE.TaskEither<StoreFailed, LocalState> & NotAPromise
  /**
   * Adds `by` (an integer, negative to take away) to the counter under `key`, in the slot of `deviceId`
   * (the id this device syncs with), as a pending edit: atomic, like `put`. Merge the key with the
   * `counter` strategy. Refused if the key holds something other than a counter.
   */
  readonly increment: (key: string, by: number, deviceId: string) => TE.TaskEither<DecodeError | LimitExceeded | StoreFailed, void> & NotAPromise
  /** The total of the counter under `key`, pending increments included; 0 if never written. */
  readonly readCounter: (key: string) => TE.TaskEither<DecodeError | StoreFailed, number> & NotAPromise
}

/** @since 0.1.0 */
export interface DatasetOptions {
  /** The device clock that stamps writes; `new Date()` by default. Given once, here, for every write. */
  readonly clock?: () => Date
  /**
   * The keys writes accept: `'service'` (1–1,024 characters of any text, the default) or
   * `'officialClients'` (`[a-zA-Z0-9_.:-]{1,128}`, what the official clients can read). Reads take any
   * key the service allows.
   */
  readonly keyRule?: KeyRule
}

const decodeName = decodeWith(DatasetName, 'dataset name')
const decodeKey = decodeWith(RecordKey, 'record key')
const decodeValue = decodeWith(RecordValue, 'record value')

/** One validated write: a value, or `null` to delete. */
type Write = readonly [key: RecordKey, content: Content]

const decodeWriteWith =
  (decodeWrittenKey: (key: string) => E.Either<DecodeError, RecordKey>) =>
  ([key, value]: readonly [string, string | null]): E.Either<DecodeError, Write> =>
    pipe(
      E.Do,
      E.apS('key', decodeWrittenKey(key)),
      E.apS('content', value === null ? E.right(null) : decodeValue(value)),
      E.map(({ key, content }): Write => [key, content]),
    )

/**
 * The records after `writes`, each an edit of the record before it (`editRecord`, the core's local
 * write), and the usage they lead to.
 */
const edited = (slice: RecordSlice, writes: ReadonlyArray<Write>, now: Date): { readonly records: ReadonlyArray<LocalRecord>; readonly usage: Usage } => {
  const latest = new Map<string, LocalRecord>()
  for (const [key, content] of writes) latest.set(key, editRecord(key, latest.get(key) ?? slice.records.get(key), content, now))
  const records = [...latest.values()]
  return { records, usage: changeUsage(slice.header.usage, records.map((record) => [slice.records.get(record.key), record] as const)) }
}

/**
 * Opens the dataset `name` of `store`, after checking the name.
 *
 * @example
 * import { memoryStore, openDataset } from 'cognito-reconcile/stores'
 * import * as E from 'fp-ts/lib/Either.js'
 * import * as O from 'fp-ts/lib/Option.js'
 * const store = memoryStore()
 * const opened = openDataset(store, 'settings', { clock: () => new Date(1000) })
 * assert.ok(E.isRight(opened))
 * if (E.isRight(opened)) {
 *   const settings = opened.right
 *   assert.deepStrictEqual(await settings.put('theme', 'dark')(), E.right(undefined))
 *   assert.deepStrictEqual(await settings.put('volume', '')(), E.right(undefined))
 *   assert.deepStrictEqual(await settings.remove('volume')(), E.right(undefined))
 *   assert.deepStrictEqual(await settings.putAll([['lang', 'en'], ['theme', 'light']])(), E.right(undefined))
 *   assert.deepStrictEqual(await settings.get('theme')(), E.right(O.some('light')))
 *   assert.deepStrictEqual(await settings.list()(), E.right([{ key: 'lang', value: 'en' }, { key: 'theme', value: 'light' }]))
 *   assert.deepStrictEqual(await settings.pendingKeys()(), E.right(['lang', 'theme', 'volume']))
 *   assert.deepStrictEqual(await settings.isPending('volume')(), E.right(true))
 *   assert.deepStrictEqual(await settings.increment('coins', 5, 'phone')(), E.right(undefined))
 *   assert.deepStrictEqual(await settings.readCounter('coins')(), E.right(5))
 * }
 * assert.ok(E.isLeft(openDataset(store, 'no spaces')))
 *
 * @since 0.1.0
 */
export const openDataset = (store: LocalStore, name: string, options: DatasetOptions = {}): E.Either<DecodeError, Dataset> =>
  pipe(
    decodeName(name),
    E.map((dataset) => datasetOf(store, dataset, options.clock ?? (() => new Date()), options.keyRule ?? 'service')),
  )

/** `f`, its answers marked `NotAPromise`. */
const marked =
  <P extends ReadonlyArray<unknown>, A>(f: (...args: P) => () => Promise<A>) =>
  (...args: P) =>
    notAPromise(f(...args))

const datasetOf = (store: LocalStore, dataset: DatasetName, clock: () => Date, keyRule: KeyRule): Dataset => {
  const decodeWrittenKey = keyRule === 'service' ? decodeKey : decodeWith(recordKeyOf(keyRule), 'record key')
  const decodeWrite = decodeWriteWith(decodeWrittenKey)
  // The clock is read inside the write, so the stamp orders after the records it actually replaces.
  const write = <Err>(writes: ReadonlyArray<Write>, check: (before: Usage, after: Usage) => E.Either<Err, unknown>) =>
    store.modifyRecords(
      dataset,
      writes.map(([key]) => key),
      (slice) => {
        const { records, usage } = edited(slice, writes, clock())
        return pipe(
          check(slice.header.usage, usage),
          E.map(() => [undefined, records] as const),
        )
      },
    )
  const record = (key: string) =>
    pipe(
      TE.fromEither(decodeKey(key)),
      TE.chainW((key) =>
        pipe(
          store.readRecords(dataset, [key]),
          TE.map((slice) => slice.records.get(key)),
        ),
      ),
    )
  const state = () => store.read(dataset)
  return {
    name: dataset,
    get: marked((key) =>
      pipe(
        record(key),
        TE.map((found) => O.fromNullable(currentContent(found))),
      ),
    ),
    put: marked((key, value) =>
      pipe(
        TE.fromEither(decodeWrite([key, value])),
        TE.chainW((one) => write([one], checkGrowth)),
      ),
    ),
    // a delete never grows a total, so it is never refused for the limits
    remove: marked((key) =>
      pipe(
        TE.fromEither(decodeWrittenKey(key)),
        TE.chainW((key) => write([[key, null]], () => E.right(undefined))),
      ),
    ),
    putAll: marked((entries) =>
      pipe(
        TE.fromEither(E.traverseArray(decodeWrite)(Array.from(entries))),
        TE.chainW((writes) => write(writes, checkGrowth)),
      ),
    ),
    list: marked(() => pipe(state(), TE.map(liveEntries))),
    pendingKeys: marked(() =>
      pipe(
        state(),
        TE.map((current) => dirtyRecords(current).map((dirty) => dirty.key)),
      ),
    ),
    isPending: marked((key) => pipe(record(key), TE.map(isDirty))),
    state: marked(state),
    increment: marked((key, by, deviceId) =>
      pipe(
        TE.fromEither(decodeWrittenKey(key)),
        TE.chainW((key) =>
          store.modifyRecords(dataset, [key], (slice) => {
            const before = slice.records.get(key)
            return pipe(
              incrementRecord(key, before, deviceId, by, clock()),
              E.chainW((after) =>
                pipe(
                  checkGrowth(slice.header.usage, changeUsage(slice.header.usage, [[before, after]])),
                  E.map(() => [undefined, [after]] as const),
                ),
              ),
            )
          }),
        ),
      ),
    ),
    readCounter: marked((key) =>
      pipe(
        record(key),
        TE.chainEitherKW((found) => counterOf(currentContent(found))),
        TE.map(counterTotal),
      ),
    ),
  }
}
