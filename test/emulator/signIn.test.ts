/**
 * Cognito Identity's sign-in paths at their edges, through the real `@aws-sdk/client-cognito-identity`:
 * which user a token names, logins of different identities given together, logins added to an
 * identity (and kept across a restart), a merge that cannot happen, a pool closed to unauthenticated
 * identities after they were issued, and issued credentials at the instant they expire.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  CognitoIdentityClient,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  NotAuthorizedException,
  ResourceConflictException,
} from '@aws-sdk/client-cognito-identity'
import { NotAuthorizedException as SyncNotAuthorized } from '@aws-sdk/client-cognito-sync'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../src/emulator/index.js'
import { failure, list, manualClock, pool, put, sdkClient, write, type ManualClock } from './harness.js'

const google = 'accounts.google.com'
const userPool = 'cognito-idp.us-east-1.amazonaws.com/us-east-1_abc'
const base64url = (s: string) => Buffer.from(s).toString('base64url')
/** A JWT as a user pool issues it, unsigned (the emulator does not verify tokens). */
const jwt = (claims: Record<string, unknown>): string => `${base64url('{"alg":"none"}')}.${base64url(JSON.stringify(claims))}.sig`

describe('sign-in edges', () => {
  let dir: string
  let emulator: EmulatorHandle
  let clock: ManualClock
  let identity: CognitoIdentityClient
  const start = async (options: Omit<EmulatorOptions, 'clock' | 'dataFile'> = {}) => {
    emulator = await startEmulator({ identityPools: [{ identityPoolId: pool }], ...options, clock, dataFile: join(dir, 'state.json') })
    identity = new CognitoIdentityClient({ region: 'us-east-1', endpoint: emulator.endpoint, maxAttempts: 1 })
  }
  const stop = async () => {
    identity.destroy()
    await emulator.close()
  }
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sign-in-'))
    clock = manualClock()
    await start()
  })
  afterEach(async () => {
    await stop()
    rmSync(dir, { recursive: true, force: true })
  })

  const getId = async (Logins?: Record<string, string>) =>
    (await identity.send(new GetIdCommand({ IdentityPoolId: pool, ...(Logins === undefined ? {} : { Logins }) }))).IdentityId ?? ''
  const credentialsFor = (IdentityId: string, Logins?: Record<string, string>) =>
    identity.send(new GetCredentialsForIdentityCommand({ IdentityId, ...(Logins === undefined ? {} : { Logins }) }))
  const loginsOf = (id: string) =>
    emulator.snapshot().identityPools.find((p) => p.identityPoolId === pool)?.identities.find((i) => i.identityId === id)?.logins

  it('a token names its user by its sub claim only when it is a JWT with a non-empty string sub', async () => {
    const alice = await getId({ [userPool]: jwt({ sub: 'alice', iat: 1 }) })
    expect(await getId({ [userPool]: jwt({ sub: 'alice', iat: 2 }) })).toBe(alice)
    expect(loginsOf(alice)).toEqual([{ provider: userPool, subject: 'alice' }])
    // No usable sub: the token's text names the user, so another token is another user.
    for (const claims of [{ sub: '', iat: 1 }, { sub: 7 }, { iat: 1 }]) {
      const token = jwt(claims)
      const first = await getId({ [userPool]: token })
      expect(await getId({ [userPool]: token }), JSON.stringify(claims)).toBe(first)
      expect(await getId({ [userPool]: jwt({ ...claims, iat: 3 }) }), JSON.stringify(claims)).not.toBe(first)
      expect(loginsOf(first), JSON.stringify(claims)).toEqual([{ provider: userPool, subject: token }])
    }
    // Three parts that are not a JWT, and two parts: the text again.
    for (const token of ['a.b.c', `x.${base64url('not json')}.y`, `${base64url('{}')}.${base64url('{"sub":"alice"}')}`]) {
      const id = await getId({ [userPool]: token })
      expect(id, token).not.toBe(alice)
      expect(loginsOf(id), token).toEqual([{ provider: userPool, subject: token }])
    }
    // The same sub from another provider is another user.
    expect(await getId({ [google]: jwt({ sub: 'alice' }) })).not.toBe(alice)
  })

  it('GetId: logins of two identities together are a conflict; a known login with a new one adds it, once', async () => {
    const a = await getId({ [userPool]: 'user-a' })
    const b = await getId({ [google]: 'user-b' })
    const both = await failure(() => getId({ [userPool]: 'user-a', [google]: 'user-b' }))
    expect([both.name, both.message]).toEqual(['ResourceConflictException', 'The logins given belong to different identities.'])
    expect(await getId({ [userPool]: 'user-a', [google]: 'new' })).toBe(a)
    expect(await getId({ [userPool]: 'user-a', [google]: 'new' })).toBe(a)
    expect(loginsOf(a)).toEqual([
      { provider: userPool, subject: 'user-a' },
      { provider: google, subject: 'new' },
    ])
    expect(await getId({ [google]: 'new' })).toBe(a)
    expect(loginsOf(b)).toEqual([{ provider: google, subject: 'user-b' }])
  })

  it('GetCredentialsForIdentity: a new login is linked to the unauthenticated identity, and kept across a restart', async () => {
    const guest = await getId()
    // The last call before the restart: nothing else saves the state after it.
    expect((await credentialsFor(guest, { [userPool]: 'u' })).IdentityId).toBe(guest)
    await stop()
    await start()
    expect(await getId({ [userPool]: 'u' })).toBe(guest)
    expect(loginsOf(guest)).toEqual([{ provider: userPool, subject: 'u' }])
    // Now authenticated: it needs its login, which may come with a new one (added).
    expect(await failure(() => credentialsFor(guest))).toBeInstanceOf(NotAuthorizedException)
    expect((await credentialsFor(guest, { [userPool]: 'u', [google]: 'g' })).IdentityId).toBe(guest)
    expect(await getId({ [google]: 'g' })).toBe(guest)
  })

  it('GetCredentialsForIdentity: a signed-in identity takes any one of its logins, and no login of its own is refused', async () => {
    const user = await getId({ [userPool]: 'u', [google]: 'g' })
    for (const logins of [{ [userPool]: 'u' }, { [google]: 'g' }, { [google]: 'g', [userPool]: 'u' }]) {
      expect((await credentialsFor(user, logins)).IdentityId, JSON.stringify(logins)).toBe(user)
    }
    const before = emulator.snapshot()
    for (const logins of [{ [userPool]: 'someone-else' }, { 'graph.facebook.com': 'f' }]) {
      const e = await failure(() => credentialsFor(user, logins))
      expect([e.name, e.message], JSON.stringify(logins)).toEqual([
        'NotAuthorizedException',
        "Logins don't match. Please include at least one valid login for this identity or identity pool.",
      ])
    }
    expect(emulator.snapshot()).toEqual(before)
  })

  it('validates the pool id GetId needs and the CustomRoleArn GetCredentialsForIdentity may take', async () => {
    const none = await failure(() => identity.send(new GetIdCommand({ IdentityPoolId: undefined })))
    expect([none.name, none.message]).toEqual([
      'ValidationException',
      "1 validation error detected: Value null at 'identityPoolId' failed to satisfy constraint: Member must not be null",
    ])
    const guest = await getId()
    const role = await failure(() => identity.send(new GetCredentialsForIdentityCommand({ IdentityId: guest, CustomRoleArn: 'arn:short' })))
    expect([role.name, role.message]).toEqual([
      'ValidationException',
      "1 validation error detected: Value 'arn:short' at 'customRoleArn' failed to satisfy constraint: Member must have length greater than or equal to 20",
    ])
  })

  it('GetCredentialsForIdentity: a merge moves the new logins too, and is kept across a restart', async () => {
    const user = await getId({ [userPool]: 'u' })
    const guest = await getId()
    const out = await credentialsFor(guest, { [userPool]: 'u', [google]: 'g' })
    expect(out.IdentityId).toBe(user)
    await stop()
    await start()
    expect(await getId({ [google]: 'g' })).toBe(user)
    expect(loginsOf(user)).toEqual([
      { provider: userPool, subject: 'u' },
      { provider: google, subject: 'g' },
    ])
    expect(loginsOf(guest)).toBeUndefined()
  })

  it('GetCredentialsForIdentity: logins of other identities are a conflict, changing nothing', async () => {
    const a = await getId({ [userPool]: 'user-a' })
    const b = await getId({ [google]: 'user-b' })
    const guest = await getId()
    const before = emulator.snapshot()
    for (const [id, logins] of [
      [a, { [userPool]: 'user-a', [google]: 'user-b' }],
      [guest, { [userPool]: 'user-a', [google]: 'user-b' }],
    ] as const) {
      const e = await failure(() => credentialsFor(id, logins))
      expect(e).toBeInstanceOf(ResourceConflictException)
      expect(e.message).toBe('The logins given belong to different identities.')
    }
    expect(emulator.snapshot()).toEqual(before)
    expect((await credentialsFor(b, { [google]: 'user-b' })).IdentityId).toBe(b)
  })

  it('GetCredentialsForIdentity: a merge whose dataset name is taken is a conflict, changing nothing', async () => {
    const user = await getId({ [userPool]: 'u' })
    const guest = await getId()
    const sync = sdkClient(emulator.endpoint)
    try {
      await write(sync, 'settings', [put('k', 'guest')], guest)
      await write(sync, `settings.${guest}`, [put('k', 'taken')], user)
      const before = emulator.snapshot()
      const e = await failure(() => credentialsFor(guest, { [userPool]: 'u' }))
      expect(e).toBeInstanceOf(ResourceConflictException)
      expect(e.message).toBe(`Dataset settings.${guest} already exists`)
      expect(emulator.snapshot()).toEqual(before)
      expect((await list(sync, 'settings', { IdentityId: guest })).Records?.map((r) => r.Value)).toEqual(['guest'])
    } finally {
      sync.destroy()
    }
  })

  it('an unauthenticated identity of a pool since closed to them needs a login', async () => {
    const guest = await getId()
    await stop()
    await start({ identityPools: [{ identityPoolId: pool, allowUnauthenticatedIdentities: false }] })
    const refused = await failure(() => credentialsFor(guest))
    expect([refused.name, refused.message]).toEqual(['NotAuthorizedException', 'Unauthenticated access is not supported for this identity pool.'])
    expect((await credentialsFor(guest, { [userPool]: 'u' })).IdentityId).toBe(guest)
  })

  it('issued credentials sign until the very instant they expire, whoever signs in meanwhile', async () => {
    await stop()
    await start({ credentials: [{ accessKeyId: 'dev', secretAccessKey: 'dev' }] })
    const signIn = async () => {
      const id = await getId()
      const { Credentials } = await credentialsFor(id)
      return { id, credentials: { accessKeyId: Credentials?.AccessKeyId ?? '', secretAccessKey: Credentials?.SecretKey ?? '', sessionToken: Credentials?.SessionToken ?? '' } }
    }
    const me = await signIn()
    const sync = sdkClient(emulator.endpoint, me.credentials)
    try {
      clock.advance(3_600_000)
      // Another sign-in at the instant mine expires clears expired credentials, not mine.
      await signIn()
      expect((await list(sync, 'd', { IdentityId: me.id })).DatasetExists).toBe(false)
      clock.advance(1)
      expect(await failure(() => list(sync, 'd', { IdentityId: me.id }))).toBeInstanceOf(SyncNotAuthorized)
    } finally {
      sync.destroy()
    }
  })
})
