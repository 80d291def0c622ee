/**
 * A device, as the sync part drives it: cognito-reconcile (memory store, the real
 * @aws-sdk/client-cognito-sync) or amazon-cognito-js (its in-memory store, aws-sdk v2), each with
 * a byte-counting HTTP agent. `write` is set-up, outside the timing; `sync` is what is timed.
 */
import { CognitoSyncClient } from '@aws-sdk/client-cognito-sync'
import { lastWriterWins } from 'cognito-reconcile/strategies'
import { type LocalStore, memoryStore, syncPromise } from 'cognito-reconcile/sync'
import { cognitoJsDevice } from './cognitoJs.js'
import type { Entries } from './entries.js'
import { datasetIn, unwrap } from './datasets.js'
import { type Traffic, countingAgent } from './wire.js'

export interface Address {
  readonly endpoint: string
  readonly identityPoolId: string
  readonly identityId: string
}

export interface Device {
  readonly sync: () => Promise<void>
  /** Local edits, as an app makes them. */
  readonly write: (entries: Entries) => Promise<void>
  /** Forgets all local data: a new device on the same identity. */
  readonly fresh: () => Promise<void>
  readonly traffic: () => Traffic
}

export const datasetName = 'bench'

/** cognito-reconcile with the memory store; conflicts by lastWriterWins. */
export const libraryDevice = (address: Address, deviceId = 'bench-device'): Device => {
  const counting = countingAgent()
  const client = new CognitoSyncClient({
    region: 'us-east-1',
    endpoint: address.endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    requestHandler: { httpAgent: counting.agent },
  })
  let store: LocalStore = memoryStore()
  return {
    sync: async () => {
      await syncPromise({ client, ...address, datasetName, deviceId, store, strategy: lastWriterWins })
    },
    write: (entries) => unwrap(datasetIn(store, datasetName).putAll(entries)),
    fresh: async () => {
      store = memoryStore()
    },
    traffic: counting.traffic,
  }
}

/** amazon-cognito-js with its in-memory store; conflicts resolved with the local record. */
export const cognitoJsAsDevice = async (address: Address): Promise<Device> => {
  const counting = countingAgent()
  const open = () => cognitoJsDevice({ ...address, agent: counting.agent }, datasetName)
  let device = await open()
  return {
    sync: () => device.synchronize(),
    write: async (entries) => {
      // its putAll recurses once per value and overflows the stack at 1,024 values: one put at a time
      for (const [key, value] of entries) await device.put(key, value)
    },
    fresh: async () => {
      device = await open()
    },
    traffic: counting.traffic,
  }
}
