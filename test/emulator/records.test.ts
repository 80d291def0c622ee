/**
 * ListRecords and UpdateRecords through the real SDK client: sync counts, tombstones, pagination,
 * conflicts, session tokens, validation and limits.
 */
import {
  InvalidParameterException,
  LimitExceededException,
  ListRecordsCommand,
  ResourceConflictException,
  UpdateRecordsCommand,
} from '@aws-sdk/client-cognito-sync'
import { describe, expect, it } from 'vitest'
import { startEmulator } from '../../src/emulator/index.js'
import { alice, bob, failure, list, manualClock, pool, put, remove, sdkClient, startTime, useEmulator, write } from './harness.js'

describe('ListRecords', () => {
  const ctx = useEmulator()

  it('answers 200 with DatasetExists false for a missing dataset, with a session token', async () => {
    const out = await list(ctx.client, 'missing')
    expect(out.$metadata.httpStatusCode).toBe(200)
    expect(out).toMatchObject({
      Records: [],
      Count: 0,
      DatasetSyncCount: 0,
      DatasetExists: false,
      DatasetDeletedAfterRequestedSyncCount: false,
    })
    expect(out.SyncSessionToken).toMatch(/\S{20,}/)
    expect(out.MergedDatasetNames).toBeUndefined()
  })

  it('returns only records changed after lastSyncCount', async () => {
    await write(ctx.client, 'd', [put('a', '1'), put('b', '1')])
    await write(ctx.client, 'd', [put('b', '2', 1)])
    const all = await list(ctx.client, 'd')
    expect(all.Records?.map((r) => [r.Key, r.Value, r.SyncCount])).toEqual([
      ['a', '1', 1],
      ['b', '2', 2],
    ])
    expect(all.DatasetSyncCount).toBe(2)
    expect(all.DatasetExists).toBe(true)
    expect(all.LastModifiedBy).toBe('123456789012')
    const delta = await list(ctx.client, 'd', { LastSyncCount: 1 })
    expect(delta.Records?.map((r) => r.Key)).toEqual(['b'])
    expect(delta.Count).toBe(1)
    expect((await list(ctx.client, 'd', { LastSyncCount: 2 })).Records).toEqual([])
  })

  it('refuses a lastSyncCount above the dataset count with the service message', async () => {
    await write(ctx.client, 'd', [put('a', '1')])
    const e = await failure(() => list(ctx.client, 'd', { LastSyncCount: 5 }))
    expect(e).toBeInstanceOf(InvalidParameterException)
    expect(e.message).toBe('No such SyncCount: 5 exists for this Dataset')
    expect(e.$metadata?.httpStatusCode).toBe(400)
  })

  it('paginates with maxResults and an opaque NextToken, Count being the page size', async () => {
    await write(ctx.client, 'd', ['k1', 'k2', 'k3', 'k4', 'k5'].map((k) => put(k, k)))
    const keys: string[] = []
    const counts: number[] = []
    let token: string | undefined
    do {
      const page = await list(ctx.client, 'd', { MaxResults: 2, ...(token === undefined ? {} : { NextToken: token }) })
      keys.push(...(page.Records ?? []).map((r) => r.Key ?? ''))
      counts.push(page.Count ?? -1)
      token = page.NextToken
    } while (token !== undefined)
    expect(keys).toEqual(['k1', 'k2', 'k3', 'k4', 'k5'])
    expect(counts).toEqual([2, 2, 1])
  })

  it('refuses a forged NextToken and bad query values', async () => {
    for (const input of [{ NextToken: 'not-a-token' }, { MaxResults: 0 }, { MaxResults: -1 }, { LastSyncCount: -1 }, { LastSyncCount: 1.5 }]) {
      const e = await failure(() => list(ctx.client, 'd', input))
      expect(e, JSON.stringify(input)).toBeInstanceOf(InvalidParameterException)
    }
  })

  it('refuses malformed identity, pool and dataset labels', async () => {
    const bad = [
      { IdentityPoolId: pool, IdentityId: 'no-colon', DatasetName: 'd' },
      { IdentityPoolId: 'us-east-1:XYZ', IdentityId: alice, DatasetName: 'd' },
      { IdentityPoolId: pool, IdentityId: alice, DatasetName: 'bad name' },
      { IdentityPoolId: pool, IdentityId: alice, DatasetName: 'x'.repeat(129) },
      { IdentityPoolId: pool, IdentityId: `us-east-1:${'a'.repeat(50)}`, DatasetName: 'd' },
    ]
    for (const input of bad) {
      const e = await failure(() => ctx.client.send(new ListRecordsCommand(input)))
      expect(e, JSON.stringify(input)).toBeInstanceOf(InvalidParameterException)
    }
    expect((await list(ctx.client, 'a-Z_0.9:ok')).DatasetExists).toBe(false)
  })
})

