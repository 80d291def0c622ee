/**
 * Shared set-up of the sync tests: an emulator on a free port, real `CognitoSyncClient`s over HTTP
 * (static credentials, no SDK retries unless a test asks), and devices, each with its own store.
 */
import { CognitoSyncClient, type CognitoSyncClientConfig } from '@aws-sdk/client-cognito-sync'
import * as E from 'fp-ts/lib/Either.js'
import { afterEach, beforeEach } from 'vitest'
import { type LocalState } from '../../src/index.js'
import { startEmulator, type EmulatorHandle, type EmulatorOptions, type OperationName } from '../../src/emulator/index.js'
import { type Dataset, type DeleteOptions, type LocalStore, type SyncError, type SyncOptions, type SyncReport, deleteDataset, memoryStore, openDataset, sync } from '../../src/sync/index.js'
import type { Strategy } from '../../src/Strategy.js'
import { lastWriterWins } from '../../strategies/index.js'

export const pool = 'us-east-1:11111111-1111-1111-1111-111111111111'
export const alice = 'us-east-1:aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa'
export const bob = 'us-east-1:bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb'
export const datasetName = 'game'

export const sdkClient = (endpoint: string, config: Partial<CognitoSyncClientConfig> = {}): CognitoSyncClient =>
  new CognitoSyncClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1, ...config })

/**
 * How long a test waits for a condition it polls (`vi.waitFor`): room for a loaded two-core machine.
 * A wait is for an event, never a guess at how long something takes.
 */
export const patience = { timeout: 15_000, interval: 10 }

/** How many answers (results or errors) `client` has received for `command` so far. */
export const answers = (client: CognitoSyncClient, command: string): (() => number) => {
  let count = 0
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args)
      } finally {
        if (context.commandName === command) count += 1
      }
    },
    { step: 'deserialize', name: `testAnswers${Math.random()}`, priority: 'high' },
  )
  return () => count
}

/** Runs `hook` before each of the next `times` sends of `command` by `client` (e.g. `'UpdateRecordsCommand'`). */
export const beforeSend = (client: CognitoSyncClient, command: string, hook: () => Promise<void>, times = Infinity): void => {
  let left = times
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === command && left > 0) {
        left -= 1
        await hook()
      }
      return next(args)
    },
    { step: 'initialize', name: `testHook${Math.random()}` },
  )
}

/** Changes every ListRecords answer `client` receives, before the adapter decodes it. */
export const rewriteListings = (client: CognitoSyncClient, change: (output: Record<string, unknown>) => void): void => {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args)
      if (context.commandName === 'ListRecordsCommand') change(result.output as unknown as Record<string, unknown>)
      return result
    },
    { step: 'initialize', name: 'rewriteListings' },
  )
}

export interface Device {
  readonly name: string
  readonly client: CognitoSyncClient
  readonly store: LocalStore
  readonly data: Dataset
  readonly sync: (options?: Partial<SyncOptions>) => Promise<E.Either<SyncError, SyncReport>>
  /** Syncs and fails the test on a left. */
  readonly synced: (options?: Partial<SyncOptions>) => Promise<SyncReport>
  readonly put: (key: string, value: string) => Promise<void>
  readonly remove: (key: string) => Promise<void>
  readonly state: () => Promise<LocalState>
}

export interface DeviceOptions {
  readonly strategy?: Strategy
  readonly store?: LocalStore
  readonly client?: CognitoSyncClient
  readonly identityId?: string
  readonly clock?: () => Date
}

const orThrow = async <A>(result: Promise<E.Either<unknown, A>>): Promise<A> => {
  const answer = await result
  if (E.isLeft(answer)) throw new Error(`expected a right, got ${JSON.stringify(answer.left)}`)
  return answer.right
}

export interface World {
  emulator: EmulatorHandle
  readonly device: (name: string, options?: DeviceOptions) => Device
  /** Calls of `operation` in the emulator's log. */
  readonly calls: (operation: OperationName) => number
}

/** Registers hooks giving each test a fresh emulator; clients made by `device` are destroyed after it. */
export const useWorld = (options: EmulatorOptions = {}): World => {
  const clients: Array<CognitoSyncClient> = []
  const world = {
    device: (name: string, device: DeviceOptions = {}): Device => {
      const client = device.client ?? sdkClient(world.emulator.endpoint)
      clients.push(client)
      const store = device.store ?? memoryStore()
      const clock = device.clock ?? (() => new Date())
      const data = openDataset(store, datasetName, { clock })
      if (E.isLeft(data)) throw new Error(data.left.message)
      const run = (extra: Partial<SyncOptions> = {}) =>
        sync({
          client,
          identityPoolId: pool,
          identityId: device.identityId ?? alice,
          datasetName,
          deviceId: name,
          store,
          strategy: device.strategy ?? lastWriterWins,
          clock,
          random: () => 0.5,
          limits: { backoffBaseMs: 2, backoffMaxMs: 20 },
          ...extra,
        })()
      return {
        name,
        client,
        store,
        data: data.right,
        sync: run,
        synced: (extra) => orThrow(run(extra)),
        put: (key, value) => orThrow(data.right.put(key, value)()),
        remove: (key) => orThrow(data.right.remove(key)()),
        state: () => orThrow(data.right.state()()),
      }
    },
    calls: (operation: OperationName) => world.emulator.calls().filter((call) => call.operation === operation).length,
  } as World
  beforeEach(async () => {
    world.emulator = await startEmulator(options)
  })
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy()
    await world.emulator.close()
  })
  return world
}

/**
 * Bob's dataset of the same name, merged into alice's: an unauthenticated identity (bob) synced a
 * record, then its logins were linked to alice. Answers alice's device `a`, whose listings name it.
 */
export const withMergedDataset = async (world: World): Promise<Device> => {
  const unauthenticated = world.device('u', { identityId: bob })
  await unauthenticated.put('k', 'v')
  await unauthenticated.synced()
  world.emulator.linkIdentity({ identityPoolId: pool, fromIdentityId: bob, toIdentityId: alice })
  return world.device('a')
}

/** Deletes alice's dataset from `device` (`deleteDataset`), with a fixed jitter and short backoffs unless `extra` says otherwise. */
export const deleteOf = (device: Device, extra: Partial<DeleteOptions> = {}) =>
  deleteDataset({
    client: device.client,
    identityPoolId: pool,
    identityId: alice,
    datasetName,
    store: device.store,
    random: () => 0.5,
    limits: { backoffBaseMs: 2, backoffMaxMs: 20 },
    ...extra,
  })()

/** What the app sees: every live key and value. */
export const contents = async (device: Device): Promise<Record<string, string>> => {
  const entries = await orThrow(device.data.list()())
  return Object.fromEntries(entries.map((entry) => [entry.key, entry.value]))
}

export const dirtyKeys = (state: LocalState): ReadonlyArray<string> =>
  Array.from(state.records.values())
    .filter((record) => record.pending !== undefined)
    .map((record) => record.key)
    .sort()
