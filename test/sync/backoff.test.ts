/**
 * Backoff that actually waits. The delays are computed (`backoffDelay`) and then waited (`sleep`); the
 * other suites see only the computed delays in a report, with waits of a few milliseconds that a sync
 * skipping them would pass as well. Here the clock is vitest's fake one: a wait is seen holding the
 * sync back until the clock has moved by the whole delay, and no sooner. No test measures time.
 */
import { getEventListeners } from 'node:events'
import * as E from 'fp-ts/lib/Either.js'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { backoffDelay, sleep, type SyncReport, type SyncError } from '../../src/sync/index.js'
import { useWorld } from './harness.js'

afterEach(() => {
  vi.useRealTimers()
})

/** Lets pending I/O and promise callbacks run; setImmediate is not faked. */
const settleIo = async (rounds = 20): Promise<void> => {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve))
}

/** Polls on real I/O turns until `ready` holds, or fails after a deadline fit for a loaded machine. */
const until = async (ready: () => boolean, what: string): Promise<void> => {
  const deadline = performance.now() + 20_000
  while (!ready()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise<void>((resolve) => setImmediate(resolve))
  }
}

describe('backoffDelay', () => {
  it('doubles from the base up to the cap, scaled by the jitter and rounded down', () => {
    const at = (random: number) => [0, 1, 2, 3, 4, 5].map((retry) => backoffDelay({ baseMs: 100, maxMs: 1000, random: () => random }, retry))
    expect(at(0.5)).toEqual([50, 100, 200, 400, 500, 500])
    expect(at(0.999)).toEqual([99, 199, 399, 799, 999, 999])
    expect(at(0)).toEqual([0, 0, 0, 0, 0, 0])
  })
})

describe('sleep', () => {
  it('resolves once the clock has moved by the whole delay, and no sooner', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const signal = new AbortController().signal
    let done = false
    void sleep(1000, signal)().then(() => {
      done = true
    })
    await vi.advanceTimersByTimeAsync(999)
    expect(done).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(done).toBe(true)
    // it leaves nothing behind: no timer, no listener on the signal
    expect([vi.getTimerCount(), getEventListeners(signal, 'abort').length]).toEqual([0, 0])
  })

  it('ends the wait when the signal fires, leaving no timer behind', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const controller = new AbortController()
    let done = false
    void sleep(60_000, controller.signal)().then(() => {
      done = true
    })
    await vi.advanceTimersByTimeAsync(10)
    expect([done, vi.getTimerCount()]).toEqual([false, 1])
    controller.abort()
    await vi.advanceTimersByTimeAsync(0)
    expect([done, vi.getTimerCount(), getEventListeners(controller.signal, 'abort').length]).toEqual([true, 0, 0])
  })

  it('waits without a signal too', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    let done = false
    void sleep(1000)().then(() => {
      done = true
    })
    await vi.advanceTimersByTimeAsync(999)
    expect(done).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect([done, vi.getTimerCount()]).toEqual([true, 0])
  })

  it('does not wait at all on a signal that has fired', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    let done = false
    void sleep(60_000, AbortSignal.abort())().then(() => {
      done = true
    })
    await vi.advanceTimersByTimeAsync(0)
    expect([done, vi.getTimerCount()]).toEqual([true, 0])
  })
})

describe('a sync that backs off', () => {
  const world = useWorld()

  it('waits the whole delay before it lists again', { timeout: 60_000 }, async () => {
    const a = world.device('a')
    await a.put('k', 'v')
    world.emulator.faults.failNext('ListRecords', { errorType: 'ServiceUnavailable', status: 503, count: 2 })
    // Only the sync's own timers are faked (the SDK and the emulator's sockets use Node's internals).
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    let result: E.Either<SyncError, SyncReport> | undefined
    // random 0.5: the first retry waits 15 s, the second 30 s
    void a.sync({ limits: { backoffBaseMs: 30_000, backoffMaxMs: 60_000 } }).then((r) => {
      result = r
    })
    for (const [listed, delayMs] of [
      [1, 15_000],
      [2, 30_000],
    ] as const) {
      await until(() => world.calls('ListRecords') === listed && vi.getTimerCount() === 1, `the wait after ListRecords ${listed}`)
      await vi.advanceTimersByTimeAsync(delayMs - 1)
      await settleIo()
      expect([world.calls('ListRecords'), result], `1 ms before the end of the wait after ListRecords ${listed}`).toEqual([listed, undefined])
      await vi.advanceTimersByTimeAsync(1)
    }
    await until(() => result !== undefined, 'the sync to end')
    expect(result !== undefined && E.isRight(result) && result.right.retries.map((retry) => [retry.reason, retry.delayMs])).toEqual([
      ['ServerError', 15_000],
      ['ServerError', 30_000],
    ])
    expect(world.emulator.calls().map((call) => [call.operation, call.status])).toEqual([
      ['ListRecords', 503],
      ['ListRecords', 503],
      ['ListRecords', 200],
      ['UpdateRecords', 200],
    ])
  })
})
