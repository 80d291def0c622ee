/**
 * The adapter's calls (remote.ts) as a user's client makes them, over HTTP against the emulator with
 * the real SDK: what an answer's `$metadata.attempts` counts for, what a thrown value that is not an
 * SDK error becomes, and which error an abort during a call is. Shown through `deleteDataset`, whose
 * report counts every HTTP attempt.
 */
import type { CognitoSyncClient } from '@aws-sdk/client-cognito-sync'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { onArrivalOf } from '../emulator/arrivals.js'
import { deleteOf as remove, sdkClient, useWorld } from './harness.js'

const world = useWorld()

/** Sets `$metadata.attempts` of every answer and every SDK error `client` gives back to `attempts` (a middleware outside the SDK's retries). */
const reportAttempts = (client: CognitoSyncClient, attempts: unknown): void => {
  const rewrite = (u: unknown) => {
    const $metadata = (u as { $metadata?: Record<string, unknown> } | null)?.$metadata
    if ($metadata !== undefined) $metadata.attempts = attempts
  }
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        const result = await next(args)
        rewrite(result.output)
        return result
      } catch (e) {
        rewrite(e)
        throw e
      }
    },
    { step: 'initialize', name: 'reportAttempts' },
  )
}

describe("HTTP attempts, from the answer's $metadata", () => {
  it("count the SDK's own retries", async () => {
    const a = world.device('a', { client: sdkClient(world.emulator.endpoint, { maxAttempts: 3 }) })
    await a.put('coins', '100')
    await a.synced()
    world.emulator.faults.failNext('DeleteDataset', { errorType: 'InternalErrorException', count: 2 })
    const result = await remove(a)
    // the SDK retried the two 500s itself: three attempts, none of them the adapter's retries
    expect(E.isRight(result) && result.right).toMatchObject({ deletedOnService: true, attempts: 3, retries: [] })
    expect(world.calls('DeleteDataset')).toBe(3)
  })

  it.each([[0], [-1], [Number.NaN], ['2'], [undefined]])('count as one when they say %s: an answer, or an error, took at least one', async (attempts) => {
    const a = world.device('a')
    reportAttempts(a.client, attempts)
    await a.put('coins', '100')
    await a.synced()
    const deleted = await remove(a)
    // the dataset is gone: a 404 ResourceNotFoundException, an SDK error, settles this one
    const again = await remove(a)
    expect([deleted, again].map((result) => E.isRight(result) && [result.right.deletedOnService, result.right.attempts])).toEqual([
      [true, 1],
      [false, 1],
    ])
  })
})

describe('a thrown value that is not an SDK error', () => {
  it.each([[null], [undefined]])('a client middleware rejecting with %s: a network error, retried, never a rejected task', async (thrown) => {
    const a = world.device('a')
    await a.put('coins', '100')
    await a.synced()
    // outermost (the SDK's own middleware would read `$metadata` of it, and throw a TypeError instead)
    let left = 1
    a.client.middlewareStack.add((next) => (args) => (left-- > 0 ? Promise.reject(thrown) : next(args)), { step: 'initialize', priority: 'high', name: 'rejects' })
    const result = await remove(a)
    expect(E.isRight(result) && result.right).toMatchObject({ deletedOnService: true, attempts: 2 })
    expect(E.isRight(result) && result.right.retries.map((retry) => [retry.reason, retry.message])).toEqual([['NetworkError', String(thrown)]])
    expect(world.calls('DeleteDataset')).toBe(1)
  })
})

describe('an abort while a call is in flight', () => {
  it("is the cancellation's Aborted, not the SDK's AbortError taken for a network error: even with no retry left", { timeout: 10_000 }, async () => {
    const a = world.device('a')
    await a.put('coins', '100')
    await a.synced()
    const before = await a.state()
    world.emulator.faults.setLatency(60_000, 'DeleteDataset')
    const controller = new AbortController()
    onArrivalOf(world.emulator.port, 'DeleteDataset', () => controller.abort('app paused'))
    const result = await remove(a, { signal: controller.signal, limits: { maxRetries: 0 } })
    expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'Aborted', operation: 'DeleteDataset', reason: 'app paused' })
    expect(await a.state()).toEqual(before)
  })
})
