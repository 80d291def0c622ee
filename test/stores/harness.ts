// What the store suites share: the two stores behind one factory type, and small unwrapping helpers.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { DatasetName, RecordKey, RecordValue } from 'cognito-reconcile'
import { type StoreLaw, checkStore } from 'cognito-reconcile/testkit'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { type IDBFactoryLike, indexedDbStore } from '../../src/stores/indexeddb/index.js'
import { sqliteStore } from '../../src/stores/sqlite/index.js'
import type { LocalStore } from '../../src/stores/LocalStore.js'
import { memoryStore } from '../../src/stores/memoryStore.js'
import { type KeyValueStorage, keyValueStore } from '../../src/stores/keyValueStore.js'
import { keyedMutex } from '../../src/stores/mutex.js'
import { fromWholeState } from '../../src/stores/records.js'

/** A store to test, and how to get rid of it. */
export interface OpenedStore {
  readonly store: LocalStore
  readonly dispose: () => void
}

export interface StoreFactory {
  readonly name: string
  readonly open: () => OpenedStore
  /** Another store over the same data as one `open` gave, when the store has such a thing. */
  readonly reopen?: (store: LocalStore) => OpenedStore
  /** Runs of each property law, for a slow store. */
  readonly numRuns?: number
}

/**
 * `checkStore`'s arguments for `factory`, checking `laws`: each store it opens is disposed of when its
 * law is checked.
 */
export const checkOptions = (factory: StoreFactory, laws: ReadonlyArray<StoreLaw>): Parameters<typeof checkStore<LocalStore>> => {
  const disposers = new Map<LocalStore, () => void>()
  const opened = (store: OpenedStore): LocalStore => {
    disposers.set(store.store, store.dispose)
    return store.store
  }
  const { reopen } = factory
  return [
    () => opened(factory.open()),
    {
      laws,
      ...(factory.numRuns === undefined ? {} : { numRuns: factory.numRuns }),
      dispose: (store) => disposers.get(store)?.(),
      ...(reopen === undefined ? {} : { reopen: (store: LocalStore) => opened(reopen(store)) }),
    },
  ]
}

/** A fresh directory, removed by the returned function. */
export const tempDir = (): { readonly dir: string; readonly remove: () => void } => {
  const dir = mkdtempSync(join(tmpdir(), 'cognito-reconcile-store-'))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

const paths = new WeakMap<LocalStore, string>()
const factories = new WeakMap<LocalStore, IDBFactoryLike>()

/** A Map as a key-value storage: synchronous as localStorage, or answering Promises as AsyncStorage. */
export const mapStorage = (entries = new Map<string, string>(), asynchronous = false): KeyValueStorage & { readonly entries: Map<string, string> } => {
  const answer = <A>(value: A): A | Promise<A> => (asynchronous ? Promise.resolve(value) : value)
  return {
    entries,
    getItem: (key) => answer(entries.get(key) ?? null),
    setItem: (key, value) => answer(void entries.set(key, value)),
    removeItem: (key) => answer(void entries.delete(key)),
  }
}

/** Where each key-value store of the suite keeps its entries, to open another store over them. */
const storages = new WeakMap<LocalStore, ReturnType<typeof mapStorage>>()

const keyValueFactory = (name: string, options: { readonly asynchronous: boolean; readonly leafCapacity?: number; readonly tabs?: boolean }): StoreFactory => {
  // two tabs: storage objects of their own over one origin's entries, and one lock between them (Web Locks)
  const lock = keyedMutex()
  const open = (storage: ReturnType<typeof mapStorage>): LocalStore => {
    const store = keyValueStore({
      storage,
      ...(options.leafCapacity === undefined ? {} : { leafCapacity: options.leafCapacity }),
      lock: options.tabs === true ? { run: (name, task) => lock.run(name, task) } : false,
    })
    storages.set(store, storage)
    return store
  }
  return {
    name,
    open: () => ({ store: open(mapStorage(new Map(), options.asynchronous)), dispose: () => undefined }),
    // another store in this context shares the storage object; another tab has one of its own
    reopen: (first) => {
      const storage = storages.get(first) ?? mapStorage(new Map(), options.asynchronous)
      return { store: open(options.tabs === true ? mapStorage(storage.entries, options.asynchronous) : storage), dispose: () => undefined }
    },
  }
}

export const storeFactories: ReadonlyArray<StoreFactory> = [
  { name: 'memoryStore', open: () => ({ store: memoryStore(), dispose: () => undefined }) },
  {
    // the reference: record-level calls as whole-state ones, the header counted from every record
    name: 'fromWholeState',
    open: () => {
      const { read, modify, datasets } = memoryStore()
      return { store: fromWholeState({ read, modify, datasets }), dispose: () => undefined }
    },
  },
  {
    name: 'sqliteStore',
    open: () => {
      const temp = tempDir()
      const path = join(temp.dir, 'store.db')
      const store = sqliteStore({ path })
      paths.set(store, path)
      return {
        store,
        dispose: () => {
          store.close()
          temp.remove()
        },
      }
    },
    // a second connection to the same file
    reopen: (first) => {
      const store = sqliteStore({ path: paths.get(first) ?? '' })
      return { store, dispose: () => store.close() }
    },
    numRuns: 40,
  },
  keyValueFactory('keyValueStore over a synchronous storage', { asynchronous: false }),
  keyValueFactory('keyValueStore over an async storage, 2 records a leaf', { asynchronous: true, leafCapacity: 2 }),
  keyValueFactory('keyValueStore in two tabs sharing a lock', { asynchronous: true, tabs: true }),
  {
    name: 'indexedDbStore on fake-indexeddb',
    open: () => {
      const indexedDB = new IDBFactory()
      const store = indexedDbStore({ indexedDB, IDBKeyRange })
      factories.set(store, indexedDB)
      return { store, dispose: () => store.close() }
    },
    // another tab: another connection to the same database
    reopen: (first) => {
      const store = indexedDbStore({ indexedDB: factories.get(first) ?? new IDBFactory(), IDBKeyRange })
      return { store, dispose: () => store.close() }
    },
    numRuns: 40,
  },
]

export const unwrap = <A>(result: E.Either<unknown, A>): A => {
  if (E.isLeft(result)) throw new Error(`expected a right, got ${JSON.stringify(result.left)}`)
  return result.right
}

/** Runs a TaskEither and unwraps its right. */
export const runRight = async <A>(task: TE.TaskEither<unknown, A>): Promise<A> => unwrap(await task())

export const datasetName = (name: string): DatasetName => unwrap(DatasetName.decode(name))

export const recordKey = (key: string): RecordKey => unwrap(RecordKey.decode(key))

export const recordValue = (value: string): RecordValue => unwrap(RecordValue.decode(value))
