/**
 * `cognito-reconcile/indexeddb`: a durable `LocalStore` in an IndexedDB database, for browsers (and
 * anything else with IndexedDB). No dependency: it takes the platform's `indexedDB`, or the one you
 * pass (fake-indexeddb in tests).
 *
 * One object store holds the records, one per key under `[dataset, key]`; another holds each dataset's
 * header (its `lastSyncCount` and running totals). Every `modify` and `modifyRecords` is one
 * `readwrite` IndexedDB transaction that reads what it needs, runs the function and writes what
 * changed: atomic, and serialised with every other transaction on the database, in this tab or any
 * other. A tab closed or reloaded mid-sync leaves the last committed transaction: no acknowledged write
 * is lost and no half of a sync step is ever seen. A `modifyRecords` reads and writes the records of
 * its keys and the header only, so a `put` costs the same in a dataset of 16 records as in one of 1,024.
 *
 * @since 0.3.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import * as t from 'io-ts'
import { DatasetName, type RecordKey, SyncCount } from '../../codecs.js'
import { decodeWith } from '../../DecodeError.js'
import { type LocalRecord, type LocalState, LocalRecordJson, stateOf } from '../../LocalRecord.js'
import { type CrossContextLock, prefixedLock, webLocks } from '../crossContextLock.js'
import { type Usage, changeUsage, noUsage } from '../limits.js'
import { type DatasetHeader, type LocalStore, type RecordSlice, type StoreFailed, applyModify, storeFailed } from '../LocalStore.js'
import { type RecordChange, recordChanges, stateChanges } from '../records.js'

// data

/**
 * What the store needs of an `IDBFactory`: the platform's `indexedDB`, or fake-indexeddb's.
 *
 * @since 0.3.0
 */
export interface IDBFactoryLike {
  open(name: string, version?: number): object
}

/**
 * What the store needs of `IDBKeyRange`: the platform's, or fake-indexeddb's.
 *
 * @since 0.3.0
 */
export interface IDBKeyRangeLike {
  bound(lower: unknown, upper: unknown): unknown
}

/** @since 0.3.0 */
export interface IndexedDbStoreOptions {
  /** The database's name; `'cognito-reconcile'` by default. One database holds every dataset of one identity and device. */
  readonly name?: string
  /** `globalThis.indexedDB` by default. */
  readonly indexedDB?: IDBFactoryLike
  /** `globalThis.IDBKeyRange` by default. */
  readonly IDBKeyRange?: IDBKeyRangeLike
  /**
   * The lock every tab takes around a sync of a dataset (`syncLock`): Web Locks where the browser
   * has them, by default; `false` for none. Writes need no lock: IndexedDB serialises them.
   */
  readonly lock?: CrossContextLock | false
  /**
   * `'strict'` (the default) commits each write to disk before answering, so it survives a power
   * cut too; `'relaxed'` answers once the browser has it, which survives a closed tab but maybe not a
   * crash of the operating system.
   */
  readonly durability?: 'strict' | 'relaxed'
}

/**
 * A `LocalStore` you can close. `close` closes the connection; an operation after it opens a new one.
 *
 * @since 0.3.0
 */
export type IndexedDbStore = LocalStore & { readonly close: () => void }

// the part of IndexedDB the store calls, as it calls it

interface Request<A = unknown> {
  readonly result: A
  readonly error: unknown
  onsuccess: (() => void) | null
  onerror: (() => void) | null
}
interface OpenRequest extends Request<Database> {
  onupgradeneeded: (() => void) | null
  onblocked: (() => void) | null
}
interface ObjectStore {
  get(key: unknown): Request
  getAll(range?: unknown): Request<ReadonlyArray<unknown>>
  put(value: unknown, key?: unknown): Request
  delete(key: unknown): Request
}
interface Transaction {
  objectStore(name: string): ObjectStore
  abort(): void
  readonly error: unknown
  oncomplete: (() => void) | null
  onerror: (() => void) | null
  onabort: (() => void) | null
}
interface Database {
  transaction(names: ReadonlyArray<string>, mode: 'readonly' | 'readwrite', options?: { readonly durability: 'strict' | 'relaxed' }): Transaction
  createObjectStore(name: string): unknown
  close(): void
  onversionchange: (() => void) | null
}

const RECORDS = 'records'
const HEADERS = 'datasets'
const VERSION = 1

const Count = t.refinement(t.number, (n) => Number.isSafeInteger(n) && n >= 0, 'Count')
const HeaderValue = t.type({ name: DatasetName, lastSyncCount: SyncCount, records: Count, bytes: Count, stored: Count }, 'DatasetHeader')
type HeaderValue = t.TypeOf<typeof HeaderValue>

