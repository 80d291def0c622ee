/**
 * Browsers and the emulator: CORS for pages on loopback origins (and the origins allowed), nothing for
 * any other page, and the Host check against DNS rebinding. Over HTTP on 127.0.0.1; the real browser
 * runs in test/browser.
 */
import { once } from 'node:events'
import { connect } from 'node:net'
import { DeleteDatasetCommand } from '@aws-sdk/client-cognito-sync'
import { describe, expect, it } from 'vitest'
import { startEmulator } from '../../src/emulator/index.js'
import { originPolicy } from '../../src/emulator/origins.js'
import { alice, list, pool, put, sdkClient, useEmulator, write } from './harness.js'
import { datasetPath, errorOf, raw } from './raw.js'

/** The preflight a browser sends before the SDK's UpdateRecords. */
const preflight = (endpoint: string, origin: string, extra: Record<string, string> = {}) =>
  raw(endpoint, 'OPTIONS', datasetPath(), undefined, {
    origin,
    'access-control-request-method': 'POST',
    'access-control-request-headers':
      'amz-sdk-invocation-id,amz-sdk-request,authorization,content-type,x-amz-content-sha256,x-amz-date,x-amz-user-agent,x-amz-client-context,x-amz-security-token',
    ...extra,
  })

describe('CORS', () => {
  const ctx = useEmulator()

  for (const origin of ['http://localhost:5173', 'http://127.0.0.1:8080', 'http://[::1]:3000', 'https://localhost', 'http://app.localhost:5173']) {
    it(`grants a preflight from the loopback origin ${origin}`, async () => {
      const r = await preflight(ctx.emulator.endpoint, origin)
      expect(r.status).toBe(204)
      expect(r.headers['access-control-allow-origin']).toBe(origin)
      expect(r.headers['access-control-allow-methods']).toBe('GET, POST, DELETE, OPTIONS')
      expect(r.headers['access-control-allow-headers']?.toString().split(', ').sort()).toEqual([
        'amz-sdk-invocation-id',
        'amz-sdk-request',
        'authorization',
        'content-type',
        'x-amz-client-context',
        'x-amz-content-sha256',
        'x-amz-date',
        'x-amz-security-token',
        'x-amz-user-agent',
      ])
      expect(r.headers['vary']).toBe('Origin')
    })
  }

  it('leaves out requested headers the SDK never sends, and grants private-network access when asked', async () => {
    const r = await preflight(ctx.emulator.endpoint, 'http://localhost:5173', {
      'access-control-request-headers': 'content-type, x-custom, cookie',
      'access-control-request-private-network': 'true',
    })
    expect(r.headers['access-control-allow-headers']).toBe('content-type')
    expect(r.headers['access-control-allow-private-network']).toBe('true')
  })

  for (const origin of ['https://evil.example', 'http://localhost.evil.example', 'null', 'http://127.0.0.1.evil.example:80', 'file://']) {
    it(`refuses the page origin ${origin}, preflight or not, before anything runs`, async () => {
      await write(ctx.client, 'd', [put('k', 'v')])
      const before = ctx.emulator.snapshot()
      const pre = await preflight(ctx.emulator.endpoint, origin)
      expect(pre.status).toBe(403)
      expect(pre.headers['access-control-allow-origin']).toBeUndefined()
      // A request a page may send without a preflight still carries its Origin, and is refused.
      const listed = await raw(ctx.emulator.endpoint, 'GET', `${datasetPath()}/records`, undefined, { origin })
      expect(listed.status).toBe(403)
      expect(errorOf(listed).message).toContain('--cors-origin')
      const deleted = await raw(ctx.emulator.endpoint, 'DELETE', datasetPath(), undefined, { origin })
      expect(deleted.status).toBe(403)
      expect(deleted.headers['access-control-allow-origin']).toBeUndefined()
      expect(ctx.emulator.snapshot()).toEqual(before)
    })
  }

  it('adds the CORS headers to answers and errors for an allowed page, so the SDK can read its request id', async () => {
    const origin = 'http://localhost:5173'
    const ok = await raw(ctx.emulator.endpoint, 'GET', `${datasetPath()}/records`, undefined, { origin })
    expect(ok.status).toBe(200)
    expect(ok.headers['access-control-allow-origin']).toBe(origin)
    expect(ok.headers['access-control-expose-headers']).toBe('x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date')
    const missing = await raw(ctx.emulator.endpoint, 'DELETE', datasetPath(), undefined, { origin })
    expect(errorOf(missing).type).toBe('ResourceNotFoundException')
    expect(missing.headers['access-control-allow-origin']).toBe(origin)
  })

  it('keeps serving the real SDK, which sends no Origin from Node', async () => {
    await write(ctx.client, 'd', [put('k', 'v')])
    expect((await list(ctx.client, 'd')).Records?.map((r) => r.Value)).toEqual(['v'])
    const deleted = await ctx.client.send(new DeleteDatasetCommand({ IdentityPoolId: pool, IdentityId: alice, DatasetName: 'd' }))
    expect(deleted.Dataset?.DatasetName).toBe('d')
  })

  it('answers an OPTIONS without Origin with the methods, not an error', async () => {
    const r = await raw(ctx.emulator.endpoint, 'OPTIONS', '/identitypools')
    expect(r.status).toBe(204)
    expect(r.headers['allow']).toBe('GET, POST, DELETE, OPTIONS')
    expect(ctx.emulator.calls().map((c) => [c.method, c.status])).toEqual([['OPTIONS', 204]])
  })
})

