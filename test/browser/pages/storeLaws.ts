/**
 * The public store contract suite (`checkStore` of `cognito-reconcile/testkit`) run in the page, on the
 * browser's own storage, as a user runs it on theirs.
 */
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

const openers: Record<string, () => Opener<LocalStore>> = {
  localStorage: overLocalStorage,
}

/**
 * Checks every law on the store `kind`, `numRuns` runs per property; rejects with the broken law and
 * its counterexample. Answers how many storage entries were left behind (0: every store disposed of).
 */
export const checkLaws = async (kind: string, numRuns: number): Promise<{ readonly leftover: number }> => {
  const opener = openers[kind]?.()
  if (opener === undefined) throw new Error(`no store ${kind}: one of ${Object.keys(openers).join(', ')}`)
  await checkStore(opener.open, { numRuns, reopen: opener.reopen, dispose: opener.dispose })
  return { leftover: localStorage.length }
}
