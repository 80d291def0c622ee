// examples/device against the emulator's Cognito Identity (GetId, GetCredentialsForIdentity) with
// signature checking on: the app signs in as a guest or a user, gets the identity id and credentials
// from fromCognitoIdentityPool, and syncs with them; only credentials issued for that identity pass.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CognitoSyncClient } from '@aws-sdk/client-cognito-sync'
import { createSyncManager } from 'cognito-reconcile/app'
import { type EmulatorHandle, startEmulator } from 'cognito-reconcile/emulator'
import { lastWriterWins } from 'cognito-reconcile/strategies'
import { type LocalStore, memoryStore } from 'cognito-reconcile/stores'
import { start } from '../../examples/device/app.js'

const identityPoolId = 'us-east-1:11111111-1111-1111-1111-111111111111'

let emulator: EmulatorHandle
beforeEach(async () => {
  // `credentials: []`: every Cognito Sync call must be signed, and only issued credentials can sign
  emulator = await startEmulator({ identityPools: [{ identityPoolId }], credentials: [] })
})
afterEach(async () => {
  await emulator.close()
})

/** A storage as localStorage or AsyncStorage is, that outlives an app launch. */
const deviceStorage = () => {
  const entries = new Map<string, string>()
  return { getItem: (key: string) => entries.get(key) ?? null, setItem: (key: string, value: string) => void entries.set(key, value), removeItem: (key: string) => void entries.delete(key) }
}

/** One launch of the app on a device: sign in, then the caller's work, then stop. */
const launch = async <A>(device: { cache: ReturnType<typeof deviceStorage>; store: LocalStore }, logins: Record<string, string> | undefined, work: (app: Awaited<ReturnType<typeof start>>) => Promise<A>) => {
  const app = await start({ region: 'us-east-1', identityPoolId, endpoint: emulator.endpoint, ...device, ...(logins && { logins, userIdentifier: 'user-1' }) })
  try {
    return { identityId: app.identityId, answer: await work(app) }
  } finally {
    app.stop()
  }
}

const calls = (operation: string) => emulator.calls().filter((call) => call.operation === operation).length

/** A token as an identity provider gives it: the emulator names the user by its `sub`. */
const jwt = (sub: string) => ['{"alg":"none"}', JSON.stringify({ sub }), ''].map((part) => Buffer.from(part).toString('base64url')).join('.')

describe('examples/device', () => {
  it('a guest: GetId once, signed syncs, and the same identity at the next launch', async () => {
    const phone = { cache: deviceStorage(), store: memoryStore() }
    const first = await launch(phone, undefined, async ({ cognito }) => {
      await cognito.dataset('game').put('coins', '100')
      return (await cognito.dataset('game').sync()).pushed
    })
    expect(first.identityId).toMatch(/^us-east-1:[0-9a-f-]{36}$/)
    expect(first.answer).toEqual(['coins'])
    const again = await launch(phone, undefined, async ({ cognito }) => {
      await cognito.dataset('game').sync()
      return cognito.dataset('game').list()
    })
    expect(again.identityId).toBe(first.identityId)
    expect(again.answer).toEqual([{ key: 'coins', value: '100' }])
    expect(calls('GetId')).toBe(1)
    expect(calls('GetCredentialsForIdentity')).toBeGreaterThanOrEqual(2)
    // every Cognito Sync call was signed by credentials issued for this identity
    expect(emulator.calls().filter((call) => call.operation === 'ListRecords' || call.operation === 'UpdateRecords').map((call) => call.status)).toEqual([200, 200, 200])
    // and the check is on: keys of no identity are refused
    const client = new CognitoSyncClient({ region: 'us-east-1', endpoint: emulator.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 })
    const unsigned = createSyncManager({ client, store: memoryStore(), identityPoolId, identityId: first.identityId, deviceId: 'other', strategy: lastWriterWins })
    await expect(unsigned.dataset('game').sync()).rejects.toMatchObject({ name: 'NotAuthorized' })
    client.destroy()
  })

  it('a device that lost its identity cache is a new guest, with none of the old data', async () => {
    const store = memoryStore()
    const first = await launch({ cache: deviceStorage(), store }, undefined, async ({ cognito }) => cognito.dataset('game').put('coins', '100'))
    const lost = await launch({ cache: deviceStorage(), store: memoryStore() }, undefined, async ({ cognito }) => {
      await cognito.dataset('game').sync()
      return cognito.dataset('game').list()
    })
    expect(lost.identityId).not.toBe(first.identityId)
    expect(lost.answer).toEqual([])
  })

  it('a signed-in user: the same identity, and the same data, on two devices', async () => {
    const logins = { 'cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI': jwt('user-1') }
    const phone = await launch({ cache: deviceStorage(), store: memoryStore() }, logins, async ({ cognito }) => {
      await cognito.dataset('settings').put('theme', 'dark')
      return (await cognito.dataset('settings').sync()).pushed
    })
    const tablet = await launch({ cache: deviceStorage(), store: memoryStore() }, logins, async ({ cognito }) => {
      await cognito.dataset('settings').sync()
      return cognito.dataset('settings').get('theme')
    })
    expect(tablet.identityId).toBe(phone.identityId)
    expect(tablet.answer).toBe('dark')
  })

  it('main.ts runs the flow offline with --emulator', { timeout: 180_000 }, async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'examples/device/main.ts', '--emulator'], { timeout: 170_000 })
    expect(stdout).toMatch(/^identity us-east-1:[0-9a-f-]{36}: pushed lastLaunch; the dataset holds \[\{"key":"lastLaunch","value":"[0-9T:.Z-]+"\}\]\n$/)
  })
})
