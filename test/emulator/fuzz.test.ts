/**
 * Fuzz: random sequences of well-formed, half-formed and junk requests. Properties: no answer is a
 * 5xx, every error carries the protocol's error encoding, the server keeps answering, and a
 * rejected call leaves the stored state exactly as it was.
 */
import { connect, type Socket } from 'node:net'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js'
import { patience } from '../sync/harness.js'
import { serverEnds } from './arrivals.js'
import { alice, bob, list, manualClock, pool, sdkClient } from './harness.js'
import { errorOf, raw } from './raw.js'

const numRuns = Number(process.env['FC_NUM_RUNS'] ?? 40)

const idArb = fc.constantFrom(pool, alice, bob, 'us-east-1:XYZ', 'nocolon', '', 'a:'.padEnd(60, 'f'))
const nameArb = fc.oneof(fc.constantFrom('d', 'e', 'x.y:z', '__proto__', 'bad name', ''), fc.string({ maxLength: 6 }))
const keyArb = fc.oneof(fc.constantFrom('k1', 'k2', '__proto__', 'constructor', ''), fc.string({ maxLength: 10 }))
const segment = (s: string) => encodeURIComponent(s)

const pathArb = fc.oneof(
  fc.tuple(idArb, idArb, nameArb, fc.constantFrom('', '/records', '/subscriptions/dev', '/x')).map(
    ([p, i, d, tail]) => `/identitypools/${segment(p)}/identities/${segment(i)}/datasets/${segment(d)}${tail}`,
  ),
  fc.tuple(idArb, idArb).map(([p, i]) => `/identitypools/${segment(p)}/identities/${segment(i)}/datasets`),
  fc.tuple(idArb, fc.constantFrom('', '/configuration', '/events', '/bulkpublish', '/getBulkPublishDetails')).map(
    ([p, tail]) => `/identitypools/${segment(p)}${tail}`,
  ),
  fc
    .array(fc.oneof(fc.string({ maxLength: 8 }).map(segment), fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', '..')), {
      maxLength: 8,
    })
    .map((parts) => `/${parts.join('/')}`),
)

const queryValue = fc.oneof(fc.nat({ max: 5 }).map(String), fc.string({ maxLength: 6 }), fc.constant('-1'))
const queryArb = fc
  .array(fc.tuple(fc.constantFrom('lastSyncCount', 'maxResults', 'nextToken', 'syncSessionToken', 'other'), queryValue), {
    maxLength: 3,
  })
  .map((pairs) => (pairs.length === 0 ? '' : `?${new URLSearchParams(pairs).toString()}`))

const patchArb = fc.record(
  {
    Op: fc.oneof(fc.constantFrom('replace', 'remove'), fc.string({ maxLength: 4 })),
    Key: fc.oneof(keyArb, fc.integer()),
    Value: fc.oneof(fc.string({ maxLength: 12 }), fc.integer()),
    SyncCount: fc.oneof(fc.nat({ max: 4 }), fc.integer({ min: -2, max: 2 }), fc.double(), fc.string({ maxLength: 2 })),
    DeviceLastModifiedDate: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string({ maxLength: 4 })),
  },
  { requiredKeys: [] },
)

/** `token: true` puts in the latest SyncSessionToken the path was given by a listing. */
const bodyArb = fc.oneof(
  fc.record({ token: fc.boolean(), patches: fc.array(patchArb, { maxLength: 4 }) }).map((b) => ({ kind: 'update' as const, ...b })),
  fc.json().map((text) => ({ kind: 'text' as const, text })),
  fc.string({ maxLength: 20 }).map((text) => ({ kind: 'text' as const, text })),
  fc.uint8Array({ maxLength: 16 }).map((bytes) => ({ kind: 'bytes' as const, bytes })),
  fc.constant({ kind: 'none' as const }),
)

const junkRequestArb = fc.record({
  method: fc.oneof(fc.constantFrom('GET', 'POST', 'DELETE'), fc.constantFrom('PUT', 'PATCH', 'OPTIONS')),
  path: pathArb,
  query: queryArb,
  body: bodyArb,
})

/** Well-formed calls, so that sequences also reach the state-changing paths. */
const validPathArb = fc
  .tuple(fc.constantFrom(alice, bob), fc.constantFrom('d', 'e', 'f'))
  .map(([i, d]) => `/identitypools/${segment(pool)}/identities/${segment(i)}/datasets/${d}`)
