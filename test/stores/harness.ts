// What the store suites share: the two stores behind one factory type, and small unwrapping helpers.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { DatasetName, RecordKey, RecordValue } from 'cognito-reconcile'
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
}

/** A fresh directory, removed by the returned function. */
export const tempDir = (): { readonly dir: string; readonly remove: () => void } => {
  const dir = mkdtempSync(join(tmpdir(), 'cognito-reconcile-store-'))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
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
      const store = sqliteStore({ path: join(temp.dir, 'store.db') })
      return {
        store,
        dispose: () => {
          store.close()
          temp.remove()
        },
      }
    },
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
