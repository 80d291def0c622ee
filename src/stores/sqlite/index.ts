/**
 * cognito-reconcile/sqlite: a durable `LocalStore` in a SQLite file, with `better-sqlite3` (an optional
 * peer dependency, imported by this subpath only).
 *
 * Every `modify` is one `BEGIN IMMEDIATE` transaction that reads the dataset, runs the function and
 * writes the rows that changed; every `modifyRecords` is one that reads and writes only the rows of its
 * keys and the dataset's header row (its `lastSyncCount` and running totals). A crash at any point
 * leaves the last committed state, so no dirty record is ever lost, and `IMMEDIATE` takes the write
 * lock before reading, so another connection or process cannot slip a write in between the read and
 * the write.
 *
 * @since 0.1.0
 */
import Database from 'better-sqlite3'
import type * as BetterSqlite3 from './betterSqlite3.js'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { DatasetName, RecordKey } from '../../codecs.js'
import type { LocalRecord, LocalState } from '../../LocalRecord.js'
import { type LocalStore, type RecordSlice, type StoreFailed, applyModify, storeFailed } from '../LocalStore.js'
import { keyedMutex } from '../mutex.js'
import { checkChangedKeys } from '../records.js'
import { loadDatasetNames, loadSlice, loadState, loadStateAndHeader, saveChanges, saveRecords } from './rows.js'
import { prepare } from './schema.js'

/**
 * Where the store lives: a file it opens (and closes), or a connection the caller owns (and closes).
 * In both cases the tables are created if missing, the file is switched to WAL mode and the connection
 * to `synchronous = FULL`.
 *
 * @since 0.1.0
 */
export type SqliteStoreOptions = { readonly path: string } | { readonly database: BetterSqlite3.Database }

/**
 * A `LocalStore` you can close. `close` closes the file the store opened (a connection passed in is
 * the caller's to close); after it, every operation answers `StoreFailed`.
 *
 * @since 0.1.0
 */
export type SqliteStore = LocalStore & { readonly close: () => void }

const failed = (what: string, cause: unknown): StoreFailed =>
  storeFailed(`SQLite ${what} failed: ${cause instanceof Error ? cause.message : String(cause)}`, cause)

// better-sqlite3 is synchronous and throws; this is the one place its exceptions become values.
const attempt = <Err, A>(what: string, run: () => E.Either<Err, A>): E.Either<Err | StoreFailed, A> => {
  try {
    return run()
  } catch (cause) {
    return E.left(failed(what, cause))
  }
}

/**
 * Opens (or creates) a store.
 *
 * Throws if the file cannot be opened, as `better-sqlite3` does: that is a set-up error, not one a
 * running sync must handle.
 *
 * @example
 * import { sqliteStore } from 'cognito-reconcile/sqlite'
 * import { openDataset } from 'cognito-reconcile/stores'
 * import * as E from 'fp-ts/lib/Either.js'
 * import * as O from 'fp-ts/lib/Option.js'
 * import { mkdtempSync, rmSync } from 'node:fs'
 * import { tmpdir } from 'node:os'
 * import { join } from 'node:path'
 * const dir = mkdtempSync(join(tmpdir(), 'store-'))
 * const path = join(dir, 'device.db')
 * const first = sqliteStore({ path })
 * const write = openDataset(first, 'settings')
 * assert.ok(E.isRight(write))
 * if (E.isRight(write)) assert.ok(E.isRight(await write.right.put('theme', 'dark')()))
 * first.close()
 * const again = sqliteStore({ path })
 * const read = openDataset(again, 'settings')
 * assert.ok(E.isRight(read))
 * if (E.isRight(read)) assert.deepStrictEqual(await read.right.get('theme')(), E.right(O.some('dark')))
 * again.close()
 * rmSync(dir, { recursive: true })
 *
 * @since 0.1.0
 */
export const sqliteStore = (options: SqliteStoreOptions): SqliteStore => {
  const owned = 'path' in options
  const db: BetterSqlite3.Database = 'path' in options ? new Database(options.path) : options.database
  const statements = prepare(db)
  const transaction = db.transaction((run: () => unknown) => run())
  // The Either stays inside the transaction: the dataset is read and written under one lock.
  const immediately = <A>(run: () => A): A => transaction.immediate(run) as A
  const snapshot = <A>(run: () => A): A => transaction.deferred(run) as A
  // Serialising in-process too keeps `modify` first-come first-served, as in the memory store; the
  // lock of BEGIN IMMEDIATE is what guards against other connections and processes.
  const mutex = keyedMutex()
  const write = <Err, A>(dataset: DatasetName, what: string, run: () => E.Either<Err, A>): Promise<E.Either<Err | StoreFailed, A>> =>
    mutex.run(dataset, async () => attempt(what, () => immediately(run)))
  return {
    read: (dataset) => () => Promise.resolve().then(() => attempt('read', () => snapshot(() => loadState(statements, dataset)))),
    readRecords: (dataset, keys) => () =>
      Promise.resolve().then(() =>
        attempt('readRecords', () =>
          snapshot(() =>
            pipe(
              loadSlice(statements, dataset, keys),
              E.map(({ slice }) => slice),
            ),
          ),
        ),
      ),
    modify:
      <Err, A>(dataset: DatasetName, f: (state: LocalState) => E.Either<Err, readonly [A, LocalState]>): TE.TaskEither<Err | StoreFailed, A> =>
      () =>
        write(dataset, 'modify', () =>
          pipe(
            loadStateAndHeader(statements, dataset),
            E.chainW(({ state, header, stored }) =>
              pipe(
                applyModify(f, state),
                E.chainW(([answer, after]) =>
                  pipe(
                    saveChanges(statements, dataset, stored, header, state, after),
                    E.map(() => answer),
                  ),
                ),
              ),
            ),
          ),
        ),
    modifyRecords:
      <Err, A>(
        dataset: DatasetName,
        keys: ReadonlyArray<RecordKey>,
        f: (slice: RecordSlice) => E.Either<Err, readonly [A, ReadonlyArray<LocalRecord>]>,
      ): TE.TaskEither<Err | StoreFailed, A> =>
      () =>
        write(dataset, 'modifyRecords', () =>
          pipe(
            loadSlice(statements, dataset, keys),
            E.chainW(({ slice, stored }) =>
              pipe(
                applyModify(f, slice),
                E.chainW(([answer, changed]) =>
                  pipe(
                    checkChangedKeys(dataset, keys, changed),
                    E.chainW((valid) => saveRecords(statements, dataset, stored, slice, valid)),
                    E.map(() => answer),
                  ),
                ),
              ),
            ),
          ),
        ),
    datasets: () => () => Promise.resolve().then(() => attempt('datasets', () => loadDatasetNames(statements))),
    close: () => {
      if (owned) db.close()
    },
  }
}
