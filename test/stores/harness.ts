// What the store suites share: the two stores behind one factory type, and small unwrapping helpers.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { DatasetName, RecordKey, RecordValue } from 'cognito-reconcile'
import { type StoreLaw, checkStore } from 'cognito-reconcile/testkit'
import { sqliteStore } from '../../src/stores/sqlite/index.js'
import type { LocalStore } from '../../src/stores/LocalStore.js'
import { memoryStore } from '../../src/stores/memoryStore.js'
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
