/**
 * Stopping a sync: the caller's AbortSignal and the sync's deadline, with the real SDK over HTTP
 * against the emulator. Each test bounds its own time: a sync that did not stop at once would wait
 * out an emulator delay or a backoff far longer than the test may run.
 */
import { getEventListeners } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it, vi } from 'vitest'
import { SyncFailedError, cancellation, deleteDataset, memoryStore, sync, syncPromise } from '../../src/sync/index.js'
import { lastWriterWins } from '../../strategies/index.js'
import { onArrivalOf } from '../emulator/arrivals.js'
import { alice, answers, beforeSend, contents, datasetName, dirtyKeys, patience, pool, sdkClient, useWorld } from './harness.js'

const world = useWorld()
const long = 60_000
const bounded = { timeout: 20_000 }

describe('an AbortSignal', () => {
  it('already aborted: fails at once with its reason, no call made, nothing changed', async () => {
    const a = world.device('a')
    await a.put('k', 'v')
    const before = await a.state()
    const result = await a.sync({ signal: AbortSignal.abort('user left') })
    expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'Aborted', reason: 'user left' })
    expect(world.emulator.calls()).toEqual([])
    expect(await a.state()).toEqual(before)
  })

  it('during a slow ListRecords: stops within that call, the edits still dirty', bounded, async () => {
    const a = world.device('a')
    await a.put('k', 'v')
    world.emulator.faults.setLatency(long, 'ListRecords')
    const controller = new AbortController()
    // aborted once the emulator has the call, which it would answer after a minute
    onArrivalOf(world.emulator.port, 'ListRecords', () => controller.abort(new Error('app paused')))
    const result = await a.sync({ signal: controller.signal })
    expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'Aborted', operation: 'ListRecords', reason: new Error('app paused') })
    expect(E.isLeft(result) && result.left.message).toContain('aborted during ListRecords: Error: app paused')
    expect(dirtyKeys(await a.state())).toEqual(['k'])
  })

  it('during the backoff after 503s: the wait ends at once, no further call', bounded, async () => {
    const a = world.device('a')
    world.emulator.faults.failNext('ListRecords', { errorType: 'ServiceUnavailable', status: 503, count: 50 })
    const controller = new AbortController()
    const answered = answers(a.client, 'ListRecordsCommand')
    // random 0.5 with these limits: the first backoff waits 30 s
    const syncing = a.sync({ signal: controller.signal, limits: { backoffBaseMs: long, backoffMaxMs: long } })
    // the 503 is in: the sync is in its backoff (or about to start it, and then sees the abort first)
    await vi.waitFor(() => expect(answered()).toBe(1), patience)
    controller.abort('stop')
    const result = await syncing
    expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'Aborted', operation: 'ListRecords', reason: 'stop' })
    expect(world.calls('ListRecords')).toBe(1)
  })

  it('during an UpdateRecords the server commits: nothing lost, the next sync confirms it as our own write', bounded, async () => {
    const a = world.device('a')
    await a.put('k', 'v')
    world.emulator.faults.holdAfterCommit(long)
    const controller = new AbortController()
    const syncing = a.sync({ signal: controller.signal })
    const committed = () => world.emulator.snapshot().pools[0]?.identities[0]?.datasets[0]?.records.map((record) => record.key)
    await vi.waitFor(() => expect(committed()).toEqual(['k']), patience)
    controller.abort('app closed')
    const result = await syncing
    expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'Aborted', operation: 'UpdateRecords', reason: 'app closed' })
    // handled as a lost answer: still dirty, and what was sent is remembered
    const state = await a.state()
    expect(dirtyKeys(state)).toEqual(['k'])
    expect(state.records.get('k')?.pending?.sent?.content).toBe('v')
    const report = await a.synced()
    expect(report.confirmedAfterLoss).toEqual(['k'])
    expect(report.conflicts).toEqual([])
    expect(report.calls).toEqual({ ListRecords: 1, UpdateRecords: 0 })
    expect(dirtyKeys(await a.state())).toEqual([])
    expect(await contents(a)).toEqual({ k: 'v' })
  })

  it('during an UpdateRecords the server has not run yet: the next sync pushes the edit', bounded, async () => {
    const a = world.device('a')
    await a.put('k', 'v')
    const controller = new AbortController()
    // aborted as it is sent: the server never runs it (a timer here could fire after the request
    // reached the server, and the write would then commit)
    beforeSend(a.client, 'UpdateRecordsCommand', async () => controller.abort('stop'), 1)
    const result = await a.sync({ signal: controller.signal })
    expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'Aborted', operation: 'UpdateRecords', reason: 'stop' })
    expect(world.calls('UpdateRecords')).toBe(0)
    expect(dirtyKeys(await a.state())).toEqual(['k'])
    const report = await a.synced()
    expect(report.pushed).toEqual(['k'])
    expect(report.confirmedAfterLoss).toEqual([])
    expect(dirtyKeys(await a.state())).toEqual([])
  })

  it('while queued behind another sync of the dataset: fails at once, before its turn', bounded, async () => {
    const a = world.device('a')
    await a.put('k', 'v')
    world.emulator.faults.setLatency(1000, 'ListRecords')
    const first = a.sync()
    const controller = new AbortController()
    const second = a.sync({ signal: controller.signal })
    controller.abort('not now')
    expect(await second).toMatchObject(E.left({ _tag: 'Aborted', reason: 'not now' }))
    expect(E.isRight(await first)).toBe(true)
    expect(world.calls('ListRecords')).toBe(1)
  })

  it('rejects syncPromise with a SyncFailedError named Aborted', async () => {
    const a = world.device('a')
    const options = { client: a.client, identityPoolId: pool, identityId: alice, datasetName, deviceId: 'a', store: a.store, strategy: lastWriterWins }
    const failure = await syncPromise({ ...options, signal: AbortSignal.abort() }).catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(SyncFailedError)
    expect(failure).toMatchObject({ name: 'Aborted' })
  })
})

