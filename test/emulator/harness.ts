/**
 * Shared set-up of the emulator tests: an emulator on a free port with a manual clock, and a real
 * `CognitoSyncClient` pointed at it with static credentials and no retries.
 */
import {
  CognitoSyncClient,
  ListRecordsCommand,
  UpdateRecordsCommand,
  type ListRecordsCommandOutput,
  type RecordPatch,
  type UpdateRecordsCommandOutput,
} from '@aws-sdk/client-cognito-sync'
import { afterEach, beforeEach } from 'vitest'
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../src/emulator/index.js'

export const pool = 'us-east-1:11111111-1111-1111-1111-111111111111'
export const alice = 'us-east-1:aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa'
export const bob = 'us-east-1:bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb'

/** 2023-11-14T22:13:20Z, a whole second so that epoch-second dates compare exactly. */
export const startTime = 1_700_000_000_000

export interface ManualClock {
  readonly now: () => number
  readonly advance: (ms: number) => void
}

export const manualClock = (start = startTime): ManualClock => {
  let t = start
  return { now: () => t, advance: (ms) => (t += ms) }
}

export const sdkClient = (
  endpoint: string,
  credentials = { accessKeyId: 'test', secretAccessKey: 'test' },
): CognitoSyncClient => new CognitoSyncClient({ region: 'us-east-1', endpoint, credentials, maxAttempts: 1 })

export interface Context {
  emulator: EmulatorHandle
  client: CognitoSyncClient
  clock: ManualClock
}

/** Registers hooks giving each test a fresh emulator and client; read the fields inside tests. */
export const useEmulator = (options: Omit<EmulatorOptions, 'clock'> = {}): Context => {
  const ctx = {} as Context
  beforeEach(async () => {
    ctx.clock = manualClock()
    ctx.emulator = await startEmulator({ ...options, clock: ctx.clock })
    ctx.client = sdkClient(ctx.emulator.endpoint)
  })
  afterEach(async () => {
    ctx.client.destroy()
    await ctx.emulator.close()
  })
  return ctx
}

export const list = (
  client: CognitoSyncClient,
  datasetName: string,
  input: { IdentityPoolId?: string; IdentityId?: string; LastSyncCount?: number; MaxResults?: number; NextToken?: string } = {},
): Promise<ListRecordsCommandOutput> =>
  client.send(new ListRecordsCommand({ IdentityPoolId: pool, IdentityId: alice, DatasetName: datasetName, ...input }))

/** ListRecords for a token, then UpdateRecords with `patches`. */
export const write = async (
  client: CognitoSyncClient,
  datasetName: string,
  patches: RecordPatch[],
  identityId = alice,
  identityPoolId = pool,
): Promise<UpdateRecordsCommandOutput> => {
  const { SyncSessionToken } = await list(client, datasetName, { IdentityId: identityId, IdentityPoolId: identityPoolId })
  return client.send(
    new UpdateRecordsCommand({
      IdentityPoolId: identityPoolId,
      IdentityId: identityId,
      DatasetName: datasetName,
      SyncSessionToken,
      RecordPatches: patches,
    }),
  )
}

export const put = (Key: string, Value: string, SyncCount = 0): RecordPatch => ({ Op: 'replace', Key, Value, SyncCount })
export const remove = (Key: string, SyncCount: number): RecordPatch => ({ Op: 'remove', Key, SyncCount })

/** Runs `call`, which must throw; returns the error. */
export const failure = async (call: () => Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> => {
  try {
    await call()
  } catch (e) {
    return e as Error
  }
  throw new Error('expected the call to fail')
}