const validPatchArb = fc.record({
  Op: fc.constantFrom('replace', 'remove'),
  Key: fc.constantFrom('k1', 'k2', '__proto__'),
  Value: fc.string({ maxLength: 12 }),
  SyncCount: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat({ max: 3 }) }),
})
const validRequestArb = fc.oneof(
  validPathArb.map((path) => ({ method: 'GET', path: `${path}/records`, query: '', body: { kind: 'none' as const } })),
  fc.tuple(validPathArb, fc.uniqueArray(validPatchArb, { selector: (p) => p.Key, minLength: 1, maxLength: 3 })).map(
    ([path, patches]) => ({ method: 'POST', path, query: '', body: { kind: 'update' as const, token: true, patches } }),
  ),
  validPathArb.map((path) => ({ method: 'DELETE', path, query: '', body: { kind: 'none' as const } })),
)

const requestArb = fc.oneof(junkRequestArb, validRequestArb)

type Request = typeof requestArb extends fc.Arbitrary<infer A> ? A : never

const datasetOf = (path: string) => path.replace(/\/records$/, '')

describe('fuzz', () => {
  let emulator: EmulatorHandle
  const tokens = new Map<string, string>()
  beforeAll(async () => {
    const limits = { maxRecordsPerDataset: 3, maxDatasetBytes: 40, maxDatasetsPerIdentity: 2, maxKeyLength: 8, maxRequestBodyBytes: 4096 }
    emulator = await startEmulator({ clock: manualClock(), limits })
  })
  afterAll(() => emulator.close())

  const body = (r: Request): string | Buffer | undefined => {
    switch (r.body.kind) {
      case 'update': {
        const token = r.body.token ? tokens.get(datasetOf(r.path)) : undefined
        return JSON.stringify({ ...(token === undefined ? {} : { SyncSessionToken: token }), RecordPatches: r.body.patches })
      }
      case 'text':
        return r.body.text
      case 'bytes':
        return Buffer.from(r.body.bytes)
      case 'none':
        return undefined
    }
  }

  const listFor = async (path: string) => {
    const res = await raw(emulator.endpoint, 'GET', `${path}/records`)
    if (res.status === 200) tokens.set(path, (JSON.parse(res.text) as { SyncSessionToken: string }).SyncSessionToken)
  }

  /** A call through the real SDK: its status as the client saw it, and its request id. */
  const viaSdk = async (identityId: string, datasetName: string): Promise<{ status: number; requestId: string | undefined }> => {
    const client = sdkClient(emulator.endpoint)
    try {
      const out = await list(client, datasetName, { IdentityId: identityId })
      return { status: out.$metadata.httpStatusCode ?? 0, requestId: out.$metadata.requestId }
    } catch (e) {
      const meta = (e as { $metadata?: { httpStatusCode?: number; requestId?: string } }).$metadata
      return { status: meta?.httpStatusCode ?? 0, requestId: meta?.requestId }
    } finally {
      client.destroy()
    }
  }

  it('never answers 5xx, a rejected call changes no state, and the call log records exactly what each client got', async () => {
    const sdkArb = fc.tuple(idArb, nameArb).map(([identityId, datasetName]) => ({ sdk: true as const, identityId, datasetName }))
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof({ weight: 4, arbitrary: requestArb }, { weight: 1, arbitrary: sdkArb }), { minLength: 1, maxLength: 25 }), async (steps) => {
        for (const step of steps) {
          if ('sdk' in step) {
            const logged = emulator.calls().length
            const got = await viaSdk(step.identityId, step.datasetName)
            // The SDK refuses an empty label before sending: then nothing reaches the log.
            const last = emulator.calls().at(-1)
            if (got.requestId === undefined) expect(emulator.calls().length).toBe(logged)
            else expect([emulator.calls().length, last?.status, last?.requestId]).toEqual([logged + 1, got.status, got.requestId])
            expect(got.status).toBeLessThan(500)
            continue
          }
          const r = step
          if (r.body.kind === 'update' && r.body.token && !tokens.has(r.path)) await listFor(r.path)
          const before = emulator.snapshot()
          const logged = emulator.calls().length
          const res = await raw(emulator.endpoint, r.method, `${r.path}${r.query}`, body(r))
          const last = emulator.calls().at(-1)
          expect([emulator.calls().length, last?.status, last?.requestId]).toEqual([logged + 1, res.status, res.headers['x-amzn-requestid']])
          expect(res.status).toBeLessThan(500)
          if (res.status >= 400) {
            expect(errorOf(res).type).toMatch(/^[A-Za-z]+$/)
            expect(emulator.snapshot()).toEqual(before)
          } else if (r.method === 'GET' && r.path.endsWith('/records')) {
            tokens.set(datasetOf(r.path), (JSON.parse(res.text) as { SyncSessionToken: string }).SyncSessionToken)
          }
        }
      }),
      { numRuns },
    )
    expect(emulator.calls().every((c) => c.status < 500)).toBe(true)
    expect(emulator.calls().some((c) => c.operation === 'UpdateRecords' && c.status === 200)).toBe(true)
  })
})

