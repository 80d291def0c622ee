/**
 * amazon-cognito-js 1.1.0 as an app runs it in a browser, in Node: its `CognitoSyncManager` on aws-sdk
 * v2 with its default store, `StoreLocalStorage`, over a `Storage` held in memory (set as
 * `window.localStorage` when a manager is made, where that store looks for it), syncing with the
 * emulator over HTTP. Callbacks become Promises; nothing of its code is copied here.
 */
import { createRequire } from 'node:module'
import { type AwsV2, type CognitoJsDataset, type JsDataset, call, signIn, withPromises } from './jsDataset.js'

export type { CognitoJsDataset }

// aws-sdk v2 prints a maintenance notice when loaded
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1'

/** The Web Storage API over a Map, with `dump` for the tests to compare before and after. */
export class MemoryStorage {
  readonly #entries = new Map<string, string>()
  get length(): number {
    return this.#entries.size
  }
  key(index: number): string | null {
    return [...this.#entries.keys()][index] ?? null
  }
  getItem(key: string): string | null {
    return this.#entries.get(key) ?? null
  }
  setItem(key: string, value: string): void {
    this.#entries.set(key, String(value))
  }
  removeItem(key: string): void {
    this.#entries.delete(key)
  }
  clear(): void {
    this.#entries.clear()
  }
  /** Every entry, in name order. */
  dump(): Record<string, string> {
    return Object.fromEntries([...this.#entries].sort(([a], [b]) => (a < b ? -1 : 1)))
  }
}

const require = createRequire(import.meta.url)
const AWS = require('aws-sdk') as AwsV2
// attaches CognitoSyncManager to the aws-sdk module
require('amazon-cognito-js')

export interface CognitoJsApp {
  readonly dataset: (name: string) => Promise<CognitoJsDataset>
}

export interface CognitoJsAddress {
  readonly endpoint: string
  readonly identityPoolId: string
  readonly identityId: string
}

/** An app signed in as `identityId`, keeping its data in `storage`. */
export const cognitoJsApp = (storage: MemoryStorage, { endpoint, identityPoolId, identityId }: CognitoJsAddress): CognitoJsApp => {
  ;(globalThis as { window?: unknown }).window = { localStorage: storage }
  const manager = signIn(AWS, endpoint, identityPoolId, identityId)
  return {
    dataset: async (name) => withPromises(await call<JsDataset>((cb) => manager.openOrCreateDataset(name, cb))),
  }
}
