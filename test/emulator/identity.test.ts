/**
 * Cognito Identity's GetId and GetCredentialsForIdentity, through the real
 * `@aws-sdk/client-cognito-identity` and `fromCognitoIdentityPool`: identity ids `region:uuid`, the
 * service's errors, credentials with an expiry that sign Cognito Sync calls for that identity only.
 */
import {
  CognitoIdentityClient,
  CognitoIdentityServiceException,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  NotAuthorizedException,
  ResourceNotFoundException,
} from '@aws-sdk/client-cognito-identity'
import { ListDatasetsCommand, NotAuthorizedException as SyncNotAuthorized } from '@aws-sdk/client-cognito-sync'
import { fromCognitoIdentityPool } from '@aws-sdk/credential-providers'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../src/emulator/index.js'
import { failure, list, manualClock, pool, put, sdkClient, write, type ManualClock } from './harness.js'
import { errorOf, raw } from './raw.js'

const closedPool = 'eu-west-1:22222222-2222-2222-2222-222222222222'
const uuidId = /^us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/** A JWT as a user pool issues it (unsigned here: the emulator does not verify tokens). */
const jwt = (sub: string, iat = 1): string =>
  ['{"alg":"none"}', JSON.stringify({ sub, iat })].map((p) => Buffer.from(p).toString('base64url')).join('.') + '.sig'
const provider = 'cognito-idp.us-east-1.amazonaws.com/us-east-1_abc'