describe('fuzz: stalled, cut and reset clients', () => {
  it('keeps the bodies it holds within maxBufferedBytes, logs no 5xx, and serves afterwards', async () => {
    const budget = 1_000_000
    // One buffer for every client's body, so that the test's own allocations do not blur the measure.
    const payload = Buffer.alloc(400_000, 'a')
    const path = `/identitypools/${segment(pool)}/identities/${segment(alice)}/datasets/d`
    const emulator = await startEmulator({ clock: manualClock(), limits: { maxBufferedBytes: budget } })
    const serverEnd = serverEnds(emulator.port)
    const client = sdkClient(emulator.endpoint)
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ size: fc.integer({ min: 1, max: 400_000 }), end: fc.constantFrom('stall', 'close', 'reset') }), { minLength: 5, maxLength: 30 }),
          async (clients) => {
            const start = process.memoryUsage().arrayBuffers
            const logged = emulator.calls().length
            const sockets = clients.map(() => connect(emulator.port, '127.0.0.1').on('error', () => undefined))
            const answers = sockets.map(() => '')
            for (const [i, socket] of sockets.entries()) socket.on('data', (chunk: Buffer) => (answers[i] += chunk.toString()))
            const heads = clients.map(({ size }) => `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-length: ${size + 10}\r\n\r\n`)
            const sent = clients.map(({ size }, i) => (heads[i]?.length ?? 0) + size)
            // a client answered before its body is complete was refused; it reads the answer to its end
            const answered = (i: number) => sockets[i]?.readableEnded === true
            let ends: ReadonlyArray<Socket | undefined> = []
            try {
              await Promise.all(sockets.map((socket) => new Promise((r) => socket.once('connect', r))))
              const ports = sockets.map((socket) => socket.localPort)
              for (const [i, socket] of sockets.entries()) {
                socket.write(heads[i] ?? '')
                socket.write(payload.subarray(0, clients[i]?.size ?? 0))
              }
              // The emulator has taken in all each client sent, or answered it, and each refusal it logged has reached its client.
              await vi.waitFor(() => {
                ends = ports.map(serverEnd)
                expect(sent.every((bytes, i) => answered(i) || ends[i]?.bytesRead === bytes)).toBe(true)
                expect(sockets.filter((_, i) => answered(i)).length).toBe(emulator.calls().slice(logged).filter((c) => c.status === 429).length)
              }, patience)
              // A client is either refused at once with a retryable 429 or left waiting with its body held, and
              // the bodies held add up to at most the budget.
              for (const [i, answer] of answers.entries()) if (answered(i)) expect(answer).toMatch(/^HTTP\/1\.1 429 [\s\S]*TooManyRequestsException/)
              expect(clients.reduce((held, { size }, i) => (answered(i) ? held : held + size), 0)).toBeLessThanOrEqual(budget)
              // And it holds nothing else: memory grows by at most the budget (plus slack for Node's own buffers).
              expect(process.memoryUsage().arrayBuffers - start).toBeLessThan(budget + 4_000_000)
            } finally {
              for (const [i, s] of sockets.entries()) {
                const end = clients[i]?.end
                if (end === 'reset' && s.readyState === 'open') s.resetAndDestroy()
                else if (end === 'close') s.end(() => s.destroy())
                else s.destroy()
              }
            }
            // The emulator has let every connection go; it still serves.
            await vi.waitFor(() => expect(ends.every((end) => end?.closed)).toBe(true), patience)
            expect((await list(client, 'd')).$metadata.httpStatusCode).toBe(200)
          },
        ),
        { numRuns: Math.max(3, Math.round(numRuns / 8)) },
      )
      expect(emulator.calls().every((c) => c.status < 500)).toBe(true)
    } finally {
      client.destroy()
      await emulator.close()
    }
  })
})
