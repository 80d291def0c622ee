/**
 * amazon-cognito-js 1.1.0 as an app runs it in a browser, in Node: its `CognitoSyncManager` on aws-sdk
 * v2 with its default store, `StoreLocalStorage`, over a `Storage` held in memory (set as
 * `window.localStorage` when a manager is made, where that store looks for it), syncing with the
 * emulator over HTTP. Callbacks become Promises; nothing of its code is copied here.
 */
import { createRequire } from 'node:module'

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

type Callback<A> = (err: unknown, value: A) => void

interface Conflict {
  resolveWithLocalRecord(): unknown
}

interface JsDataset {
  get(key: string, callback: Callback<string | undefined>): void
  put(key: string, value: string, callback: Callback<unknown>): void
  remove(key: string, callback: Callback<unknown>): void
  resolve(records: ReadonlyArray<unknown>, callback: Callback<unknown>): void
  synchronize(callback: {
    onSuccess: () => void
    onFailure: (err: unknown) => void
    onConflict: (dataset: unknown, conflicts: ReadonlyArray<Conflict>, callback: (go: boolean) => void) => void
    onDatasetDeleted: (dataset: unknown, name: string, callback: (go: boolean) => void) => void
    onDatasetsMerged: (dataset: unknown, names: ReadonlyArray<string>, callback: (go: boolean) => void) => void
  }): void
}

interface AwsV2 {
  Credentials: new (accessKeyId: string, secretAccessKey: string) => object
  config: { update(options: object): void }
  CognitoSyncManager: new () => { openOrCreateDataset(name: string, callback: Callback<JsDataset>): void }
}

const require = createRequire(import.meta.url)
const AWS = require('aws-sdk') as AwsV2
// attaches CognitoSyncManager to the aws-sdk module
require('amazon-cognito-js')

const call = <A>(run: (callback: Callback<A>) => void): Promise<A> =>
  new Promise((resolve, reject) => run((err, value) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(value))))

/** One dataset of an amazon-cognito-js app. */
export interface CognitoJsDataset {
  readonly get: (key: string) => Promise<string | undefined>
  readonly put: (key: string, value: string) => Promise<void>
  readonly remove: (key: string) => Promise<void>
  /** Synchronizes, resolving conflicts with the local record; answers how it ended. */
  readonly synchronize: () => Promise<'synced' | 'failed'>
}

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
  const credentials = Object.assign(new AWS.Credentials('test', 'test'), { params: { IdentityPoolId: identityPoolId }, identityId })
  AWS.config.update({ region: 'us-east-1', credentials, cognitosync: { endpoint }, maxRetries: 0 })
  const manager = new AWS.CognitoSyncManager()
  return {
    dataset: async (name) => {
      const dataset = await call<JsDataset>((cb) => manager.openOrCreateDataset(name, cb))
      return {
        get: (key) => call((cb) => dataset.get(key, cb)),
        put: async (key, value) => {
          await call((cb) => dataset.put(key, value, cb))
        },
        remove: async (key) => {
          await call((cb) => dataset.remove(key, cb))
        },
        synchronize: () =>
          new Promise((resolve) =>
            dataset.synchronize({
              onSuccess: () => resolve('synced'),
              onFailure: () => resolve('failed'),
              onConflict: (_dataset, conflicts, go) =>
                dataset.resolve(
                  conflicts.map((conflict) => conflict.resolveWithLocalRecord()),
                  (err) => (err ? resolve('failed') : go(true)),
                ),
              onDatasetDeleted: (_dataset, _name, go) => go(true),
              onDatasetsMerged: (_dataset, _names, go) => go(false),
            }),
          ),
      }
    },
  }
}