describe('CORS for other origins', () => {
  it('grants the origins given in corsOrigins, and only those', async () => {
    const emulator = await startEmulator({ corsOrigins: ['https://app.example:8443/'] })
    try {
      expect((await preflight(emulator.endpoint, 'https://app.example:8443')).headers['access-control-allow-origin']).toBe(
        'https://app.example:8443',
      )
      expect((await preflight(emulator.endpoint, 'https://app.example')).status).toBe(403)
      expect((await preflight(emulator.endpoint, 'http://localhost:1')).status).toBe(204)
    } finally {
      await emulator.close()
    }
  })

  it('grants every origin with *, and refuses a malformed origin at start', async () => {
    const emulator = await startEmulator({ corsOrigins: ['*'] })
    try {
      expect((await preflight(emulator.endpoint, 'https://anything.example')).status).toBe(204)
    } finally {
      await emulator.close()
    }
    await expect(startEmulator({ corsOrigins: ['app.example'] })).rejects.toThrow(/scheme:\/\/host\[:port\]/)
    await expect(startEmulator({ corsOrigins: ['https://app.example/path'] })).rejects.toThrow(/not an origin/)
  })
})

describe('Host check (DNS rebinding)', () => {
  const ctx = useEmulator()
  const port = () => ctx.emulator.port

  it('serves loopback names and refuses any other name, changing nothing', async () => {
    for (const host of [`localhost:${port()}`, `127.0.0.1:${port()}`, `[::1]:${port()}`, `LOCALHOST:${port()}`, 'localhost', `app.localhost:${port()}`]) {
      const r = await raw(ctx.emulator.endpoint, 'GET', `${datasetPath()}/records`, undefined, { host })
      expect(r.status, host).toBe(200)
    }
    await write(ctx.client, 'd', [put('k', 'v')])
    const before = ctx.emulator.snapshot()
    for (const host of [`evil.example:${port()}`, `localhost.evil.example:${port()}`, `127.0.0.1.nip.io:${port()}`, `evil@localhost:${port()}`, `localhost/x`, '10.0.0.1']) {
      const r = await raw(ctx.emulator.endpoint, 'DELETE', datasetPath(), undefined, { host })
      expect(r.status, host).toBe(403)
      expect(errorOf(r).message).toContain('--allow-host')
    }
    expect(ctx.emulator.snapshot()).toEqual(before)
    // HTTP/1.0 needs no Host; a browser always sends one, so none is refused too.
    const socket = connect(port(), '127.0.0.1')
    socket.end('GET /identitypools HTTP/1.0\r\n\r\n')
    const [chunk] = (await once(socket, 'data')) as [Buffer]
    expect(chunk.toString()).toMatch(/^HTTP\/1\.1 403 /)
  })

  it('accepts the configured host and the names given in allowedHosts', async () => {
    const emulator = await startEmulator({ allowedHosts: ['dev.test', 'fe80::1'] })
    try {
      for (const [host, status] of [['dev.test:1', 200], ['[fe80::1]:1', 200], ['other.test', 403]] as const) {
        expect((await raw(emulator.endpoint, 'GET', '/identitypools', undefined, { host })).status, host).toBe(status)
      }
    } finally {
      await emulator.close()
    }
    await expect(startEmulator({ allowedHosts: ['http://dev.test'] })).rejects.toThrow(/without scheme or port/)
  })

  it('accepts the configured name, and this machine’s addresses when bound to all interfaces', () => {
    expect(originPolicy('my-box.lan', [], []).hostAllowed('my-box.lan:4599')).toBe(true)
    expect(originPolicy('127.0.0.1', [], []).hostAllowed('my-box.lan:4599')).toBe(false)
    expect(originPolicy('0.0.0.0', [], []).hostAllowed('127.0.0.1:4599')).toBe(true)
    expect(originPolicy('::', [], []).hostAllowed('[::1]:4599')).toBe(true)
  })

  it('lets the SDK through when its endpoint names localhost', async () => {
    const client = sdkClient(`http://localhost:${port()}`)
    try {
      expect((await list(client, 'd')).DatasetExists).toBe(false)
    } finally {
      client.destroy()
    }
  })
})
