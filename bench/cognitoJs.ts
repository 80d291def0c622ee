/**
 * amazon-cognito-js 1.1.0, the client this library replaces, driven as an app would: its
 * `CognitoSyncManager` on aws-sdk v2, with its own in-memory store (`StoreInMemory`, so no
 * localStorage is needed in Node) and aws-sdk v2's CognitoSync client pointed at the emulator with
 * static credentials. Callbacks become Promises; nothing of its code is copied here.
 */
import type { Agent } from 'node:http'
import { createRequire } from 'node:module'

// aws-sdk v2 prints a maintenance notice when loaded
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1'

type Callback<A> = (err: unknown, value: A) => void

/** The parts of amazon-cognito-js's Dataset the benchmark uses. */
interface CognitoJsDataset {
  put(key: string, value: string, callback: Callback<unknown>): void
  putAll(values: Record<string, string>, callback: Callback<unknown>): void
  resolve(records: ReadonlyArray<unknown>, callback: Callback<unknown>): void
  synchronize(callback: {
    onSuccess: (dataset: unknown, updates: unknown) => void
    onFailure: (err: unknown) => void
    onConflict: (dataset: unknown, conflicts: ReadonlyArray<{ resolveWithLocalRecord(): unknown }>, callback: (go: boolean) => void) => void
    onDatasetDeleted: (dataset: unknown, name: string, callback: (go: boolean) => void) => void
    onDatasetsMerged: (dataset: unknown, names: ReadonlyArray<string>, callback: (go: boolean) => void) => void
  }): void
}

interface CognitoJsManager {
  openOrCreateDataset(name: string, callback: Callback<CognitoJsDataset>): void
}

interface AwsV2 {
  Credentials: new (accessKeyId: string, secretAccessKey: string) => object
  config: { update(options: object): void }
  CognitoSyncManager: (new (options: object) => CognitoJsManager) & { StoreInMemory: unknown }
}

const require = createRequire(import.meta.url)
const AWS = require('aws-sdk') as AwsV2
// attaches CognitoSyncManager to the aws-sdk module
require('amazon-cognito-js')

const call = <A>(run: (callback: Callback<A>) => void): Promise<A> =>
  new Promise((resolve, reject) => run((err, value) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(value))))

export interface CognitoJsAddress {
  readonly endpoint: string
  /** The HTTP agent of its CognitoSync client. */
  readonly agent?: Agent
  readonly identityPoolId: string
  readonly identityId: string
}

/** One device: a manager with a fresh in-memory store, and one dataset of it. */
export interface CognitoJsDevice {
  readonly put: (key: string, value: string) => Promise<void>
  readonly putAll: (values: Record<string, string>) => Promise<void>
  /** Synchronizes; conflicts are resolved with the local record (this device's edit is the later one). */
  readonly synchronize: () => Promise<void>
}

/**
 * A new device. The manager reads its identity and region from the global `AWS.config` when it is
 * built, as the library documents, so the config is set right before.
 */
export const cognitoJsDevice = async ({ endpoint, agent, identityPoolId, identityId }: CognitoJsAddress, datasetName: string): Promise<CognitoJsDevice> => {
  const credentials = Object.assign(new AWS.Credentials('test', 'test'), { params: { IdentityPoolId: identityPoolId }, identityId })
  AWS.config.update({ region: 'us-east-1', credentials, cognitosync: { endpoint }, maxRetries: 0, httpOptions: agent === undefined ? {} : { agent } })
  const manager = new AWS.CognitoSyncManager({ DataStore: AWS.CognitoSyncManager.StoreInMemory })
  const dataset = await call<CognitoJsDataset>((cb) => manager.openOrCreateDataset(datasetName, cb))
  return {
    put: async (key, value) => {
      await call((cb) => dataset.put(key, value, cb))
    },
    putAll: async (values) => {
      await call((cb) => dataset.putAll(values, cb))
    },
    synchronize: () =>
      new Promise((resolve, reject) =>
        dataset.synchronize({
          onSuccess: () => resolve(),
          onFailure: (err) => reject(err instanceof Error ? err : new Error(String(err))),
          onConflict: (_dataset, conflicts, go) => {
            dataset.resolve(
              conflicts.map((c) => c.resolveWithLocalRecord()),
              (err) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : go(true)),
            )
          },
          onDatasetDeleted: (_dataset, _name, go) => go(false),
          onDatasetsMerged: (_dataset, _names, go) => go(false),
        }),
      ),
  }
}
