/**
 * The service's per-dataset quotas that a device can check on its own: how many live records a dataset
 * holds and how many bytes they take. Checking them locally turns a write the server would refuse
 * into a typed error at the moment of the write, instead of a failed sync later (one official client
 * dropped such writes silently).
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { type LocalRecord, type LocalState, currentContent } from '../LocalRecord.js'

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

// Counting with the platform's encoder is fastest by far (the ASCII fast path is a copy). It needs a
// buffer of up to 3 bytes per UTF-16 unit, so long strings go through in chunks of `CHUNK` units.
const CHUNK = 16_384
interface Encoder {
  readonly encodeInto: (source: string, destination: Uint8Array) => { readonly written: number }
}
const encoder: Encoder | undefined = typeof TextEncoder === 'function' ? new TextEncoder() : undefined
const buffer = new Uint8Array(3 * CHUNK + 3)

const countCodeUnits = (s: string): number => {
  let bytes = s.length
  for (let i = 0; i < s.length; i++) {
    const unit = s.charCodeAt(i)
    if (unit < 0x80) continue
    if (unit < 0x800) bytes += 1
    else if (unit >= 0xd800 && unit < 0xdc00 && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2 // a pair: two units, four bytes
      i++
    } else bytes += 2 // three bytes; a lone surrogate becomes U+FFFD, also three
  }
  return bytes
}

const countEncoded = (textEncoder: Encoder, s: string): number => {
  if (s.length <= CHUNK) return textEncoder.encodeInto(s, buffer).written
  let bytes = 0
  for (let start = 0; start < s.length; ) {
    let end = Math.min(start + CHUNK, s.length)
    // never split a surrogate pair: its halves would count as two replacement characters
    if (end < s.length && (s.charCodeAt(end - 1) & 0xfc00) === 0xd800) end += 1
    bytes += textEncoder.encodeInto(s.substring(start, end), buffer).written
    start = end
  }
  return bytes
}

/**
 * The UTF-8 length of a string, as `new TextEncoder().encode(s).length`: a lone surrogate counts 3
 * bytes, as the replacement character it is encoded to. Uses `TextEncoder.encodeInto` where the
 * platform has it, else counts UTF-16 units; neither allocates per call.
 *
 * @example
 * import { utf8Length } from 'cognito-reconcile/stores'
 * assert.strictEqual(utf8Length('aé€😀'), 1 + 2 + 3 + 4)
 * assert.strictEqual(utf8Length('\ud800'), 3)
 *
 * @since 0.1.0
 */
export const utf8Length: (s: string) => number = encoder === undefined ? countCodeUnits : (s) => countEncoded(encoder, s)

/**
 * What one record counts against the quotas: nothing for a tombstone or an absent record, else one
 * record and the UTF-8 bytes of its key and current value.
 *
 * @example
 * import { recordUsage } from 'cognito-reconcile/stores'
 * import { LocalRecordJson } from 'cognito-reconcile'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const record = (json: unknown) => pipe(LocalRecordJson.decode(json), E.getOrElseW(() => assert.fail('not a record')))
 * assert.deepStrictEqual(recordUsage(record({ key: 'k', server: { content: 'é', syncCount: 1 } })), { records: 1, bytes: 3 })
 * assert.deepStrictEqual(recordUsage(record({ key: 'k', pending: { content: null, deviceLastModifiedDate: 0 } })), { records: 0, bytes: 0 })
 * assert.deepStrictEqual(recordUsage(undefined), { records: 0, bytes: 0 })
 *
 * @since 0.2.0
 */
export const recordUsage = (record: LocalRecord | undefined): Usage => {
  const value = currentContent(record)
  return record === undefined || value === null ? noUsage : { records: 1, bytes: utf8Length(record.key) + utf8Length(value) }
}

/** Nothing counted. @since 0.2.0 */
export const noUsage: Usage = { records: 0, bytes: 0 }

