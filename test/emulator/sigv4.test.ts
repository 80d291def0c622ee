/**
 * Signature checking: the real SDK's signatures verify; a wrong secret, an unknown key, an unsigned
 * or tampered request, and a bound key reaching another identity all answer NotAuthorizedException.
 */
import { ListIdentityPoolUsageCommand, NotAuthorizedException } from '@aws-sdk/client-cognito-sync'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js'
import { alice, bob, failure, list, manualClock, pool, put, sdkClient, write } from './harness.js'
import { datasetPath, errorOf, raw } from './raw.js'

describe('SigV4 verification', () => {
  let emulator: EmulatorHandle
  const clients: ReturnType<typeof sdkClient>[] = []
  const client = (accessKeyId: string, secretAccessKey: string, sessionToken?: string) => {
    const c = sdkClient(emulator.endpoint, { accessKeyId, secretAccessKey, ...(sessionToken === undefined ? {} : { sessionToken }) })
    clients.push(c)
    return c
  }
  beforeEach(async () => {
    emulator = await startEmulator({
      clock: manualClock(),
      credentials: [
        { accessKeyId: 'test', secretAccessKey: 'test' },
        { accessKeyId: 'AKIDALICE', secretAccessKey: 'alice/secret+key', identityPoolId: pool, identityIds: [alice] },
      ],
    })
  })
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy()
    await emulator.close()
  })

  it('accepts correctly signed SDK calls: bodies, queries with +/= and encoded labels, session tokens', async () => {
    const c = client('test', 'test')
    await write(c, 'd:1.x', [put('ab', 'v+/= ü'), put('cd', '1'), put('k', '2')])
    const page = await list(c, 'd:1.x', { MaxResults: 1 })
    expect(page.NextToken).toMatch(/[+/=]/)
    expect((await list(c, 'd:1.x', { MaxResults: 1, NextToken: page.NextToken ?? '' })).Count).toBe(1)
    expect((await list(client('test', 'test', 'session/token=='), 'd:1.x')).DatasetExists).toBe(true)
    await client('test', 'test').send(new ListIdentityPoolUsageCommand({}))
  })

  it('answers 403 NotAuthorizedException for a wrong secret or an unknown key, naming neither', async () => {
    for (const c of [client('test', 'wrong'), client('AKIDUNKNOWN', 'test')]) {
      const e = await failure(() => list(c, 'd'))
      expect(e).toBeInstanceOf(NotAuthorizedException)
      expect(e.$metadata?.httpStatusCode).toBe(403)
      expect(e.message).not.toMatch(/test|wrong|AKID/)
    }
  })

  it('refuses unsigned requests and a signed request whose body was changed', async () => {
    const unsigned = await raw(emulator.endpoint, 'GET', `${datasetPath()}/records`)
    expect(unsigned.status).toBe(403)
    expect(errorOf(unsigned).type).toBe('NotAuthorizedException')
    const c = client('test', 'test')
    const captured: { headers?: Record<string, string>; body?: string } = {}
    c.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { headers: Record<string, string>; body: string }
        captured.headers = { ...request.headers }
        captured.body = request.body
        return next(args)
      },
      { step: 'finalizeRequest', priority: 'low' },
    )
    await write(c, 'd', [put('k', 'v')])
    const headers = { ...captured.headers }
    delete headers['content-length']
    // Unchanged, the replay passes the signature check and reaches the conflict check.
    expect((await raw(emulator.endpoint, 'POST', datasetPath(), captured.body, headers)).status).toBe(409)
    const replay = await raw(emulator.endpoint, 'POST', datasetPath(), (captured.body ?? '').replace('"v"', '"w"'), headers)
    expect(replay.status).toBe(403)
    expect(replay.text).not.toContain(headers['authorization']?.slice(-64) ?? 'no signature')
  })

  it('binds a key to its identities: another identity or a pool-level call is NotAuthorizedException', async () => {
    const c = client('AKIDALICE', 'alice/secret+key')
    await write(c, 'd', [put('k', 'v')])
    expect(await failure(() => list(c, 'd', { IdentityId: bob }))).toBeInstanceOf(NotAuthorizedException)
    expect(await failure(() => c.send(new ListIdentityPoolUsageCommand({})))).toBeInstanceOf(NotAuthorizedException)
    expect(emulator.snapshot().pools[0]?.identities.map((i) => i.identityId)).toEqual([alice])
  })

  it('binds a key to its pool too: the same identity id under another pool is NotAuthorizedException', async () => {
    const c = client('AKIDALICE', 'alice/secret+key')
    const otherPool = 'eu-west-1:22222222-2222-2222-2222-222222222222'
    expect(await failure(() => write(c, 'd', [put('k', 'v')], alice, otherPool))).toBeInstanceOf(NotAuthorizedException)
    expect(emulator.snapshot().pools).toEqual([])
    await expect(
      startEmulator({ credentials: [{ accessKeyId: 'K', secretAccessKey: 'S', identityIds: [alice] } as never] }),
    ).rejects.toThrow(/needs their identityPoolId/)
  })

  it('answers junk signatures with 403, never a 5xx', async () => {
    const hex = fc.stringMatching(/^[0-9a-f]{64}$/)
    const authorization = fc.oneof(
      fc.string(),
      fc
        .tuple(fc.constantFrom('test', 'AKIDALICE', 'x'), fc.stringMatching(/^[0-9]{8}$/), fc.stringMatching(/^[a-z;-]{0,40}$/), hex)
        .map(([k, d, h, sig]) => `AWS4-HMAC-SHA256 Credential=${k}/${d}/us-east-1/cognito-sync/aws4_request, SignedHeaders=${h}, Signature=${sig}`),
    )
    const date = fc.oneof(fc.string({ maxLength: 16 }), fc.stringMatching(/^[0-9]{8}T[0-9]{6}Z$/))
    await fc.assert(
      fc.asyncProperty(authorization, date, fc.option(fc.string({ maxLength: 64 }), { nil: undefined }), async (a, d, sha) => {
        const headers: Record<string, string> = { authorization: a, 'x-amz-date': d, ...(sha === undefined ? {} : { 'x-amz-content-sha256': sha }) }
        const r = await raw(emulator.endpoint, 'GET', `${datasetPath()}/records`, undefined, headers).catch(() => undefined)
        if (r !== undefined) expect(r.status).toBe(403)
      }),
      { numRuns: Number(process.env['FC_NUM_RUNS'] ?? 40) },
    )
  })
})
