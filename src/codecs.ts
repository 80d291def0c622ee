/**
 * The service's primitive values as io-ts codecs. Each codec is the type and its runtime check at once:
 * a `RecordKey` can only come from a successful decode, so everything downstream may trust its limits.
 *
 * Limits are the service model's (see the Cognito Sync API reference): they are counted in UTF-16 code
 * units, as the service counts string lengths.
 *
 * @since 0.1.0
 */
import * as t from 'io-ts'

/** A branded string of `min`–`max` characters matching `pattern`: each string codec below is one. */
const boundedString = <N extends string, B extends { readonly [K in N]: symbol }>(name: N, min: number, max: number, pattern?: RegExp) =>
  t.brand(t.string, (s): s is t.Branded<string, B> => s.length >= min && s.length <= max && (pattern === undefined || pattern.test(s)), name)

/** @since 0.1.0 */
export interface DatasetNameBrand {
  readonly DatasetName: unique symbol
}

/**
 * A dataset name: 1–128 characters of `[a-zA-Z0-9_.:-]`. The `:` is allowed because merged datasets are
 * named `<name>.<oldIdentityId>`.
 *
 * @example
 * import { DatasetName } from 'cognito-reconcile'
 * import { isRight } from 'fp-ts/lib/Either.js'
 * assert.ok(isRight(DatasetName.decode('settings')))
 * assert.ok(!isRight(DatasetName.decode('no spaces')))
 *
 * @since 0.1.0
 */
export const DatasetName = boundedString<'DatasetName', DatasetNameBrand>('DatasetName', 1, 128, /^[a-zA-Z0-9_.:-]*$/)
/** @since 0.1.0 */
export type DatasetName = t.TypeOf<typeof DatasetName>

/** @since 0.1.0 */
export interface RecordKeyBrand {
  readonly RecordKey: unique symbol
}

/**
 * A record key: 1–1024 characters. Any characters, `__proto__` included: keys are data, never object
 * properties.
 *
 * @since 0.1.0
 */
export const RecordKey = boundedString<'RecordKey', RecordKeyBrand>('RecordKey', 1, 1024)
/** @since 0.1.0 */
export type RecordKey = t.TypeOf<typeof RecordKey>

/** @since 0.1.0 */
export interface RecordValueBrand {
  readonly RecordValue: unique symbol
}

/**
 * A record value: at most 1,048,575 characters. The empty string is a value like any other; a deleted
 * record has no value at all (see `Content`).
 *
 * @since 0.1.0
 */
export const RecordValue = boundedString<'RecordValue', RecordValueBrand>('RecordValue', 0, 1_048_575)
/** @since 0.1.0 */
export type RecordValue = t.TypeOf<typeof RecordValue>

/** @since 0.1.0 */
export interface SyncCountBrand {
  readonly SyncCount: unique symbol
}

/**
 * A server sync count: a non-negative safe integer. Records and datasets carry one; 0 means "never
 * written".
 *
 * @since 0.1.0
 */
export const SyncCount = t.brand(
  t.number,
  (n): n is t.Branded<number, SyncCountBrand> => Number.isSafeInteger(n) && n >= 0,
  'SyncCount',
)
/** @since 0.1.0 */
export type SyncCount = t.TypeOf<typeof SyncCount>

/**
 * What a record holds: a value, or `null` for a deleted record (a tombstone). Kept distinct from the
 * empty string, which one official client confused with a delete.
 *
 * @since 0.1.0
 */
export const Content = t.union([RecordValue, t.null], 'Content')
/** @since 0.1.0 */
export type Content = t.TypeOf<typeof Content>

/**
 * A valid `Date` instance, as the AWS SDK hands dates over. An invalid date (`new Date(NaN)`) is
 * rejected here rather than compared as `NaN` later.
 *
 * @since 0.1.0
 */
export const ValidDate = new t.Type<Date, Date, unknown>(
  'ValidDate',
  (u): u is Date => u instanceof Date && !Number.isNaN(u.getTime()),
  (u, c) => (u instanceof Date && !Number.isNaN(u.getTime()) ? t.success(u) : t.failure(u, c)),
  t.identity,
)

/**
 * A `Date` stored as epoch milliseconds, for JSON persistence of local state.
 *
 * @since 0.1.0
 */
export const DateFromEpochMillis = new t.Type<Date, number, unknown>(
  'DateFromEpochMillis',
  ValidDate.is,
  (u, c) => (typeof u === 'number' && Number.isFinite(u) ? t.success(new Date(u)) : t.failure(u, c)),
  (d) => d.getTime(),
)

/** @since 0.1.0 */
export interface DeviceIdBrand {
  readonly DeviceId: unique symbol
}

/**
 * A device id: 1–256 characters, sent with UpdateRecords.
 *
 * @since 0.1.0
 */
export const DeviceId = boundedString<'DeviceId', DeviceIdBrand>('DeviceId', 1, 256)
/** @since 0.1.0 */
export type DeviceId = t.TypeOf<typeof DeviceId>

/** @since 0.1.0 */
export interface IdentityIdBrand {
  readonly IdentityId: unique symbol
}

/**
 * An identity or identity pool id: 1–55 characters of the form `region:guid`.
 *
 * @since 0.1.0
 */
export const IdentityId = boundedString<'IdentityId', IdentityIdBrand>('IdentityId', 1, 55, /^[\w-]+:[0-9a-f-]+$/)
/** @since 0.1.0 */
export type IdentityId = t.TypeOf<typeof IdentityId>