/**
 * The usage after some records change: `usage` minus what each old record counted plus what its
 * replacement counts (`undefined` for an absent one). A store keeps its totals with it, from the
 * records a write changes, never by counting every record.
 *
 * Law: `changeUsage(usage(state), changes) = usage(state after the changes)`.
 *
 * @example
 * import { changeUsage } from 'cognito-reconcile/stores'
 * import { LocalRecordJson } from 'cognito-reconcile'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const live = (content: string) => pipe(LocalRecordJson.decode({ key: 'k', server: { content, syncCount: 1 } }), E.getOrElseW(() => assert.fail('not a record')))
 * assert.deepStrictEqual(changeUsage({ records: 1, bytes: 2 }, [[live('v'), live('value')]]), { records: 1, bytes: 6 })
 * assert.deepStrictEqual(changeUsage({ records: 1, bytes: 2 }, [[live('v'), undefined]]), { records: 0, bytes: 0 })
 *
 * @since 0.2.0
 */
export const changeUsage = (
  from: Usage,
  changes: Iterable<readonly [before: LocalRecord | undefined, after: LocalRecord | undefined]>,
): Usage => {
  let { records, bytes } = from
  for (const [before, after] of changes) {
    const old = recordUsage(before)
    const next = recordUsage(after)
    records += next.records - old.records
    bytes += next.bytes - old.bytes
  }
  return { records, bytes }
}

/**
 * The live records of `state` and their size, in one pass over the records.
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
  let records = 0
  let bytes = 0
  for (const record of state.records.values()) {
    const counted = recordUsage(record)
    records += counted.records
    bytes += counted.bytes
  }
  return { records, bytes }
}

const count = (n: number): string => n.toLocaleString('en-US')

const exceeded = (limit: LimitExceeded['limit'], max: number, actual: number): LimitExceeded => ({
  _tag: 'LimitExceeded',
  limit,
  max,
  actual,
  message:
    limit === 'records'
      ? `The dataset would hold ${count(actual)} live records; the service allows ${count(max)} per dataset. Remove records you no longer need, or spread the data over more datasets.`
      : `The dataset would hold ${count(actual)} bytes of keys and values (UTF-8); the service allows ${count(max)} (1 MB) per dataset. Remove or shorten values, or spread the data over more datasets.`,
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
  (state: LocalState): E.Either<LimitExceeded, LocalState> =>
    pipe(
      checkGrowthWith(limits)(noUsage, usage(state)),
      E.map(() => state),
    )

/**
 * `after` itself, unless a write from `before` to `after` grows a total past its limit. A write that
 * grows neither total (a delete, a value no longer than the one it replaces) is never refused, even in
 * a dataset already over a quota: it can only help.
 *
 * @example
 * import { checkGrowthWith } from 'cognito-reconcile/stores'
 * const limits = { maxRecords: 2, maxBytes: 10 }
 * assert.ok(checkGrowthWith(limits)({ records: 2, bytes: 4 }, { records: 3, bytes: 6 })._tag === 'Left')
 * assert.ok(checkGrowthWith(limits)({ records: 3, bytes: 6 }, { records: 3, bytes: 6 })._tag === 'Right')
 *
 * @since 0.2.0
 */
export const checkGrowthWith =
  (limits: DatasetLimits) =>
  (before: Usage, after: Usage): E.Either<LimitExceeded, Usage> =>
    after.records > limits.maxRecords && after.records > before.records
      ? E.left(exceeded('records', limits.maxRecords, after.records))
      : after.bytes > limits.maxBytes && after.bytes > before.bytes
        ? E.left(exceeded('bytes', limits.maxBytes, after.bytes))
        : E.right(after)

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

/**
 * `checkGrowthWith(serviceLimits)`: what the app's writes are checked against, from the store's running
 * totals.
 *
 * @example
 * import { checkGrowth } from 'cognito-reconcile/stores'
 * import * as E from 'fp-ts/lib/Either.js'
 * const result = checkGrowth({ records: 1024, bytes: 2048 }, { records: 1025, bytes: 2050 })
 * assert.ok(E.isLeft(result) && result.left.limit === 'records' && result.left.actual === 1025)
 *
 * @since 0.2.0
 */
export const checkGrowth: (before: Usage, after: Usage) => E.Either<LimitExceeded, Usage> = checkGrowthWith(serviceLimits)
