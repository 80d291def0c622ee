/**
 * The service's per-dataset quotas that a device can check on its own: how many live records a dataset
 * holds and how many bytes they take. Checking them locally turns a write the server would refuse
 * into a typed error at the moment of the write, instead of a failed sync later (one official client
 * dropped such writes silently).
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type LocalState, liveEntries } from '../LocalRecord.js'

/**
 * The quotas, in the service's units: live records (a tombstone does not count), and UTF-8 bytes of
 * keys plus values of the live records.
 *
 * @since 0.1.0
 */
export interface DatasetLimits {
  readonly maxRecords: number
  readonly maxBytes: number
}

/** The documented values: 1024 live records and 1 MB. @since 0.1.0 */
export const serviceLimits: DatasetLimits = { maxRecords: 1024, maxBytes: 1024 * 1024 }

/**
 * A dataset over one of its quotas. `limit` names which, `actual` is what the state would hold.
 *
 * @since 0.1.0
 */
export interface LimitExceeded {
  readonly _tag: 'LimitExceeded'
  readonly limit: 'records' | 'bytes'
  readonly max: number
  readonly actual: number
  readonly message: string
}

/** What a state counts against the quotas. @since 0.1.0 */
export interface Usage {
  readonly records: number
  readonly bytes: number
}

/**
 * The UTF-8 length of a string, counted without encoding it. A lone surrogate counts 3 bytes, as the
 * replacement character it is encoded to.
 *
 * @example
 * import { utf8Length } from 'cognito-reconcile/stores'
 * assert.strictEqual(utf8Length('aé€😀'), 1 + 2 + 3 + 4)
 *
 * @since 0.1.0
 */
export const utf8Length = (s: string): number => {
  let bytes = 0
  for (const char of s) {
    const code = char.codePointAt(0) ?? 0
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4
  }
  return bytes
}

/**
 * The live records of `state` and their size.
 *
 * @example
 * import { usage } from 'cognito-reconcile/stores'
 * import { stateOf } from 'cognito-reconcile'
 * const state = stateOf([
 *   { key: 'k', server: { content: 'é', syncCount: 1 } },
 *   { key: 'gone', server: { content: 'x', syncCount: 2 }, pending: { content: null, deviceLastModifiedDate: new Date(0) } },
 * ], 2)
 * assert.deepStrictEqual(usage(state), { records: 1, bytes: 3 })
 *
 * @since 0.1.0
 */
export const usage = (state: LocalState): Usage => {
  const live = liveEntries(state)
  return { records: live.length, bytes: live.reduce((sum, { key, value }) => sum + utf8Length(key) + utf8Length(value), 0) }
}

const exceeded = (limit: LimitExceeded['limit'], max: number, actual: number): LimitExceeded => ({
  _tag: 'LimitExceeded',
  limit,
  max,
  actual,
  message: `The dataset would hold ${actual} ${limit === 'records' ? 'live records' : 'bytes'}; the limit is ${max}`,
})

/**
 * `state` itself if it is within `limits`, else the first quota it exceeds.
 *
 * @example
 * import { checkLimitsWith } from 'cognito-reconcile/stores'
 * import { stateOf } from 'cognito-reconcile'
 * const server = { content: 'v', syncCount: 1 }
 * const state = stateOf([{ key: 'a', server }, { key: 'b', server }], 1)
 * const result = checkLimitsWith({ maxRecords: 1, maxBytes: 1024 })(state)
 * assert.ok(result._tag === 'Left' && result.left.limit === 'records' && result.left.actual === 2)
 *
 * @since 0.1.0
 */
export const checkLimitsWith =
  (limits: DatasetLimits) =>
  (state: LocalState): E.Either<LimitExceeded, LocalState> => {
    const { records, bytes } = usage(state)
    return records > limits.maxRecords
      ? E.left(exceeded('records', limits.maxRecords, records))
      : bytes > limits.maxBytes
        ? E.left(exceeded('bytes', limits.maxBytes, bytes))
        : E.right(state)
  }

/**
 * `checkLimitsWith(serviceLimits)`: what the app's writes are checked against, and what the sync
 * adapter can check before any network call.
 *
 * @example
 * import { checkLimits } from 'cognito-reconcile/stores'
 * import { stateOf } from 'cognito-reconcile'
 * import * as E from 'fp-ts/lib/Either.js'
 * const records = Array.from({ length: 1025 }, (_, i) => ({ key: `k${i}`, server: { content: '', syncCount: 1 } }))
 * const result = checkLimits(stateOf(records, 1))
 * assert.ok(E.isLeft(result) && result.left.limit === 'records' && result.left.actual === 1025)
 * assert.ok(E.isRight(checkLimits(stateOf(records.slice(1), 1))))
 *
 * @since 0.1.0
 */
export const checkLimits: (state: LocalState) => E.Either<LimitExceeded, LocalState> = checkLimitsWith(serviceLimits)
