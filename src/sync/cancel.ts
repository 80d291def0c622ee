/**
 * Stopping a sync: the caller's `AbortSignal` and the sync's own deadline, merged into one signal
 * that every `client.send` and every backoff wait of the sync listens to.
 *
 * Laws: once the signal has fired, the sync makes no further call and waits no further backoff; it
 * fails with `Aborted` (the caller's signal) or `DeadlineExceeded` (the deadline), whichever fired
 * first. A sync stops within the call in flight, which the SDK aborts.
 *
 * @since 0.1.0
 */
import type { Aborted, DeadlineExceeded, Operation } from './errors.js'

/** @since 0.1.0 */
export interface Cancel {
  /** Fires on the caller's abort or at the deadline. */
  readonly signal: AbortSignal
  /** Why the sync stopped, once `signal` has fired; `operation` is the call it stopped in or before. */
  readonly error: (operation?: Operation) => Aborted | DeadlineExceeded
  /** Removes the listener on the caller's signal and the deadline's timer. */
  readonly dispose: () => void
}

/** The reason the merged signal carries when the deadline fired. */
class Deadline {
  constructor(readonly timeoutMs: number) {}
}

const during = (operation: Operation | undefined): string => (operation === undefined ? '' : ` during ${operation}`)

const describeReason = (reason: unknown): string =>
  reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason)

/**
 * What the messages of a cancelled task say: what it was (`'The sync'`) and what is true of the local
 * store afterwards, with what to do.
 *
 * @example
 * import { type CancelledTask, cancellation } from 'cognito-reconcile/sync'
 * const task: CancelledTask = { name: 'The export', afterwards: 'Nothing was written' }
 * const cancel = cancellation(AbortSignal.abort('stop'), undefined, task)
 * assert.strictEqual(cancel.error().message, 'The export was aborted: stop. Nothing was written')
 * cancel.dispose()
 *
 * @since 0.2.0
 */
export interface CancelledTask {
  readonly name: string
  readonly afterwards: string
}

const aSync: CancelledTask = { name: 'The sync', afterwards: 'Every local change not acknowledged is still dirty; sync again later' }

/**
 * The cancellation of one sync: `signal` (the caller's), and `timeoutMs` for the whole sync. `task`
 * words the messages for another operation than a sync (a delete).
 *
 * @example
 * import { cancellation } from 'cognito-reconcile/sync'
 * const controller = new AbortController()
 * const cancel = cancellation(controller.signal, undefined)
 * assert.strictEqual(cancel.signal.aborted, false)
 * controller.abort('app went to the background')
 * assert.deepStrictEqual(cancel.error('ListRecords'), {
 *   _tag: 'Aborted',
 *   reason: 'app went to the background',
 *   operation: 'ListRecords',
 *   message: 'The sync was aborted during ListRecords: app went to the background. Every local change not acknowledged is still dirty; sync again later',
 * })
 * cancel.dispose()
 *
 * @since 0.1.0
 */
export const cancellation = (signal: AbortSignal | undefined, timeoutMs: number | undefined, task: CancelledTask = aSync): Cancel => {
  const merged = new AbortController()
  const onAbort = () => merged.abort(signal?.reason)
  if (signal?.aborted === true) onAbort()
  else signal?.addEventListener('abort', onAbort, { once: true })
  const timer = timeoutMs === undefined || merged.signal.aborted ? undefined : setTimeout(() => merged.abort(new Deadline(timeoutMs)), timeoutMs)
  return {
    signal: merged.signal,
    error: (operation) => {
      const reason: unknown = merged.signal.reason
      return reason instanceof Deadline
        ? {
            _tag: 'DeadlineExceeded',
            timeoutMs: reason.timeoutMs,
            ...(operation === undefined ? {} : { operation }),
            message: `${task.name} did not finish within its timeoutMs of ${reason.timeoutMs} ms; it stopped${during(operation)}. ${task.afterwards}`,
          }
        : {
            _tag: 'Aborted',
            reason,
            ...(operation === undefined ? {} : { operation }),
            message: `${task.name} was aborted${during(operation)}: ${describeReason(reason)}. ${task.afterwards}`,
          }
    },
    dispose: () => {
      signal?.removeEventListener('abort', onAbort)
      if (timer !== undefined) clearTimeout(timer)
    },
  }
}
