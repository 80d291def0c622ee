/**
 * Backoff between retries: exponential with full jitter (a uniform delay between 0 and the capped
 * exponential), so devices that failed together do not retry together. The random source is an input,
 * so tests get the same delays on every run.
 *
 * @since 0.1.0
 */
import type * as T from 'fp-ts/lib/Task.js'

/** @since 0.1.0 */
export interface Backoff {
  /** The cap of the first retry's delay, in ms. */
  readonly baseMs: number
  /** The cap of any delay, in ms. */
  readonly maxMs: number
  /** Uniform in [0, 1), like `Math.random`. */
  readonly random: () => number
}

/**
 * The delay before retry number `retry` (0 for the first).
 *
 * @example
 * import { backoffDelay } from 'cognito-reconcile/sync'
 * const half = { baseMs: 100, maxMs: 1000, random: () => 0.5 }
 * assert.deepStrictEqual([0, 1, 2, 3, 4].map((n) => backoffDelay(half, n)), [50, 100, 200, 400, 500])
 *
 * @since 0.1.0
 */
export const backoffDelay = (backoff: Backoff, retry: number): number =>
  Math.floor(backoff.random() * Math.min(backoff.maxMs, backoff.baseMs * 2 ** retry))

/**
 * A task that waits `ms`, or less: it resolves as soon as `signal` fires (at once if it has).
 *
 * @example
 * import { sleep } from 'cognito-reconcile/sync'
 * const controller = new AbortController()
 * const waiting = sleep(60_000, controller.signal)()
 * controller.abort()
 * await waiting // resolves now, not in a minute
 * assert.ok(controller.signal.aborted)
 *
 * @since 0.1.0
 */
export const sleep =
  (ms: number, signal?: AbortSignal): T.Task<void> =>
  () =>
    new Promise((resolve) => {
      if (signal?.aborted === true) return resolve()
      const done = () => {
        clearTimeout(timer)
        signal?.removeEventListener('abort', done)
        resolve()
      }
      const timer = setTimeout(done, ms)
      signal?.addEventListener('abort', done, { once: true })
    })
