/**
 * Requests the SDK would never send: malformed bodies and queries, bad paths, huge bodies, unknown
 * routes and methods. Each gets a typed 4xx error and changes no state.
 */
import { describe, expect, it } from 'vitest'
import { startEmulator } from '../../src/emulator/index.js'
import { list, manualClock, put, useEmulator, write } from './harness.js'
import { datasetPath, errorOf, raw } from './raw.js'

describe('raw HTTP', () => {
  const ctx = useEmulator({ limits: { maxRequestBodyBytes: 64 * 1024 } })
  const update = async (body: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    raw(ctx.emulator.endpoint, 'POST', datasetPath(), body, headers)
  const token = async () => (await list(ctx.client, 'd')).SyncSessionToken ?? ''

  it('refuses malformed JSON, non-object bodies and invalid UTF-8 with InvalidParameterException', async () => {
    for (const body of ['{', '[]', '"x"', '42', 'null', Buffer.from([0x7b, 0xff, 0x7d])]) {
      const r = await update(body)
      expect(r.status, String(body)).toBe(400)
      expect(errorOf(r).type).toBe('InvalidParameterException')
    }
  })

  it('refuses every wrong type in a patch, naming the field', async () => {
    const t = await token()
    const patch = { Op: 'replace', Key: 'k', Value: 'v', SyncCount: 0 }
    const bad: [Record<string, unknown>, string][] = [
      [{ ...patch, Op: 5 }, 'Op'],
      [{ ...patch, Op: 'REPLACE' }, 'Op'],
      [{ ...patch, Key: 7 }, 'Key'],
      [{ Op: 'replace', Value: 'v', SyncCount: 0 }, 'Key'],
      [{ ...patch, Value: 5 }, 'Value'],
      [{ ...patch, Value: null }, 'Value'],
      [{ ...patch, SyncCount: '0' }, 'SyncCount'],
      [{ ...patch, SyncCount: -1 }, 'SyncCount'],
      [{ ...patch, SyncCount: 1.5 }, 'SyncCount'],
      [{ ...patch, DeviceLastModifiedDate: '2024-01-01T00:00:00Z' }, 'DeviceLastModifiedDate'],
      [{ ...patch, Key: '\ud800' }, 'Key'],
    ]
    for (const [p, field] of bad) {
      const r = await update(JSON.stringify({ SyncSessionToken: t, RecordPatches: [p] }))
      expect(r.status, JSON.stringify(p)).toBe(400)
      expect(errorOf(r).message).toContain(field)
    }
    for (const body of [{ SyncSessionToken: t, RecordPatches: {} }, { SyncSessionToken: 5 }, { SyncSessionToken: t, RecordPatches: [5] }]) {
      expect((await update(JSON.stringify(body))).status).toBe(400)
    }
    expect(ctx.emulator.snapshot().pools).toEqual([])
  })

  it('accepts the date forms the SDK sends (epoch seconds with a fraction) and a top-level __proto__', async () => {
    const t = await token()
    const body = `{"__proto__":{"x":1},"SyncSessionToken":"${t}","RecordPatches":[{"Op":"replace","Key":"k","Value":"v","SyncCount":0,"DeviceLastModifiedDate":1.412974057151E9}]}`
    const r = await update(body)
    expect(r.status).toBe(200)
    expect(JSON.parse(r.text)).toMatchObject({ Records: [{ Key: 'k', DeviceLastModifiedDate: 1412974057.151, SyncCount: 1 }] })
  })

  it('answers a patch SyncCount beyond 2^53 but within a long with a conflict, not a 400', async () => {
    for (const count of ['9007199254740993', '9223372036854775807']) {
      const body = `{"SyncSessionToken":"${await token()}","RecordPatches":[{"Op":"replace","Key":"k","Value":"v","SyncCount":${count}}]}`
      const r = await update(body)
      expect(r.status, count).toBe(409)
      expect(errorOf(r)).toMatchObject({ type: 'ResourceConflictException', message: expect.stringMatching(/^Current SyncCount for: k is: 0 not: 9/) })
    }
    const beyond = await update(`{"SyncSessionToken":"${await token()}","RecordPatches":[{"Op":"replace","Key":"k","Value":"v","SyncCount":1e20}]}`)
    expect(beyond.status).toBe(400)
    expect(ctx.emulator.snapshot().pools).toEqual([])
  })

  it('refuses bad query values and repeated parameters', async () => {
    for (const q of ['lastSyncCount=-1', 'lastSyncCount=abc', 'lastSyncCount=1e3', 'lastSyncCount=', 'maxResults=0', 'maxResults=1&maxResults=2', 'lastSyncCount=99999999999999999']) {
      const r = await raw(ctx.emulator.endpoint, 'GET', `${datasetPath()}/records?${q}`)
      expect(r.status, q).toBe(400)
      expect(errorOf(r).type).toBe('InvalidParameterException')
    }
  })

  it('decodes each path segment, so %3A and a literal colon reach the same dataset', async () => {
    await write(ctx.client, 'd', [put('k', 'v')])
    const literal = datasetPath().replaceAll('%3A', ':')
    const r = await raw(ctx.emulator.endpoint, 'GET', `${literal}/records`)
    expect(JSON.parse(r.text)).toMatchObject({ DatasetExists: true, Count: 1 })
    const bad = await raw(ctx.emulator.endpoint, 'GET', `${datasetPath()}%E0%A4%A/records`)
    expect(bad.status).toBe(400)
    expect(errorOf(bad).type).toBe('InvalidParameterException')
  })

  it('answers unknown routes with UnknownOperationException and wrong methods with 405, never a bare 404', async () => {
    for (const path of ['/', '/nope', '/identitypools/x/unknown', `${datasetPath()}/records/extra`, '//']) {
      const r = await raw(ctx.emulator.endpoint, 'GET', path)
      expect(r.status, path).toBe(404)
      expect(errorOf(r).type).toBe('UnknownOperationException')
    }
    for (const [method, path] of [['PUT', datasetPath()], ['PATCH', '/identitypools'], ['POST', `${datasetPath()}/records`], ['DELETE', '/identitypools']]) {
      const r = await raw(ctx.emulator.endpoint, method ?? '', path ?? '')
      expect(r.status, `${method} ${path}`).toBe(405)
      expect(errorOf(r).type).toBe('MethodNotAllowedException')
    }
    // An empty dataset label (the SDK sends `…/datasets/` for DatasetName '') is not ListDatasets.
    expect((await raw(ctx.emulator.endpoint, 'GET', `${datasetPath('')}`)).status).toBe(400)
  })

  it('cuts off an oversized body with 413, whether declared or streamed, and keeps serving', async () => {
    const big = Buffer.alloc(200 * 1024, 'a')
    const declared = await update(big, { 'content-type': 'application/json', 'content-length': String(big.length) })
    expect(declared.status).toBe(413)
    expect(errorOf(declared).type).toBe('InvalidParameterException')
    const streamed = await update(big, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' })
    expect(streamed.status).toBe(413)
    expect((await list(ctx.client, 'd')).$metadata.httpStatusCode).toBe(200)
  })

  it('answers 500 InternalErrorException, without details, when the data file cannot be written', async () => {
    const emulator = await startEmulator({ clock: manualClock(), dataFile: '/nonexistent-dir/state.json' })
    try {
      const listed = await raw(emulator.endpoint, 'GET', `${datasetPath()}/records`)
      const t = (JSON.parse(listed.text) as { SyncSessionToken: string }).SyncSessionToken
      const body = JSON.stringify({ SyncSessionToken: t, RecordPatches: [{ Op: 'replace', Key: 'k', Value: 'v', SyncCount: 0 }] })
      const before = emulator.snapshot()
      const r = await raw(emulator.endpoint, 'POST', datasetPath(), body)
      expect(r.status).toBe(500)
      expect(emulator.snapshot()).toEqual(before)
      expect(errorOf(r)).toEqual({ type: 'InternalErrorException', message: 'An internal error occurred' })
      expect((await raw(emulator.endpoint, 'GET', '/identitypools')).status).toBe(200)
    } finally {
      await emulator.close()
    }
  })

  it('never puts a session token in an error body or the call log', async () => {
    const t = await token()
    const r = await raw(ctx.emulator.endpoint, 'GET', `${datasetPath('bad name')}/records?syncSessionToken=${encodeURIComponent(t)}`)
    expect(r.text).not.toContain(t)
    expect(JSON.stringify(ctx.emulator.calls())).not.toContain(t.slice(0, 20))
  })
})