describe('a deadline (timeoutMs)', () => {
  it('stops a client pointed at a closed port at the deadline, not after every retry', { timeout: 5000 }, async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    // the SDK's own retries, and backoffs of 30 s: without the deadline this runs for minutes
    const client = sdkClient(`http://127.0.0.1:${port}`, { maxAttempts: 3 })
    try {
      const result = await sync({
        client,
        identityPoolId: pool,
        identityId: alice,
        datasetName,
        deviceId: 'a',
        store: memoryStore(),
        strategy: lastWriterWins,
        random: () => 0.5,
        limits: { backoffBaseMs: long, backoffMaxMs: long },
        timeoutMs: 300,
      })()
      expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'DeadlineExceeded', timeoutMs: 300, operation: 'ListRecords' })
      expect(E.isLeft(result) && result.left.message).toContain('timeoutMs of 300 ms')
    } finally {
      client.destroy()
    }
  })

  it('a deadline the sync meets changes nothing', async () => {
    const a = world.device('a')
    await a.put('k', 'v')
    const report = await a.synced({ timeoutMs: 30_000 })
    expect(report.pushed).toEqual(['k'])
  })

  it('leaves nothing behind once the sync or delete has settled: no timer, no listener on the caller\'s signal', async () => {
    const a = world.device('a')
    await a.put('k', 'v')
    // only the timers of setTimeout are faked: the deadline's never fires, and the count sees it
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const controller = new AbortController()
      const settled = [await a.sync({ signal: controller.signal, timeoutMs: long }), await a.sync({ signal: controller.signal, timeoutMs: long, datasetName: 'bad name' })]
      expect(settled.map(E.isRight)).toEqual([true, false])
      const deleted = await deleteDataset({ client: a.client, identityPoolId: pool, identityId: alice, datasetName, store: a.store, signal: controller.signal, timeoutMs: long })()
      expect(E.isRight(deleted)).toBe(true)
      expect([vi.getTimerCount(), getEventListeners(controller.signal, 'abort').length]).toEqual([0, 0])
    } finally {
      vi.useRealTimers()
    }
  })

  it.each([0, -1, Number.NaN, Infinity])('refuses timeoutMs %s before any call', async (timeoutMs) => {
    const a = world.device('a')
    const result = await a.sync({ timeoutMs })
    expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'InvalidInput', what: 'timeoutMs', issues: [{ expected: 'Milliseconds', rule: 'be a positive number of milliseconds' }] })
    const message = E.isLeft(result) ? result.left.message : ''
    expect(message).toContain('must be a positive number of milliseconds')
    expect(message).toContain('Pass the time the whole sync may take, e.g. 30_000, or leave timeoutMs out.')
    expect(world.emulator.calls()).toEqual([])
  })
})

describe('cancellation (the merged signal and its errors)', () => {
  it('words a reason that is a string as is, an Error as `Name: message`, anything else (a symbol too) as String() does', () => {
    const reasons: ReadonlyArray<readonly [unknown, string]> = [
      ['user left', 'user left'],
      [new RangeError('too far'), 'RangeError: too far'],
      [42, '42'],
      [Symbol('app closed'), 'Symbol(app closed)'],
    ]
    for (const [reason, described] of reasons) {
      const cancel = cancellation(AbortSignal.abort(reason), undefined)
      expect(cancel.error().message).toBe(`The sync was aborted: ${described}. Every local change not acknowledged is still dirty; sync again later`)
      cancel.dispose()
    }
  })

  it('a deadline met before any call: DeadlineExceeded with no operation member at all', async () => {
    const cancel = cancellation(undefined, 1)
    await new Promise((resolve) => cancel.signal.addEventListener('abort', resolve, { once: true }))
    expect(cancel.error()).toStrictEqual({
      _tag: 'DeadlineExceeded',
      timeoutMs: 1,
      message: 'The sync did not finish within its timeoutMs of 1 ms; it stopped. Every local change not acknowledged is still dirty; sync again later',
    })
    expect(cancel.error('ListRecords')).toMatchObject({ operation: 'ListRecords', message: expect.stringContaining('it stopped during ListRecords.') })
    cancel.dispose()
  })

  it("once the caller's signal has fired, its listener is gone from that signal, dispose or not", () => {
    const controller = new AbortController()
    const cancel = cancellation(controller.signal, undefined)
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1)
    controller.abort('stop')
    expect(cancel.signal.aborted).toBe(true)
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
  })
})
