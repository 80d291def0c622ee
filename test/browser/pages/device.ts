/**
 * One device of an app in the page: the real `@aws-sdk/client-cognito-sync` (its browser build, over
 * fetch) and the Promise API, syncing one dataset with the emulator, on a store the test names. Two
 * pages in one context are two tabs of one device (sharing its localStorage and IndexedDB); pages in
 * two contexts are two devices.
 */
import { CognitoSyncClient } from '@aws-sdk/client-cognito-sync'
import { type SyncManager, type SyncReport, createSyncManager } from 'cognito-reconcile/app'
import { indexedDbStore } from 'cognito-reconcile/indexeddb'
import { type LocalStore, keyValueStore, memoryStore } from 'cognito-reconcile/stores'
import { byKey, lastWriterWins, maxValue } from 'cognito-reconcile/strategies'
import type { DeviceConfig, SyncSummary } from '../protocol.js'

/** The best score wins, anything else the later write. */
const strategy = byKey([['highScore', maxValue()]], lastWriterWins)

let current: { readonly manager: SyncManager; readonly config: DeviceConfig } | undefined

const device = () => {
  if (current === undefined) throw new Error('call start(config) first')
  return current.manager.dataset(current.config.datasetName)
}

/** The stores a test may choose, by name (a store itself cannot cross into the page). */
const stores: Record<string, () => LocalStore> = {
  memory: memoryStore,
  localStorage: () => keyValueStore({ storage: localStorage }),
  indexedDB: () => indexedDbStore({ name: 'app' }),
  // tabs that do not coordinate their syncs: what the tab tests must catch
  localStorageWithoutLock: () => keyValueStore({ storage: localStorage, lock: false }),
}

/** Binds the page to `config` and a store of `kind`. */
export const start = (config: DeviceConfig, kind = 'memory'): void => {
  const store = stores[kind]
  if (store === undefined) throw new Error(`no store ${kind}: one of ${Object.keys(stores).join(', ')}`)
  const client = new CognitoSyncClient({
    region: 'us-east-1',
    endpoint: config.endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  })
  current = { config, manager: createSyncManager({ client, store: store(), strategy, identityPoolId: config.identityPoolId, identityId: config.identityId, deviceId: config.deviceId }) }
}

/** Puts each entry (a `null` value deletes), as pending edits. */
export const edit = (entries: Readonly<Record<string, string | null>>): Promise<void> => device().putAll(entries)

export const list = () => device().list()

export const get = (key: string) => device().get(key)

export const pendingKeys = () => device().pendingKeys()

const summary = (report: SyncReport): SyncSummary => ({
  calls: report.calls,
  adopted: report.adopted,
  pushed: report.pushed,
  confirmedAfterLoss: report.confirmedAfterLoss,
  lastSyncCount: report.lastSyncCount,
  conflicts: report.conflicts.map(({ conflict, resolution, decidedBy }) => ({
    key: conflict.key,
    local: conflict.local.content,
    remote: conflict.remote.content,
    resolution: resolution._tag,
    decidedBy,
  })),
})

/** Syncs the dataset; resolves with the summary, or rejects with the typed failure's name and message. */
export const sync = async (): Promise<SyncSummary> => summary(await device().sync())

/** Starts a sync and answers at once, as an app does before the user reloads or closes the tab. */
export const startSync = (): void => {
  device()
    .sync()
    .catch(() => undefined)
}
