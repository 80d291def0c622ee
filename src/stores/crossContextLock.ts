/**
 * Locks shared by every context that shares a store's data: the tabs, windows and workers of one
 * origin over one IndexedDB database or one localStorage. A `keyedMutex` serialises the tasks of one
 * JavaScript context; a `CrossContextLock` serialises them across contexts. Browsers give one, the
 * Web Locks API (`navigator.locks`); `webLocks()` wraps it.
 *
 * Where there is none (React Native, Node, a browser before Web Locks), a store has only its
 * in-process mutex: right for one context (React Native runs one), and the documented fallback for
 * several (docs/stores.md, "Several tabs").
 *
 * @since 0.3.0
 */

/**
 * Laws: two `run`s of one name, from any contexts sharing the lock, never overlap: one starts after
 * the other has settled; runs of different names do not wait for each other. `signal` firing before
 * the lock is granted rejects the run with the signal's reason, without running `task`; once `task`
 * runs, it settles on its own. A context that ends (a tab closed) releases what it held.
 *
 * @since 0.3.0
 */
export interface CrossContextLock {
  readonly run: <A>(name: string, task: () => Promise<A>, signal?: AbortSignal) => Promise<A>
}

/**
 * The part of the Web Locks API (`navigator.locks`) the lock calls.
 *
 * @since 0.3.0
 */
export interface LockManagerLike {
  request(name: string, options: { readonly signal?: AbortSignal }, callback: () => Promise<unknown>): Promise<unknown>
}

const navigatorLocks = (): LockManagerLike | undefined =>
  (globalThis as { readonly navigator?: { readonly locks?: LockManagerLike } }).navigator?.locks

/**
 * The Web Locks API as a `CrossContextLock`: exclusive locks of one origin, held by a tab until its
 * task settles or the tab closes. `undefined` where the platform has no `navigator.locks` (React
 * Native, Node before 22, old browsers), so that a store can fall back to its in-process mutex.
 *
 * @example
 * import { webLocks } from 'cognito-reconcile/stores'
 * // Node has no navigator.locks (browsers do): a store then keeps to its in-process mutex
 * const tabs = webLocks()
 * if (tabs !== undefined) assert.strictEqual(await tabs.run('cognito-reconcile/example', async () => 'held'), 'held')
 *
 * @since 0.3.0
 */
export const webLocks = (locks: LockManagerLike | undefined = navigatorLocks()): CrossContextLock | undefined =>
  locks === undefined
    ? undefined
    : {
        run: <A>(name: string, task: () => Promise<A>, signal?: AbortSignal) =>
          locks.request(name, signal === undefined ? {} : { signal }, task) as Promise<A>,
      }

/**
 * `lock` with every name prefixed by `prefix`: one lock manager shared by several stores (two
 * databases, two prefixes of one localStorage) without their names colliding.
 *
 * @example
 * import { keyedMutex, prefixedLock } from 'cognito-reconcile/stores'
 * const names: Array<string> = []
 * const mutex = keyedMutex()
 * const lock = prefixedLock({ run: (name, task) => (names.push(name), mutex.run(name, task)) }, 'app-db/sync/')
 * await lock.run('settings', async () => undefined)
 * assert.deepStrictEqual(names, ['app-db/sync/settings'])
 *
 * @since 0.3.0
 */
export const prefixedLock = (lock: CrossContextLock, prefix: string): CrossContextLock => ({
  run: (name, task, signal) => lock.run(`${prefix}${name}`, task, signal),
})
