/**
 * The call log: one entry per request, in arrival order, for tests to assert on. It holds no query
 * string or body and one header only, UpdateRecords' `x-amz-client-context` (which the client fills
 * with facts about itself), so no token, signature or secret can reach it. Only the newest 10,000
 * entries are kept, so a long-running emulator does not grow without bound.
 *
 * @since 0.1.0
 */
import type { OperationName } from './routes.js'

/** @since 0.1.0 */
export type FaultKind = 'fail' | 'drop' | 'hold' | 'latency' | 'throttle'

/** @since 0.1.0 */
export interface CallLogEntry {
  /** `undefined` when no route matched. */
  readonly operation: OperationName | undefined
  readonly method: string
  /** The path without its query string, as sent (still percent-encoded). */
  readonly path: string
  /** The status answered; for a dropped connection, the 200 that was never sent. */
  readonly status: number
  /** The exception name of an error answer. */
  readonly errorType: string | undefined
  /** The fault that decided the outcome; `latency` only when nothing else applied. */
  readonly fault: FaultKind | undefined
  readonly requestId: string
  /** UpdateRecords' `ClientContext` (the `x-amz-client-context` header) as received; absent when not sent. */
  readonly clientContext?: string
  /** The identity and dataset labels of the path, decoded, when it has them. @since 0.2.0 */
  readonly identityId?: string
  /** @since 0.2.0 */
  readonly datasetName?: string
  /** Milliseconds from the request's arrival to its answer (wall clock). @since 0.2.0 */
  readonly durationMs: number
}

/** @since 0.1.0 */
export interface CallLog {
  readonly record: (entry: CallLogEntry) => void
  readonly entries: () => readonly CallLogEntry[]
  readonly clear: () => void
}

const capacity = 10_000

/** A log that also hands each entry to `onCall` as it is recorded. @since 0.1.0 */
export const createCallLog = (onCall?: (entry: CallLogEntry) => void): CallLog => {
  let log: CallLogEntry[] = []
  return {
    record: (entry) => {
      onCall?.(entry)
      log.push(entry)
      if (log.length > capacity) log = log.slice(-capacity)
    },
    entries: () => [...log],
    clear: () => {
      log = []
    },
  }
}
