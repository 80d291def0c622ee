/**
 * Faults that tests program at run time, to exercise a client's failure paths against a server that
 * otherwise behaves like the service:
 * - `failNext`: the next N calls of an operation answer a given exception, before any state changes;
 * - `dropAfterCommit`: the next N UpdateRecords commit, then the connection is destroyed before the
 *   response (the "indeterminate write" of a lost response);
 * - `holdAfterCommit`: the next N UpdateRecords commit, then wait before answering (a client that
 *   gives up meanwhile leaves a write it never saw acknowledged);
 * - `setLatency`: delay calls, per operation or for all, before they change anything;
 * - `throttle`: a token bucket on the emulator clock; a call finding it empty answers 429
 *   `TooManyRequestsException`.
 *
 * @since 0.1.0
 */
import { serviceError, type ServiceError } from './errors.js'
import type { OperationName } from './routes.js'

/** What a failed call answers. `status` defaults to the exception's status in the model. @since 0.1.0 */
export interface FailureSpec {
  /** The exception shape name, e.g. `'InternalErrorException'`. */
  readonly errorType: string
  readonly status?: number
  readonly message?: string
  /** How many calls fail; 1 when absent. */
  readonly count?: number
}

/** @since 0.1.0 */
export interface ThrottleSpec {
  /** Calls per second refilled into the bucket. */
  readonly ratePerSecond: number
  /** Bucket size, the burst allowed after a quiet spell; `ratePerSecond` when absent (at least 1). */
  readonly burst?: number
}

/**
 * @example
 * import { startEmulator } from 'cognito-reconcile/emulator'
 * import { CognitoSyncClient, ListRecordsCommand } from '@aws-sdk/client-cognito-sync'
 *
 * const emulator = await startEmulator()
 * const client = new CognitoSyncClient({
 *   region: 'us-east-1',
 *   endpoint: emulator.endpoint,
 *   credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
 *   maxAttempts: 1,
 * })
 * const list = new ListRecordsCommand({ IdentityPoolId: 'us-east-1:1111', IdentityId: 'us-east-1:aaaa', DatasetName: 'settings' })
 * emulator.faults.failNext('ListRecords', { errorType: 'InternalErrorException', count: 2 })
 * await assert.rejects(client.send(list), { name: 'InternalErrorException' })
 * emulator.faults.reset() // the second failure is never answered
 * assert.strictEqual((await client.send(list)).DatasetSyncCount, 0)
 * emulator.faults.throttle({ ratePerSecond: 1, burst: 1 })
 * await client.send(list)
 * await assert.rejects(client.send(list), { name: 'TooManyRequestsException' }) // the bucket is empty
 * client.destroy()
 * await emulator.close()
 *
 * @since 0.1.0
 */
export interface FaultControls {
  readonly failNext: (operation: OperationName, failure: FailureSpec) => void
  readonly dropAfterCommit: (count?: number) => void
  /** The next `count` (1) UpdateRecords commit, then wait `ms` before answering. */
  readonly holdAfterCommit: (ms: number, count?: number) => void
  /** `operation` absent sets the latency of every call; 0 removes it. */
  readonly setLatency: (ms: number, operation?: OperationName) => void
  /** `undefined` turns throttling off. */
  readonly throttle: (spec: ThrottleSpec | undefined) => void
  /** Removes every programmed fault. */
  readonly reset: () => void
}

/** The server's side of the faults: each `take…` consumes what it reports. @since 0.1.0 */
export interface Faults {
  readonly controls: FaultControls
  readonly latency: (operation: OperationName) => number
  readonly takeThrottle: () => boolean
  readonly takeFailure: (operation: OperationName) => ServiceError | undefined
  readonly takeDrop: (operation: OperationName) => boolean
  /** How long to hold a committed answer; 0 for none. */
  readonly takeHold: (operation: OperationName) => number
}

const positive = (n: number, what: string): number => {
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`${what} must be a non-negative number`)
  return n
}

/** @since 0.1.0 */
export const createFaults = (now: () => number): Faults => {
  const failures = new Map<OperationName, { error: ServiceError; left: number }>()
  const latencies = new Map<OperationName | '*', number>()
  let drops = 0
  let holds = { ms: 0, left: 0 }
  let bucket: { spec: Required<ThrottleSpec>; tokens: number; at: number } | undefined

  const controls: FaultControls = {
    failNext: (operation, failure) => {
      const left = positive(failure.count ?? 1, 'count')
      const error = serviceError(failure.errorType, failure.message ?? `Injected ${failure.errorType}`, failure.status)
      failures.set(operation, { error, left })
    },
    dropAfterCommit: (count = 1) => {
      drops = positive(count, 'count')
    },
    holdAfterCommit: (ms, count = 1) => {
      holds = { ms: positive(ms, 'hold'), left: positive(count, 'count') }
    },
    setLatency: (ms, operation) => {
      latencies.set(operation ?? '*', positive(ms, 'latency'))
    },
    throttle: (spec) => {
      if (spec === undefined) {
        bucket = undefined
        return
      }
      const burst = Math.max(1, spec.burst ?? spec.ratePerSecond)
      bucket = { spec: { ratePerSecond: positive(spec.ratePerSecond, 'ratePerSecond'), burst }, tokens: burst, at: now() }
    },
    reset: () => {
      failures.clear()
      latencies.clear()
      drops = 0
      holds = { ms: 0, left: 0 }
      bucket = undefined
    },
  }

  return {
    controls,
    latency: (operation) => latencies.get(operation) ?? latencies.get('*') ?? 0,
    takeThrottle: () => {
      if (bucket === undefined) return false
      const t = now()
      bucket.tokens = Math.min(bucket.spec.burst, bucket.tokens + ((t - bucket.at) * bucket.spec.ratePerSecond) / 1000)
      bucket.at = t
      if (bucket.tokens < 1) return true
      bucket.tokens -= 1
      return false
    },
    takeFailure: (operation) => {
      const f = failures.get(operation)
      if (f === undefined || f.left < 1) return undefined
      f.left -= 1
      return f.error
    },
    takeDrop: (operation) => {
      if (operation !== 'UpdateRecords' || drops < 1) return false
      drops -= 1
      return true
    },
    takeHold: (operation) => {
      if (operation !== 'UpdateRecords' || holds.left < 1) return 0
      holds.left -= 1
      return holds.ms
    },
  }
}
