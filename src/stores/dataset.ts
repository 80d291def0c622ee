/**
 * The app's read/write API over one dataset of a store. Writes go through `store.modify` with the
 * core's `put`/`remove`, so each is atomic, stamped causally after the version it replaces, and never
 * lost to a sync running at the same time: the sync's own `modify` sees it, or runs before it.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { pipe } from 'fp-ts/lib/function.js'
import { DatasetName, RecordKey, type RecordValue } from '../codecs.js'
import { type DecodeError, decodeWith } from '../DecodeError.js'
import { type Entry, type LocalState, currentContent, liveEntries } from '../LocalRecord.js'
import { put, remove } from '../LocalWrite.js'
import { type LimitExceeded, checkLimits } from './limits.js'
import type { LocalStore, StoreFailed } from './LocalStore.js'

/**
 * One dataset of a store. Every operation reads or writes the store when run, never a cached copy.
 *
 * @since 0.1.0
 */
export interface Dataset {
  readonly name: DatasetName
  /** The value the app sees under `key`: its pending edit, else the server's; none if deleted or unknown. */
  readonly get: (key: string) => TE.TaskEither<DecodeError | StoreFailed, O.Option<RecordValue>>
  /** Sets `key` to `value` as a pending edit, refused if the dataset would exceed the service's limits. */
  readonly put: (key: string, value: string) => TE.TaskEither<DecodeError | LimitExceeded | StoreFailed, void>
  /** Deletes `key` as a pending tombstone, pushed as a delete at the next sync. */
  readonly remove: (key: string) => TE.TaskEither<DecodeError | StoreFailed, void>
  /** The live records, in key order. */
  readonly list: () => TE.TaskEither<StoreFailed, ReadonlyArray<Entry>>
  /** The whole local state, pending edits and server versions included. */
  readonly state: () => TE.TaskEither<StoreFailed, LocalState>
}

/** @since 0.1.0 */
export interface DatasetOptions {
  /** The device clock that stamps writes; `new Date()` by default. */
  readonly clock?: () => Date
}

const decodeName = decodeWith(DatasetName, 'dataset name')
const decodeKey = decodeWith(RecordKey, 'record key')

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
 *   assert.deepStrictEqual(await settings.get('theme')(), E.right(O.some('dark')))
 *   assert.deepStrictEqual(await settings.list()(), E.right([{ key: 'theme', value: 'dark' }]))
 * }
 * assert.ok(E.isLeft(openDataset(store, 'no spaces')))
 *
 * @since 0.1.0
 */
export const openDataset = (store: LocalStore, name: string, options: DatasetOptions = {}): E.Either<DecodeError, Dataset> =>
  pipe(
    decodeName(name),
    E.map((dataset) => datasetOf(store, dataset, options.clock ?? (() => new Date()))),
  )

const datasetOf = (store: LocalStore, dataset: DatasetName, clock: () => Date): Dataset => {
  // The clock is read inside `modify`, so the stamp orders after the state the write actually replaces.
  const write = <Err>(change: (now: Date) => (state: LocalState) => E.Either<Err, LocalState>) =>
    store.modify(dataset, (state) =>
      pipe(
        change(clock())(state),
        E.map((next) => [undefined, next] as const),
      ),
    )
  const state = () => store.read(dataset)
  return {
    name: dataset,
    get: (key) =>
      pipe(
        TE.fromEither(decodeKey(key)),
        TE.chainW((key) =>
          pipe(
            state(),
            TE.map((current) => O.fromNullable(currentContent(current.records.get(key)))),
          ),
        ),
      ),
    put: (key, value) => write((now) => (current) => pipe(put(key, value, now)(current), E.chainW(checkLimits))),
    remove: (key) => write((now) => remove(key, now)),
    list: () => pipe(state(), TE.map(liveEntries)),
    state,
  }
}
