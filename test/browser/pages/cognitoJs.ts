// A page of an app moving from amazon-cognito-js: first the published amazon-cognito-js on aws-sdk v2
// (their browser builds, loaded as script tags as such an app loads them) with its localStorage store,
// the page's real localStorage; then the import from that localStorage and syncs through the real
// @aws-sdk/client-cognito-sync. Everything talks to the emulator over HTTP, across origins.
import { CognitoSyncClient } from '@aws-sdk/client-cognito-sync'
import { importAmazonCognitoJsPromise } from 'cognito-reconcile/amazon-cognito-js'
import { createSyncManager } from 'cognito-reconcile/app'
import { keyValueStore } from 'cognito-reconcile/stores'
import { lastWriterWins } from 'cognito-reconcile/strategies'
import { type AwsV2, type JsDataset, call, signIn, withPromises } from '../../migrate/jsDataset.js'

const loadScript = (src: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const script = document.createElement('script')
    script.src = src
    script.onload = () => resolve()
    script.onerror = () => reject(new Error(`could not load ${src}`))
    document.head.append(script)
  })

let manager: ReturnType<typeof signIn> | undefined
const opened = new Map<string, JsDataset>()

/** Signs amazon-cognito-js in as `identityId` (static credentials: the emulator does not check them). */
export const signInCognitoJs = async (scripts: ReadonlyArray<string>, endpoint: string, identityPoolId: string, identityId: string): Promise<void> => {
  const global = globalThis as { AWS?: AwsV2 }
  if (global.AWS?.CognitoSyncManager === undefined) for (const src of scripts) await loadScript(src)
  if (global.AWS === undefined) throw new Error('aws-sdk did not load')
  manager = signIn(global.AWS, endpoint, identityPoolId, identityId)
  opened.clear()
}

const dataset = async (name: string): Promise<JsDataset> => {
  const known = opened.get(name)
  if (known !== undefined) return known
  if (manager === undefined) throw new Error('sign in first')
  const found = await call<JsDataset>((cb) => manager?.openOrCreateDataset(name, cb))
  opened.set(name, found)
  return found
}

export const jsOpen = async (name: string): Promise<void> => void (await dataset(name))
export const jsGet = async (name: string, key: string): Promise<string | undefined> => withPromises(await dataset(name)).get(key)
export const jsPut = async (name: string, key: string, value: string): Promise<void> => withPromises(await dataset(name)).put(key, value)
export const jsRemove = async (name: string, key: string): Promise<void> => withPromises(await dataset(name)).remove(key)
export const jsSynchronize = async (name: string): Promise<'synced' | 'failed'> => withPromises(await dataset(name)).synchronize()

/** Every localStorage entry, in name order. */
export const localStorageEntries = (): Record<string, string> =>
  Object.fromEntries(
    Array.from({ length: localStorage.length }, (_, i) => localStorage.key(i) ?? '')
      .sort()
      .map((name) => [name, localStorage.getItem(name) ?? '']),
  )

/**
 * The move: imports `identityId`'s amazon-cognito-js data from this page's localStorage into this
 * library's key-value store over the same localStorage (its entries under `cognito-reconcile/`), then syncs
 * each dataset with this library; answers what was pending after the import, the keys each first sync
 * found in conflict, and each dataset's live records after it.
 */
export const importAndSync = async (endpoint: string, identityPoolId: string, identityId: string) => {
  const store = keyValueStore({ storage: localStorage })
  const imported = await importAmazonCognitoJsPromise({ storage: localStorage, identityId, store })
  const client = new CognitoSyncClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 })
  const cognito = createSyncManager({ client, store, identityPoolId, identityId, deviceId: 'browser', strategy: lastWriterWins })
  const synced: Record<string, { conflicts: Array<string>; live: Record<string, string> }> = {}
  try {
    for (const { name } of imported.datasets) {
      const report = await cognito.dataset(name).sync()
      const live = await cognito.dataset(name).list()
      synced[name] = { conflicts: report.conflicts.map(({ conflict }) => conflict.key), live: Object.fromEntries(live.map(({ key, value }) => [key, value])) }
    }
  } finally {
    client.destroy()
  }
  return { pending: imported.datasets.map((d) => [d.name, [...d.pendingKeys]] as const), synced }
}