describe('UpdateRecords', () => {
  const ctx = useEmulator({ limits: { maxRecordsPerDataset: 3, maxDatasetBytes: 24, maxDatasetsPerIdentity: 2, maxKeyLength: 11, maxValueLength: 10 } })

  it('creates the dataset, raises its count by one per call and returns the written records', async () => {
    ctx.clock.advance(1500)
    const first = await write(ctx.client, 'd', [{ ...put('a', 'x'), DeviceLastModifiedDate: new Date(startTime - 250) }])
    expect(first.Records).toEqual([
      {
        Key: 'a',
        Value: 'x',
        SyncCount: 1,
        LastModifiedDate: new Date(startTime + 1500),
        LastModifiedBy: '123456789012',
        DeviceLastModifiedDate: new Date(startTime - 250),
      },
    ])
    const second = await write(ctx.client, 'd', [put('a', 'y', 1), put('b', 'z')])
    expect(second.Records?.map((r) => [r.Key, r.SyncCount])).toEqual([
      ['a', 2],
      ['b', 2],
    ])
    expect((await list(ctx.client, 'd')).DatasetSyncCount).toBe(2)
  })

  it('answers 409 with the service message for a stale SyncCount, and writes none of the patches', async () => {
    await write(ctx.client, 'd', [put('a', '1')])
    const before = ctx.emulator.snapshot()
    const e = await failure(() => write(ctx.client, 'd', [put('b', 'new'), put('a', '2', 0)]))
    expect(e).toBeInstanceOf(ResourceConflictException)
    expect(e.message).toBe('Current SyncCount for: a is: 1 not: 0')
    expect(e.$metadata?.httpStatusCode).toBe(409)
    expect(ctx.emulator.snapshot()).toEqual(before)
    const absent = await failure(() => write(ctx.client, 'd', [put('c', 'v', 3)]))
    expect(absent.message).toBe('Current SyncCount for: c is: 0 not: 3')
  })

  it('leaves a tombstone on remove: no Value, count moved forward, listed in deltas', async () => {
    await write(ctx.client, 'd', [put('a', '1'), put('b', '1')])
    const removed = await write(ctx.client, 'd', [remove('a', 1)])
    expect(removed.Records?.[0]).toMatchObject({ Key: 'a', SyncCount: 2 })
    expect(removed.Records?.[0]?.Value).toBeUndefined()
    const delta = await list(ctx.client, 'd', { LastSyncCount: 1 })
    expect(delta.Records?.map((r) => [r.Key, r.Value, r.SyncCount])).toEqual([['a', undefined, 2]])
    // `replace` without a Value is a removal too ("absent means remove").
    await write(ctx.client, 'd', [{ Op: 'replace', Key: 'b', SyncCount: 1 }])
    expect(ctx.emulator.snapshot().pools[0]?.identities[0]?.datasets[0]?.records.map((r) => r.value)).toEqual([null, null])
  })

  it('checks the SyncSessionToken for identity, dataset and expiry', async () => {
    const { SyncSessionToken } = await list(ctx.client, 'd')
    const send = (identity: string, dataset: string, token: string | undefined) =>
      ctx.client.send(
        new UpdateRecordsCommand({
          IdentityPoolId: pool,
          IdentityId: identity,
          DatasetName: dataset,
          // The SDK drops an undefined member, so `undefined` sends no token at all.
          SyncSessionToken: token as string,
          RecordPatches: [put('a', '1')],
        }),
      )
    const cases: [string, string, string | undefined][] = [
      [alice, 'other', SyncSessionToken],
      [bob, 'd', SyncSessionToken],
      [alice, 'd', undefined],
      [alice, 'd', `${SyncSessionToken}x`],
      [alice, 'd', 'forged.token'],
    ]
    for (const [identity, dataset, token] of cases) {
      const e = await failure(() => send(identity, dataset, token))
      expect(e).toBeInstanceOf(InvalidParameterException)
      expect(e.message).toBe('SyncSessionToken not valid for these inputs')
    }
    ctx.clock.advance(15 * 60 * 1000 + 1)
    const expired = await failure(() => send(alice, 'd', SyncSessionToken))
    expect(expired.message).toBe('SyncSessionToken not valid for these inputs')
    expect(ctx.emulator.snapshot().pools).toEqual([])
  })

  it('stores keys such as __proto__ and constructor as data', async () => {
    await write(ctx.client, 'd', [put('__proto__', 'p'), put('constructor', 'c')])
    const out = await list(ctx.client, 'd')
    expect(out.Records?.map((r) => [r.Key, r.Value])).toEqual([
      ['__proto__', 'p'],
      ['constructor', 'c'],
    ])
  })

  it('refuses a key patched twice in one call (the empty patch list: datasets.test.ts)', async () => {
    const e = await failure(() => write(ctx.client, 'd', [put('a', '1'), put('a', '2')]))
    expect(e).toBeInstanceOf(InvalidParameterException)
  })

  it('refuses bad patches the SDK lets through', async () => {
    const bad = [
      { Op: 'upsert', Key: 'a', Value: '1', SyncCount: 0 },
      { Op: 'replace', Key: '', Value: '1', SyncCount: 0 },
      { Op: 'replace', Key: 'a'.repeat(12), Value: '1', SyncCount: 0 },
      { Op: 'replace', Key: 'a', Value: 'v'.repeat(11), SyncCount: 0 },
      { Op: 'replace', Key: 'a', Value: '1', SyncCount: -1 },
      { Op: 'replace', Key: 'a', Value: '1', SyncCount: 0.5 },
    ]
    for (const p of bad) {
      const e = await failure(() => write(ctx.client, 'd', [p as never]))
      expect(e, JSON.stringify(p)).toBeInstanceOf(InvalidParameterException)
    }
    expect(ctx.emulator.snapshot().pools).toEqual([])
  })

  it('enforces the live-record, byte and dataset limits with LimitExceededException', async () => {
    const records = await failure(() => write(ctx.client, 'd', ['a', 'b', 'c', 'd'].map((k) => put(k, '1'))))
    expect(records).toBeInstanceOf(LimitExceededException)
    await write(ctx.client, 'd', [put('a', '1'), put('b', '1'), put('c', '1')])
    // Tombstones do not count: remove one, then a new key fits.
    await write(ctx.client, 'd', [remove('c', 1)])
    await write(ctx.client, 'd', [put('e', '1')])
    // 'é' is two UTF-8 bytes: b+1 (2) + e+1 (2) + f+'é'×10 (21) = 25 > 24, with a removed.
    const bytes = await failure(() => write(ctx.client, 'd', [remove('a', 1), put('f', 'é'.repeat(10))]))
    expect(bytes.message).toMatch(/bytes/)
    expect(bytes).toBeInstanceOf(LimitExceededException)
    await write(ctx.client, 'd2', [put('a', '1')])
    const datasets = await failure(() => write(ctx.client, 'd3', [put('a', '1')]))
    expect(datasets).toBeInstanceOf(LimitExceededException)
    expect(datasets.$metadata?.httpStatusCode).toBe(400)
  })
})

describe('default limits', () => {
  it('accept a key of 1024 characters and a value of 1,048,575, and refuse one more', async () => {
    const emulator = await startEmulator({ clock: manualClock() })
    const client = sdkClient(emulator.endpoint)
    try {
      await write(client, 'big', [put('k'.repeat(1024), 'v'.repeat(1_048_575 - 1024))])
      expect(await failure(() => write(client, 'other', [put('k'.repeat(1025), 'v')]))).toBeInstanceOf(InvalidParameterException)
      expect(await failure(() => write(client, 'other', [put('k', 'v'.repeat(1_048_576))]))).toBeInstanceOf(InvalidParameterException)
      const full = await failure(() => write(client, 'big', [put('x', 'y')]))
      expect(full).toBeInstanceOf(LimitExceededException)
    } finally {
      client.destroy()
      await emulator.close()
    }
  })
})