describe('Cognito Identity', () => {
  let emulator: EmulatorHandle
  let clock: ManualClock
  let identity: CognitoIdentityClient
  const syncClients: ReturnType<typeof sdkClient>[] = []
  const start = async (options: Omit<EmulatorOptions, 'clock'> = {}) => {
    clock = manualClock()
    emulator = await startEmulator({
      identityPools: [{ identityPoolId: pool }, { identityPoolId: closedPool, allowUnauthenticatedIdentities: false }],
      ...options,
      clock,
    })
    identity = new CognitoIdentityClient({ region: 'us-east-1', endpoint: emulator.endpoint, maxAttempts: 1 })
  }
  const syncAs = (c: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) => {
    const client = sdkClient(emulator.endpoint, c)
    syncClients.push(client)
    return client
  }
  afterEach(async () => {
    identity.destroy()
    for (const c of syncClients.splice(0)) c.destroy()
    await emulator.close()
  })

  describe('with signatures off', () => {
    beforeEach(() => start())

    it('GetId issues a new region:uuid identity per unauthenticated call', async () => {
      const a = await identity.send(new GetIdCommand({ IdentityPoolId: pool }))
      const b = await identity.send(new GetIdCommand({ IdentityPoolId: pool, AccountId: '123456789012' }))
      expect(a.IdentityId).toMatch(uuidId)
      expect(b.IdentityId).toMatch(uuidId)
      expect(a.IdentityId).not.toBe(b.IdentityId)
      expect(emulator.snapshot().identityPools.find((p) => p.identityPoolId === pool)?.identities.length).toBe(2)
    })

    it('GetId with a login returns the same identity for the same user, whatever the token', async () => {
      const first = await identity.send(new GetIdCommand({ IdentityPoolId: pool, Logins: { [provider]: jwt('user-1', 1) } }))
      const again = await identity.send(new GetIdCommand({ IdentityPoolId: pool, Logins: { [provider]: jwt('user-1', 2) } }))
      const other = await identity.send(new GetIdCommand({ IdentityPoolId: pool, Logins: { [provider]: jwt('user-2') } }))
      expect(again.IdentityId).toBe(first.IdentityId)
      expect(other.IdentityId).not.toBe(first.IdentityId)
    })

    it('answers the service errors: unknown pool, pool format, unauthenticated access refused', async () => {
      const missing = await failure(() => identity.send(new GetIdCommand({ IdentityPoolId: 'us-east-1:99999999-9999-9999-9999-999999999999' })))
      expect(missing).toBeInstanceOf(ResourceNotFoundException)
      expect(missing.message).toBe("IdentityPool 'us-east-1:99999999-9999-9999-9999-999999999999' not found.")
      expect(missing.$metadata?.httpStatusCode).toBe(400)
      const malformed = await failure(() => identity.send(new GetIdCommand({ IdentityPoolId: 'us-east-1_abcdef' })))
      expect(malformed).toBeInstanceOf(CognitoIdentityServiceException)
      expect(malformed.name).toBe('ValidationException')
      expect(malformed.message).toBe(
        "1 validation error detected: Value 'us-east-1_abcdef' at 'identityPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+",
      )
      const closed = await failure(() => identity.send(new GetIdCommand({ IdentityPoolId: closedPool })))
      expect(closed).toBeInstanceOf(NotAuthorizedException)
      expect(closed.message).toBe('Unauthenticated access is not supported for this identity pool.')
      const signedIn = await identity.send(new GetIdCommand({ IdentityPoolId: closedPool, Logins: { [provider]: jwt('u') } }))
      expect(signedIn.IdentityId).toMatch(/^eu-west-1:/)
    })

    it('GetCredentialsForIdentity: credentials that expire in an hour; unknown identities are not found', async () => {
      const { IdentityId } = await identity.send(new GetIdCommand({ IdentityPoolId: pool }))
      const out = await identity.send(new GetCredentialsForIdentityCommand({ IdentityId }))
      expect(out.IdentityId).toBe(IdentityId)
      expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[0-9A-F]{16}$/)
      expect(out.Credentials?.SecretKey?.length).toBe(40)
      expect(out.Credentials?.SessionToken?.length).toBeGreaterThan(100)
      expect(out.Credentials?.Expiration).toEqual(new Date(clock.now() + 3_600_000))
      const unknown = 'us-east-1:00000000-0000-4000-8000-000000000000'
      const missing = await failure(() => identity.send(new GetCredentialsForIdentityCommand({ IdentityId: unknown })))
      expect(missing).toBeInstanceOf(ResourceNotFoundException)
      expect(missing.message).toBe(`Identity '${unknown}' not found.`)
      const none = await failure(() => identity.send(new GetCredentialsForIdentityCommand({ IdentityId: undefined })))
      expect(none.message).toBe("1 validation error detected: Value null at 'identityId' failed to satisfy constraint: Member must not be null")
    })

    it('an authenticated identity needs one of its logins', async () => {
      const { IdentityId } = await identity.send(new GetIdCommand({ IdentityPoolId: pool, Logins: { [provider]: jwt('u') } }))
      const bare = await failure(() => identity.send(new GetCredentialsForIdentityCommand({ IdentityId })))
      expect(bare).toBeInstanceOf(NotAuthorizedException)
      expect(bare.message).toMatch(/^Logins don't match/)
      const ok = await identity.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: { [provider]: jwt('u', 9) } }))
      expect(ok.IdentityId).toBe(IdentityId)
    })

    it('signing in from an unauthenticated identity merges its sync data into the login’s identity', async () => {
      const user = (await identity.send(new GetIdCommand({ IdentityPoolId: pool, Logins: { [provider]: jwt('u') } }))).IdentityId ?? ''
      const guest = (await identity.send(new GetIdCommand({ IdentityPoolId: pool }))).IdentityId ?? ''
      const sync = sdkClient(emulator.endpoint)
      syncClients.push(sync)
      await write(sync, 'settings', [put('k', 'v')], guest)
      const out = await identity.send(new GetCredentialsForIdentityCommand({ IdentityId: guest, Logins: { [provider]: jwt('u') } }))
      expect(out.IdentityId).toBe(user)
      expect((await list(sync, 'settings', { IdentityId: user })).MergedDatasetNames).toEqual([`settings.${guest}`])
      const gone = await failure(() => identity.send(new GetCredentialsForIdentityCommand({ IdentityId: guest })))
      expect(gone).toBeInstanceOf(ResourceNotFoundException)
    })

    it('answers JSON 1.1: content type, unknown targets, a body that is not an object', async () => {
      const post = (target: string, body: string) =>
        raw(emulator.endpoint, 'POST', '/', body, { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target })
      const ok = await post('AWSCognitoIdentityService.GetId', JSON.stringify({ IdentityPoolId: pool }))
      expect(ok.headers['content-type']).toBe('application/x-amz-json-1.1')
      const unknown = await post('AWSCognitoIdentityService.DeleteIdentityPool', '{}')
      expect([unknown.status, JSON.parse(unknown.text).__type]).toEqual([400, 'UnknownOperationException'])
      const junk = await post('AWSCognitoIdentityService.GetId', '[1]')
      expect([junk.status, errorOf({ ...junk, headers: { ...junk.headers, 'content-type': 'application/json' } }).type]).toEqual([
        400,
        'SerializationException',
      ])
      const many = await post('AWSCognitoIdentityService.GetId', JSON.stringify({ IdentityPoolId: 'x', AccountId: 'y' }))
      expect(JSON.parse(many.text).message).toMatch(/^2 validation errors detected: Value 'y' at 'accountId'.*; Value 'x' at 'identityPoolId'/)
      expect(emulator.calls().map((c) => c.operation)).toEqual(['GetId', undefined, 'GetId', 'GetId'])
    })

    it('fromCognitoIdentityPool gets an identity and credentials that the sync client uses', async () => {
      const provide = fromCognitoIdentityPool({ identityPoolId: pool, clientConfig: { region: 'us-east-1', endpoint: emulator.endpoint } })
      const credentials = await provide()
      expect(credentials.identityId).toMatch(uuidId)
      expect(credentials.expiration).toEqual(new Date(clock.now() + 3_600_000))
      const sync = syncAs(credentials)
      await write(sync, 'd', [put('k', 'v')], credentials.identityId)
      expect((await list(sync, 'd', { IdentityId: credentials.identityId })).Records?.map((r) => r.Value)).toEqual(['v'])
    })
  })

  describe('with signatures checked', () => {
    beforeEach(() => start({ credentials: [{ accessKeyId: 'dev', secretAccessKey: 'dev' }] }))

    const signIn = async () => {
      const { IdentityId = '' } = await identity.send(new GetIdCommand({ IdentityPoolId: pool }))
      const { Credentials } = await identity.send(new GetCredentialsForIdentityCommand({ IdentityId }))
      return {
        identityId: IdentityId,
        credentials: { accessKeyId: Credentials?.AccessKeyId ?? '', secretAccessKey: Credentials?.SecretKey ?? '', sessionToken: Credentials?.SessionToken ?? '' },
      }
    }

    it('issued credentials sign Cognito Sync calls for their identity, in their pool, only', async () => {
      const me = await signIn()
      const other = await signIn()
      const sync = syncAs(me.credentials)
      await write(sync, 'd', [put('k', 'v')], me.identityId)
      for (const call of [
        () => list(sync, 'd', { IdentityId: other.identityId }),
        () => list(sync, 'd', { IdentityId: me.identityId, IdentityPoolId: closedPool }),
        () => sync.send(new ListDatasetsCommand({ IdentityPoolId: pool, IdentityId: other.identityId })),
      ]) {
        expect(await failure(call)).toBeInstanceOf(SyncNotAuthorized)
      }
    })

    it('refuses issued credentials without their session token, and after they expire', async () => {
      const me = await signIn()
      const { sessionToken: _dropped, ...noToken } = me.credentials
      expect(await failure(() => list(syncAs(noToken), 'd', { IdentityId: me.identityId }))).toBeInstanceOf(SyncNotAuthorized)
      const sync = syncAs(me.credentials)
      expect((await list(sync, 'd', { IdentityId: me.identityId })).DatasetExists).toBe(false)
      clock.advance(3_600_001)
      const expired = await failure(() => list(sync, 'd', { IdentityId: me.identityId }))
      expect(expired.message).toBe('The security token included in the request is expired')
    })
  })

  it('keeps issued identities in the data file across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cognito-identity-'))
    try {
      await start({ dataFile: join(dir, 'state.json') })
      const { IdentityId } = await identity.send(new GetIdCommand({ IdentityPoolId: pool }))
      identity.destroy()
      await emulator.close()
      await start({ dataFile: join(dir, 'state.json') })
      expect((await identity.send(new GetCredentialsForIdentityCommand({ IdentityId }))).IdentityId).toBe(IdentityId)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
