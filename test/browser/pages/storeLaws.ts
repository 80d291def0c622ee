/**
 * The public store contract suite (`checkStore` of `cognito-reconcile/testkit`) run in the page, on the
 * browser's own storage, as a user runs it on theirs.
 */
import { type IndexedDbStore, indexedDbStore } from 'cognito-reconcile/indexeddb'
import { type LocalStore, keyValueStore } from 'cognito-reconcile/stores'
import { checkStore } from 'cognito-reconcile/testkit'

/** A store per law and run, each over its own part of the storage, and a second one over the same part (another tab). */
interface Opener<S extends LocalStore> {
  readonly open: () => S | Promise<S>
  readonly reopen: (store: S) => S | Promise<S>
  readonly dispose: (store: S) => void | Promise<void>
}

const overLocalStorage = (): Opener<LocalStore> => {
  const prefixes = new WeakMap<LocalStore, string>()
  let opened = 0
  const at = (prefix: string): LocalStore => {
    const store = keyValueStore({ storage: localStorage, prefix })
    prefixes.set(store, prefix)
    return store
  }
  return {
    open: () => at(`laws/${opened++}/`),
    reopen: (store) => at(prefixes.get(store) ?? 'unknown/'),
    dispose: (store) => {
      const prefix = prefixes.get(store) ?? 'unknown/'
      const names = Array.from({ length: localStorage.length }, (_, i) => localStorage.key(i) ?? '')
      for (const name of names) if (name.startsWith(prefix)) localStorage.removeItem(name)
    },
  }
}

/** Each store its own database, deleted once its law is checked, after closing every connection to it. */
const overIndexedDB = (): Opener<IndexedDbStore> => {
  const names = new WeakMap<LocalStore, string>()
  const connections = new Map<string, Array<IndexedDbStore>>()
  let opened = 0
  const at = (name: string): IndexedDbStore => {
    const store = indexedDbStore({ name })
    names.set(store, name)
    connections.set(name, [...(connections.get(name) ?? []), store])
    return store
  }
  return {
    open: () => at(`laws-${opened++}`),
    reopen: (store) => at(names.get(store) ?? 'unknown'),
    dispose: (store) => {
      const name = names.get(store) ?? 'unknown'
      for (const connection of connections.get(name) ?? []) connection.close()
      connections.delete(name)
      return new Promise<void>((deleted, failed) => {
        const request = indexedDB.deleteDatabase(name)
        request.onsuccess = () => deleted()
        request.onerror = () => failed(request.error)
        request.onblocked = () => failed(new Error(`database ${name} is still open`))
      })
    },
  }
}

/** Checks every law on one kind of store, and answers what its stores left behind (0: each one disposed of). */
const check = async <S extends LocalStore>(opener: Opener<S>, numRuns: number, leftover: () => Promise<number>): Promise<{ readonly leftover: number }> => {
  await checkStore(opener.open, { numRuns, reopen: opener.reopen, dispose: opener.dispose })
  return { leftover: await leftover() }
}

/**
 * Checks every law on the store `kind`, `numRuns` runs per property; rejects with the broken law and
 * its counterexample.
 */
export const checkLaws = (kind: 'localStorage' | 'indexedDB', numRuns: number): Promise<{ readonly leftover: number }> =>
  kind === 'localStorage'
    ? check(overLocalStorage(), numRuns, () => Promise.resolve(localStorage.length))
    : check(overIndexedDB(), numRuns, async () => (await indexedDB.databases()).length)