/** A dataset's header as stored: its totals, and how many records (tombstones included) it holds. */
interface Stored {
  readonly header: DatasetHeader
  readonly stored: number
}

const noHeader: Stored = { header: { lastSyncCount: 0, usage: noUsage }, stored: 0 }

/** The one exception of this module, thrown inside a transaction's callbacks and answered as a left. */
class Failed {
  constructor(readonly failure: StoreFailed) {}
}

const describe = (cause: unknown): string =>
  cause instanceof Error ? `${cause.name}: ${cause.message}` : typeof cause === 'object' && cause !== null && 'name' in cause ? String((cause as { name: unknown }).name) : String(cause)

const corrupt = (where: string, message: string, cause: unknown): never => {
  throw new Failed(storeFailed(`Corrupt IndexedDB entry in ${where}: ${message}`, cause))
}

const decodeHeader = (dataset: DatasetName, value: unknown): Stored => {
  if (value === undefined) return noHeader
  return pipe(
    decodeWith(HeaderValue, 'dataset header')(value),
    E.fold(
      (error) => corrupt(`${HEADERS}, ${dataset}`, error.message, value),
      (h) => ({ header: { lastSyncCount: h.lastSyncCount, usage: { records: h.records, bytes: h.bytes } }, stored: h.stored }),
    ),
  )
}

const decodeRecord = (dataset: DatasetName, key: string | undefined, value: unknown): LocalRecord =>
  pipe(
    decodeWith(LocalRecordJson, 'record')(value),
    E.fold(
      (error) => corrupt(`${RECORDS}, dataset ${dataset}`, error.message, value),
      (record) => (key === undefined || record.key === key ? record : corrupt(`${RECORDS}, dataset ${dataset}`, `key ${JSON.stringify(key)} holds another key's record`, value)),
    ),
  )

const headerValue = (dataset: DatasetName, lastSyncCount: SyncCount, usage: Usage, stored: number): HeaderValue => ({
  name: dataset,
  lastSyncCount,
  records: usage.records,
  bytes: usage.bytes,
  stored,
})

// the constructor

/**
 * Opens (creating it if needed) a store in the IndexedDB database `name`. Nothing is cached: every
 * operation reads the database, so a write in one tab is seen by the next read in another. With Web
 * Locks (every current browser), the store offers a `syncLock`, so that two tabs never interleave a
 * sync of one dataset; without them, syncs of two tabs may interleave, and lose nothing (see
 * docs/stores.md, "Several tabs").
 *
 * @example
 * import { indexedDbStore } from 'cognito-reconcile/indexeddb'
 * import { openDataset } from 'cognito-reconcile/stores'
 * import * as E from 'fp-ts/lib/Either.js'
 * import * as O from 'fp-ts/lib/Option.js'
 * // in a browser: indexedDbStore(); in Node, fake-indexeddb's IndexedDB
 * import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
 * const indexedDB = new IDBFactory()
 * const tab = indexedDbStore({ indexedDB, IDBKeyRange })
 * const write = openDataset(tab, 'settings')
 * assert.ok(E.isRight(write))
 * if (E.isRight(write)) assert.ok(E.isRight(await write.right.put('theme', 'dark')()))
 * // another tab, another connection to the same database: it reads the write at once
 * const other = indexedDbStore({ indexedDB, IDBKeyRange })
 * const read = openDataset(other, 'settings')
 * assert.ok(E.isRight(read))
 * if (E.isRight(read)) assert.deepStrictEqual(await read.right.get('theme')(), E.right(O.some('dark')))
 * tab.close()
 * other.close()
 *
 * @since 0.3.0
 */
