/**
 * The library in the page, as a user imports it, without a network: the pure reconcile and the memory
 * store. Also what the other pages rely on: a secure context with IndexedDB and Web Locks.
 */
import { emptyState, put, reconcile } from 'cognito-reconcile'
import { memoryStore, openDataset } from 'cognito-reconcile/stores'
import { byKey, lastWriterWins, maxValue } from 'cognito-reconcile/strategies'
import { rightOf, run } from './unwrap.js'

/** What the browser offers the stores and the tab lock. */
export const environment = () => ({
  secureContext: window.isSecureContext,
  indexedDB: typeof indexedDB === 'object',
  webLocks: typeof navigator.locks?.request === 'function',
  localStorage: typeof localStorage === 'object',
})

/** A conflict that byKey routes to maxValue: the patches and who decided. */
export const reconcileConflict = () => {
  const strategy = byKey([['highScore', maxValue()]], lastWriterWins)
  const local = rightOf(put('highScore', '1800', new Date(2000))(emptyState))
  const listing = { records: [{ Key: 'highScore', Value: '1500', SyncCount: 1, LastModifiedDate: new Date(3000) }], datasetSyncCount: 1 }
  const result = rightOf(reconcile(strategy)({ local, listing, now: new Date(4000) }))
  return {
    patches: result.patches.map((patch) => [patch.Op, patch.Key, patch.Value ?? null, patch.SyncCount]),
    decidedBy: result.conflicts.map((conflict) => conflict.decidedBy),
  }
}

/** Writes through the app's dataset API into the memory store and reads back. */
export const memoryRoundTrip = async () => {
  const settings = rightOf(openDataset(memoryStore(), 'settings', { clock: () => new Date(1000) }))
  await run(settings.putAll([['theme', 'dark'], ['volume', '']]))
  await run(settings.remove('volume'))
  return { list: await run(settings.list()), pending: await run(settings.pendingKeys()) }
}

/** Fails in the page, so that the harness's report of a page failure is checked. */
export const failWith = (message: string): never => {
  throw new Error(message)
}

/** Fails later, outside any call: an uncaught error the harness must collect. */
export const failUncaught = (message: string): void => {
  setTimeout(() => {
    throw new Error(message)
  })
}
