/**
 * Each fault kind observed through the real SDK, and the call log that records it.
 */
import {
  InternalErrorException,
  ListDatasetsCommand,
  ResourceConflictException,
  TooManyRequestsException,
  CognitoSyncServiceException,
} from '@aws-sdk/client-cognito-sync'
import { describe, expect, it } from 'vitest'
import { startEmulator } from '../../src/emulator/index.js'
import { alice, failure, list, pool, put, sdkClient, useEmulator, write } from './harness.js'

describe('faults', () => {
  const ctx = useEmulator()

  it('failNext fails the next N calls of one operation, before any state changes', async () => {
    ctx.emulator.faults.failNext('UpdateRecords', { errorType: 'InternalErrorException', count: 2 })
    for (let i = 0; i < 2; i++) {
      const e = await failure(() => write(ctx.client, 'd', [put('a', '1')]))
      expect(e).toBeInstanceOf(InternalErrorException)
      expect(e.$metadata?.httpStatusCode).toBe(500)
    }
    expect(ctx.emulator.snapshot().pools).toEqual([])
    await write(ctx.client, 'd', [put('a', '1')])
    const updates = ctx.emulator.calls().filter((c) => c.operation === 'UpdateRecords')
    expect(updates.map((c) => [c.status, c.errorType, c.fault])).toEqual([
      [500, 'InternalErrorException', 'fail'],
      [500, 'InternalErrorException', 'fail'],
      [200, undefined, undefined],
    ])
  })

  it('failNext takes any exception name, status and message', async () => {
    const message = 'Current SyncCount for: a is: 9 not: 0'
    ctx.emulator.faults.failNext('UpdateRecords', { errorType: 'ResourceConflictException', message })
    const e = await failure(() => write(ctx.client, 'd', [put('a', '1')]))
    expect(e).toBeInstanceOf(ResourceConflictException)
    expect(e.message).toBe(message)
    expect(e.$metadata?.httpStatusCode).toBe(409)
    ctx.emulator.faults.failNext('ListRecords', { errorType: 'SomethingNew', status: 503 })
    const odd = await failure(() => list(ctx.client, 'd'))
    expect(odd).toBeInstanceOf(CognitoSyncServiceException)
    expect(odd.name).toBe('SomethingNew')
    expect(odd.$metadata?.httpStatusCode).toBe(503)
  })

  it('dropAfterCommit commits the write, then drops the connection before the response', async () => {
    ctx.emulator.faults.dropAfterCommit()
    const e = await failure(() => write(ctx.client, 'd', [put('a', '1')]))
    expect(e).not.toBeInstanceOf(CognitoSyncServiceException)
    expect(`${e.name} ${e.message} ${String((e as { code?: string }).code)}`).toMatch(/ECONNRESET|socket hang up/)
    const after = await list(ctx.client, 'd')
    expect(after.Records?.map((r) => [r.Key, r.Value, r.SyncCount])).toEqual([['a', '1', 1]])
    expect(ctx.emulator.calls().find((c) => c.operation === 'UpdateRecords')).toMatchObject({ status: 200, fault: 'drop' })
    // Only the next one: the following write is answered.
    await write(ctx.client, 'd', [put('a', '2', 1)])
  })

  describe('setLatency', () => {
    // Latency is wall-clock time, so it is observed as an order of events, not a duration: calls sent
    // after a delayed one overtake it. A deadline would fail on a loaded machine; this cannot, and a
    // latency that did nothing would leave nothing to overtake.
    const latency = 1_000
    const listDatasets = () => ctx.client.send(new ListDatasetsCommand({ IdentityPoolId: pool, IdentityId: alice }))
    const faultsOf = (operation: string) => ctx.emulator.calls().filter((c) => c.operation === operation).map((c) => c.fault)
    /** How many calls of `fast`, one after another, are answered while `slow` is still waiting. */
    const overtaking = async (slow: Promise<unknown>, fast: () => Promise<unknown>): Promise<number> => {
      let waiting = true
      const answered = slow.finally(() => (waiting = false))
      let count = 0
      while (waiting) {
        await fast()
        if (waiting) count += 1
      }
      await answered
      return count
    }

    it('delays one operation, and not the others', async () => {
      ctx.emulator.faults.setLatency(latency, 'ListRecords')
      expect(await overtaking(list(ctx.client, 'd'), listDatasets)).toBeGreaterThanOrEqual(2)
      expect(faultsOf('ListRecords')).toEqual(['latency'])
      expect(new Set(faultsOf('ListDatasets'))).toEqual(new Set([undefined]))
    })

    it('delays every operation when none is named; a named operation\'s own setting (0 here) comes first', async () => {
      ctx.emulator.faults.setLatency(latency)
      ctx.emulator.faults.setLatency(0, 'ListRecords')
      expect(await overtaking(listDatasets(), () => list(ctx.client, 'd'))).toBeGreaterThanOrEqual(2)
      expect(faultsOf('ListDatasets')).toEqual(['latency'])
      expect(new Set(faultsOf('ListRecords'))).toEqual(new Set([undefined]))
    })

    it('reset removes every latency set', async () => {
      ctx.emulator.faults.setLatency(latency, 'ListRecords')
      ctx.emulator.faults.setLatency(latency)
      ctx.emulator.faults.reset()
      ctx.emulator.faults.setLatency(latency, 'ListDatasets')
      expect(await overtaking(listDatasets(), () => list(ctx.client, 'd'))).toBeGreaterThanOrEqual(2)
      expect(faultsOf('ListDatasets')).toEqual(['latency'])
      expect(new Set(faultsOf('ListRecords'))).toEqual(new Set([undefined]))
    })
  })

  it('throttle answers 429 TooManyRequestsException above the rate, on the emulator clock', async () => {
    ctx.emulator.faults.throttle({ ratePerSecond: 1, burst: 2 })
    await list(ctx.client, 'd')
    await list(ctx.client, 'd')
    const e = await failure(() => list(ctx.client, 'd'))
    expect(e).toBeInstanceOf(TooManyRequestsException)
    expect(e.$metadata?.httpStatusCode).toBe(429)
    ctx.clock.advance(1000)
    await list(ctx.client, 'd')
    expect(await failure(() => list(ctx.client, 'd'))).toBeInstanceOf(TooManyRequestsException)
    expect(ctx.emulator.calls().map((c) => c.fault ?? '-')).toEqual(['-', '-', 'throttle', '-', 'throttle'])
    ctx.emulator.faults.throttle(undefined)
    await list(ctx.client, 'd')
  })

  it('logs every call with operation, method, path and status, and clears on demand', async () => {
    await list(ctx.client, 'd')
    expect(ctx.emulator.calls()).toEqual([
      {
        operation: 'ListRecords',
        method: 'GET',
        path: `/identitypools/${encodeURIComponent(pool)}/identities/${encodeURIComponent(alice)}/datasets/d/records`,
        status: 200,
        errorType: undefined,
        fault: undefined,
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown as string,
        identityId: alice,
        datasetName: 'd',
        durationMs: expect.any(Number) as unknown as number,
      },
    ])
    ctx.emulator.clearCalls()
    expect(ctx.emulator.calls()).toEqual([])
  })

  it('sets the faults of a plan at start, as the controls would', async () => {
    const emulator = await startEmulator({
      faults: { failNext: [{ operation: 'ListRecords', errorType: 'TooManyRequestsException', count: 1 }], dropAfterCommit: 1 },
    })
    const client = sdkClient(emulator.endpoint)
    try {
      expect(await failure(() => list(client, 'd'))).toBeInstanceOf(TooManyRequestsException)
      await failure(() => write(client, 'd', [put('k', 'v')]))
      expect(emulator.calls().map((c) => c.fault)).toEqual(['fail', undefined, 'drop'])
    } finally {
      client.destroy()
      await emulator.close()
    }
  })

  it('refuses nonsensical fault settings', () => {
    expect(() => ctx.emulator.faults.setLatency(-1)).toThrow(RangeError)
    expect(() => ctx.emulator.faults.failNext('ListRecords', { errorType: 'X', count: Number.NaN })).toThrow(RangeError)
  })
})