export const indexedDbStore = (options: IndexedDbStoreOptions = {}): IndexedDbStore => {
  const name = options.name ?? 'cognito-reconcile'
  const platform = globalThis as { readonly indexedDB?: IDBFactoryLike; readonly IDBKeyRange?: IDBKeyRangeLike }
  const factory = options.indexedDB ?? platform.indexedDB
  const keyRange = options.IDBKeyRange ?? platform.IDBKeyRange
  const durability = options.durability ?? 'strict'
  const lock = options.lock === false ? undefined : (options.lock ?? webLocks())
  let connection: Promise<Database> | undefined

  const open = (): Promise<Database> =>
    new Promise<Database>((resolve, reject) => {
      if (factory === undefined) return reject(new Error('this platform has no indexedDB: pass one as the indexedDB option'))
      const request = factory.open(name, VERSION) as OpenRequest
      request.onupgradeneeded = () => {
        const db = request.result
        db.createObjectStore(RECORDS)
        db.createObjectStore(HEADERS)
      }
      request.onsuccess = () => {
        const db = request.result
        // another tab upgrades the database: let it, and open again at the next operation
        db.onversionchange = () => {
          db.close()
          connection = undefined
        }
        resolve(db)
      }
      request.onerror = () => reject(request.error)
    })

  const database = (): Promise<Database> => {
    if (connection === undefined) {
      const opening = open()
      connection = opening
      // a failed open is tried again by the next operation
      opening.catch(() => {
        if (connection === opening) connection = undefined
      })
    }
    return connection
  }

  const rangeOf = (dataset: DatasetName): unknown => {
    if (keyRange === undefined) throw new Failed(storeFailed('This platform has no IDBKeyRange: pass one as the IDBKeyRange option', undefined))
    // every [dataset, key]: a string key sorts below any array
    return keyRange.bound([dataset, ''], [dataset, []])
  }

  /**
   * Runs `body` in one transaction: it issues requests, and `answer`s from their callbacks, each run
   * through `guard`. The answer is settled when the transaction completes (written) or aborts
   * (nothing written): a left, or a throw in `body` or a callback, aborts it.
   */
  const transaction = <Err, A>(
    what: string,
    mode: 'readonly' | 'readwrite',
    body: (tx: Transaction, answer: (result: E.Either<Err | StoreFailed, A>) => void, guard: (run: () => void) => void) => void,
  ): Promise<E.Either<Err | StoreFailed, A>> =>
    database().then(
      (db) =>
        new Promise<E.Either<Err | StoreFailed, A>>((resolve) => {
          let answered: E.Either<Err | StoreFailed, A> | undefined
          let tx: Transaction
          try {
            tx = db.transaction([RECORDS, HEADERS], mode, { durability })
          } catch (cause) {
            // a connection closed under us (another tab upgrading): open again next time
            connection = undefined
            return resolve(E.left(storeFailed(`IndexedDB ${what} failed: ${describe(cause)}`, cause)))
          }
          const answer = (result: E.Either<Err | StoreFailed, A>): void => {
            answered = result
            if (E.isLeft(result)) tx.abort()
          }
          const guard = (run: () => void): void => {
            try {
              run()
            } catch (error) {
              answer(E.left(error instanceof Failed ? error.failure : storeFailed(`IndexedDB ${what} failed: ${describe(error)}`, error)))
            }
          }
          tx.oncomplete = () => resolve(answered ?? E.left(storeFailed(`IndexedDB ${what} completed without an answer`, undefined)))
          tx.onabort = () => resolve(answered !== undefined && E.isLeft(answered) ? answered : E.left(storeFailed(`IndexedDB ${what} was aborted: ${describe(tx.error)}`, tx.error)))
          guard(() => body(tx, answer, guard))
        }),
      (cause: unknown) => E.left(storeFailed(`IndexedDB could not open the database ${JSON.stringify(name)}: ${describe(cause)}`, cause)),
    )

  /** Calls `then` with the results of `requests`, once all have succeeded. */
  const all = (requests: ReadonlyArray<Request>, then: (results: ReadonlyArray<unknown>) => void, guard: (run: () => void) => void): void => {
    let left = requests.length
    if (left === 0) return guard(() => then([]))
    for (const request of requests)
      request.onsuccess = () => {
        left -= 1
        if (left === 0) guard(() => then(requests.map((r) => r.result)))
      }
  }

  /** Reads the header and either every record or those of `keys`, then calls `then`. */
  const load = (
    tx: Transaction,
    dataset: DatasetName,
    keys: ReadonlyArray<RecordKey> | undefined,
    guard: (run: () => void) => void,
    then: (stored: Stored, records: ReadonlyArray<LocalRecord>) => void,
  ): void => {
    const records = tx.objectStore(RECORDS)
    const header = tx.objectStore(HEADERS).get(dataset)
    const distinct = keys === undefined ? undefined : [...new Set(keys)]
    const reads = distinct === undefined ? [records.getAll(rangeOf(dataset))] : distinct.map((key) => records.get([dataset, key]))
    all([header, ...reads], ([headerResult, ...found]) => {
      const stored = decodeHeader(dataset, headerResult)
      const decoded =
        distinct === undefined
          ? ((found[0] ?? []) as ReadonlyArray<unknown>).map((value) => decodeRecord(dataset, undefined, value))
          : found.flatMap((value, i) => (value === undefined ? [] : [decodeRecord(dataset, distinct[i], value)]))
      then(stored, decoded)
    }, guard)
  }

  /** Writes `changes` (checked by `stateChanges` or `recordChanges`) and the header they lead to; a left has written nothing. */
  const save = (tx: Transaction, dataset: DatasetName, stored: Stored, lastSyncCount: SyncCount, changes: ReadonlyArray<RecordChange>): E.Either<StoreFailed, void> => {
    if (!SyncCount.is(lastSyncCount)) return E.left(storeFailed(`Refusing to store the lastSyncCount ${String(lastSyncCount)} in dataset ${dataset}`, lastSyncCount))
    const real: Array<RecordChange> = []
    for (const change of changes) {
      const [before, after] = change
      // a record rebuilt with equal contents is not a change
      if (before !== undefined && after !== undefined && JSON.stringify(LocalRecordJson.encode(before)) === JSON.stringify(LocalRecordJson.encode(after))) continue
      real.push(change)
    }
    if (real.length === 0 && lastSyncCount === stored.header.lastSyncCount) return E.right(undefined)
    const records = tx.objectStore(RECORDS)
    let count = stored.stored
    for (const [before, after] of real) {
      const key = (after ?? before)?.key
      if (key === undefined) continue
      if (after === undefined) records.delete([dataset, key])
      else records.put(LocalRecordJson.encode(after), [dataset, key])
      count += (after === undefined ? 0 : 1) - (before === undefined ? 0 : 1)
    }
    tx.objectStore(HEADERS).put(headerValue(dataset, lastSyncCount, changeUsage(stored.header.usage, real), count), dataset)
    return E.right(undefined)
  }

  return {
    read: (dataset) => () =>
      transaction<never, LocalState>('read', 'readonly', (tx, answer, guard) =>
        load(tx, dataset, undefined, guard, (stored, records) => answer(E.right(stateOf(records, stored.header.lastSyncCount)))),
      ),
    readRecords: (dataset, keys) => () =>
      transaction<never, RecordSlice>('readRecords', 'readonly', (tx, answer, guard) =>
        load(tx, dataset, keys, guard, (stored, records) =>
          answer(E.right({ header: stored.header, records: new Map(records.map((record) => [record.key, record])) })),
        ),
      ),
    modify:
      <Err, A>(dataset: DatasetName, f: (state: LocalState) => E.Either<Err, readonly [A, LocalState]>): TE.TaskEither<Err | StoreFailed, A> =>
      () =>
        transaction<Err, A>('modify', 'readwrite', (tx, answer, guard) =>
          load(tx, dataset, undefined, guard, (stored, records) => {
            const before = stateOf(records, stored.header.lastSyncCount)
            const result = applyModify(f, before)
            if (E.isLeft(result)) return answer(result)
            const [value, after] = result.right
            answer(
              pipe(
                stateChanges(dataset, before, after),
                E.chain((changes) => save(tx, dataset, stored, after.lastSyncCount, changes)),
                E.map(() => value),
              ),
            )
          }),
        ),
    modifyRecords:
      <Err, A>(
        dataset: DatasetName,
        keys: ReadonlyArray<RecordKey>,
        f: (slice: RecordSlice) => E.Either<Err, readonly [A, ReadonlyArray<LocalRecord>]>,
      ): TE.TaskEither<Err | StoreFailed, A> =>
      () =>
        transaction<Err, A>('modifyRecords', 'readwrite', (tx, answer, guard) =>
          load(tx, dataset, keys, guard, (stored, records) => {
            const slice: RecordSlice = { header: stored.header, records: new Map(records.map((record) => [record.key, record])) }
            const result = applyModify(f, slice)
            if (E.isLeft(result)) return answer(result)
            const [value, changed] = result.right
            answer(
              pipe(
                recordChanges(dataset, keys, slice, changed),
                E.chain((changes) => save(tx, dataset, stored, stored.header.lastSyncCount, changes)),
                E.map(() => value),
              ),
            )
          }),
        ),
    datasets: () => () =>
      transaction<never, ReadonlyArray<DatasetName>>('datasets', 'readonly', (tx, answer, guard) =>
        all([tx.objectStore(HEADERS).getAll()], ([headers]) => {
          const names = ((headers ?? []) as ReadonlyArray<unknown>).flatMap((value) =>
            pipe(
              decodeWith(HeaderValue, 'dataset header')(value),
              E.fold(
                (error) => corrupt(HEADERS, error.message, value),
                (h) => (h.stored > 0 ? [h.name] : []),
              ),
            ),
          )
          answer(E.right([...names].sort()))
        }, guard),
      ),
    ...(lock === undefined ? {} : { syncLock: prefixedLock(lock, `${name}/sync/`) }),
    close: () => {
      const closing = connection
      connection = undefined
      void closing?.then((db) => db.close(), () => undefined)
    },
  }
}
