/**
 * The service's primitive values as io-ts codecs. Each codec is the type and its runtime check at once.
 * The ids a sync is configured with are branded (a `DatasetName` can only come from a successful
 * decode); the values of records (`RecordKey`, `RecordValue`, `SyncCount`, `Content`) are plain strings
 * and numbers, so that strategies and tests write them as literals, and are checked where they enter:
 * a listing is decoded, a local write validated, a strategy's answer checked by `reconcile`.
 *
 * Limits are the service model's (see the Cognito Sync API reference): they are counted in UTF-16 code
 * units, as the service counts string lengths.
 *
 * @since 0.1.0
 */
import * as t from 'io-ts'
import { type Rule, withRule } from './DecodeError.js'

const count = (n: number): string => n.toLocaleString('en-US')

/** What is wrong with a string against a length range and a character class, in a few words. */
const stringHint =
  (min: number, max: number, allowed?: RegExp) =>
  (u: unknown): string | undefined => {
    if (typeof u !== 'string') return undefined
    if (u.length < min) return 'empty'
    if (u.length > max) return `${count(u.length)} characters`
    const bad = allowed === undefined ? undefined : [...u].find((c) => !allowed.test(c))
    return bad === undefined ? undefined : `${bad === ' ' ? 'a space' : JSON.stringify(bad)} is not allowed`
  }

const isBounded = (min: number, max: number, allowed?: RegExp) => (s: string): boolean =>
  s.length >= min && s.length <= max && (allowed === undefined || [...s].every((c) => allowed.test(c)))

type RuleOf = Omit<Rule, 'hint'> & Partial<Pick<Rule, 'hint'>>

/**
 * A branded string of `min`–`max` characters (each matching `allowed`), stating its rule in every
 * error: for the ids a sync is configured with.
 */
const boundedString = <N extends string, B extends { readonly [K in N]: symbol }>(name: N, min: number, max: number, rule: RuleOf, allowed?: RegExp) => {
  const bounded = isBounded(min, max, allowed)
  return withRule(
    t.brand(t.string, (s): s is t.Branded<string, B> => bounded(s), name),
    { hint: stringHint(min, max, allowed), ...rule },
  )
}

/** A codec of the `A`s of `base` that pass `accept`: checked like a brand, typed as plain `A`. */
const constrained = <A>(base: t.Type<A, A, unknown>, accept: (a: A) => boolean, name: string): t.Type<A, A, unknown> =>
  new t.Type<A, A, unknown>(
    name,
    (u): u is A => base.is(u) && accept(u),
    (u, c) => (base.is(u) && accept(u) ? t.success(u) : t.failure(u, c)),
    t.identity,
  )

/** A plain string of `min`–`max` characters, stating its rule in every error: for record values. */
const lengthString = (name: string, min: number, max: number, rule: RuleOf): t.Type<string, string, unknown> =>
  withRule(constrained(t.string, isBounded(min, max), name), { hint: stringHint(min, max), ...rule })

const nameCharacter = /^[a-zA-Z0-9_.:-]$/

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
export const DatasetName = boundedString<'DatasetName', DatasetNameBrand>(
  'DatasetName',
  1,
  128,
  { rule: 'be 1–128 characters of [a-zA-Z0-9_.:-]', fix: 'Use letters, digits and _ . : - only (no spaces), at most 128 of them.' },
  nameCharacter,
)
/** @since 0.1.0 */
export type DatasetName = t.TypeOf<typeof DatasetName>

/**
 * A record key: 1–1024 characters. Any characters, `__proto__` included: keys are data, never object
 * properties.
 *
 * @example
 * import { RecordKey } from 'cognito-reconcile'
 * import { isRight } from 'fp-ts/lib/Either.js'
 * assert.ok(isRight(RecordKey.decode('__proto__')))
 * assert.ok(!isRight(RecordKey.decode('')))
 *
 * @since 0.1.0
 */
export const RecordKey = lengthString('RecordKey', 1, 1024, {
  rule: 'be 1–1,024 characters (the service limit)',
  fix: 'Use a non-empty key of at most 1,024 characters.',
})
/** @since 0.1.0 */
export type RecordKey = string

/**
 * A record value: at most 1,048,575 characters. The empty string is a value like any other; a deleted
 * record has no value at all (see `Content`).
 *
 * @since 0.1.0
 */
export const RecordValue = lengthString('RecordValue', 0, 1_048_575, {
  rule: 'be at most 1,048,575 characters (1 MB − 1, the service limit)',
  fix: 'Split the value over several keys (the whole dataset holds at most 1 MB), or keep large data elsewhere and store a reference to it.',
})
/** @since 0.1.0 */
export type RecordValue = string

/**
 * A server sync count: a non-negative safe integer. Records and datasets carry one; 0 means "never
 * written".
 *
 * @since 0.1.0
 */
export const SyncCount = withRule(
  constrained(t.number, (n) => Number.isSafeInteger(n) && n >= 0, 'SyncCount'),
  { rule: 'be a non-negative integer' },
)
/** @since 0.1.0 */
export type SyncCount = number

/**
 * What a record holds: a value, or `null` for a deleted record (a tombstone). Kept distinct from the
 * empty string, which one official client confused with a delete.
 *
 * @since 0.1.0
 */
export const Content = withRule(t.union([RecordValue, t.null], 'Content'), { rule: 'be a value of at most 1,048,575 characters, or null for a deleted record' })
/** @since 0.1.0 */
export type Content = string | null

/**
 * A valid `Date` instance, as the AWS SDK hands dates over. An invalid date (`new Date(NaN)`) is
 * rejected here rather than compared as `NaN` later.
 *
 * @since 0.1.0
 */
export const ValidDate = withRule(
  new t.Type<Date, Date, unknown>(
    'ValidDate',
    (u): u is Date => u instanceof Date && !Number.isNaN(u.getTime()),
    (u, c) => (u instanceof Date && !Number.isNaN(u.getTime()) ? t.success(u) : t.failure(u, c)),
    t.identity,
  ),
  { rule: 'be a valid date' },
)

/**
 * A `Date` stored as epoch milliseconds, for JSON persistence of local state: a number a `Date` can
 * hold (at most 8.64e15 ms either side of 1970); `NaN`, infinities and numbers past that are refused.
 *
 * @since 0.1.0
 */
export const DateFromEpochMillis = withRule(
  new t.Type<Date, number, unknown>(
    'DateFromEpochMillis',
    // a function rather than ValidDate.is: a property read at load would keep this codec in every bundle
    (u): u is Date => ValidDate.is(u),
    (u, c) => {
      // a finite number past ±8.64e15 ms is no date either: new Date(u) would be an Invalid Date
      const date = typeof u === 'number' ? new Date(u) : undefined
      return date !== undefined && ValidDate.is(date) ? t.success(date) : t.failure(u, c)
    },
    (d) => d.getTime(),
  ),
  { rule: 'be a date in epoch milliseconds' },
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
export const DeviceId = boundedString<'DeviceId', DeviceIdBrand>('DeviceId', 1, 256, {
  rule: 'be 1–256 characters',
  fix: 'Pass a stable id of this installation, for example a UUID generated once and kept with the store.',
})
/** @since 0.1.0 */
export type DeviceId = t.TypeOf<typeof DeviceId>

/** @since 0.1.0 */
export interface IdentityIdBrand {
  readonly IdentityId: unique symbol
}

const identityIdPattern = /^[\w-]+:[0-9a-f-]+$/
/** `us-east-1_AbC123`: the id of a Cognito user pool, which Cognito Sync does not take. */
const userPoolIdPattern = /^[a-z]{2}(-[a-z]+)+-\d+_[0-9a-zA-Z]+$/

const identityHint = (u: unknown): string | undefined => {
  if (typeof u !== 'string') return undefined
  if (userPoolIdPattern.test(u)) return 'this is a Cognito user pool id; Cognito Sync takes the identity pool id, region:GUID, from the Identity pools page of the Cognito console'
  // the length first: a well-formed id that is too long is not one in upper case
  const length = stringHint(1, 55)(u)
  if (length !== undefined) return length
  if (/^[\w-]+:[0-9a-fA-F-]+$/.test(u)) return 'the GUID must be in lowercase hex'
  return u.includes(':') ? undefined : 'no ":" between region and GUID'
}

/**
 * An identity or identity pool id: 1–55 characters of the form `region:guid`
 * (`[\w-]+:[0-9a-f-]+`). A user pool id (`us-east-1_AbC123`) is refused, and its error says so.
 *
 * @example
 * import { IdentityId, decodeWith } from 'cognito-reconcile'
 * import * as E from 'fp-ts/lib/Either.js'
 * const result = decodeWith(IdentityId, 'identity pool id')('us-east-1_AbC123')
 * assert.ok(E.isLeft(result) && result.left.message.includes('user pool id'))
 *
 * @since 0.1.0
 */
export const IdentityId = withRule(
  t.brand(t.string, (s): s is t.Branded<string, IdentityIdBrand> => s.length <= 55 && identityIdPattern.test(s), 'IdentityId'),
  {
    rule: 'be region:GUID, 1–55 characters matching [\\w-]+:[0-9a-f-]+ (for example us-east-1:0f9a3c5e-2b4d-4c6e-8f10-1a2b3c4d5e6f)',
    hint: identityHint,
    fix: 'Pass the identity pool id and the identity id from Cognito Identity (GetId), not a user pool id or a user name.',
  },
)
/** @since 0.1.0 */
export type IdentityId = t.TypeOf<typeof IdentityId>

/**
 * A record key as the official clients (the AWS Mobile SDKs) accept it: 1–128 characters of
 * `[a-zA-Z0-9_.:-]`. The service takes any 1–1,024 characters (`RecordKey`); an app that still has
 * devices on the official clients writes only keys they can read. Every such key is a `RecordKey`.
 *
 * @example
 * import { OfficialClientRecordKey, RecordKey } from 'cognito-reconcile'
 * import { isRight } from 'fp-ts/lib/Either.js'
 * assert.ok(isRight(OfficialClientRecordKey.decode('settings.theme')))
 * assert.ok(!isRight(OfficialClientRecordKey.decode('my key')) && isRight(RecordKey.decode('my key')))
 *
 * @since 0.1.0
 */
export const OfficialClientRecordKey = withRule(
  new t.Type<RecordKey, string, unknown>(
    'OfficialClientRecordKey',
    (u): u is RecordKey => RecordKey.is(u) && u.length <= 128 && [...u].every((c) => nameCharacter.test(c)),
    (u, c) =>
      typeof u === 'string' && u.length >= 1 && u.length <= 128 && [...u].every((ch) => nameCharacter.test(ch)) ? RecordKey.validate(u, c) : t.failure(u, c),
    t.identity,
  ),
  {
    rule: "be 1–128 characters of [a-zA-Z0-9_.:-] (the official clients' key rule, keyRule 'officialClients')",
    hint: stringHint(1, 128, nameCharacter),
    fix: "Use letters, digits and _ . : - only, at most 128 of them, or keyRule 'service' if no device runs an official client.",
  },
)

/**
 * Which keys a dataset accepts: `'service'`, what the service takes (1–1,024 characters of any text),
 * or `'officialClients'`, what the official clients take (1–128 characters of `[a-zA-Z0-9_.:-]`).
 *
 * @since 0.1.0
 */
export type KeyRule = 'service' | 'officialClients'

/**
 * The key codec of a `KeyRule`.
 *
 * @example
 * import { recordKeyOf } from 'cognito-reconcile'
 * import { isRight } from 'fp-ts/lib/Either.js'
 * assert.ok(isRight(recordKeyOf('service').decode('ä')) && !isRight(recordKeyOf('officialClients').decode('ä')))
 *
 * @since 0.1.0
 */
export const recordKeyOf = (rule: KeyRule): t.Type<RecordKey, string, unknown> => (rule === 'service' ? RecordKey : OfficialClientRecordKey)

/** @since 0.1.0 */
export interface ClientContextBrand {
  readonly ClientContext: unique symbol
}

const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

const isBase64JsonObject = (s: string): boolean => {
  if (s.length === 0 || !base64.test(s)) return false
  try {
    const bytes = Uint8Array.from(atob(s), (c) => c.charCodeAt(0))
    const json: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
    return typeof json === 'object' && json !== null && !Array.isArray(json)
  } catch {
    return false
  }
}

/**
 * UpdateRecords' `ClientContext`: a JSON object about the client, UTF-8, base64-encoded (standard
 * alphabet, padded), as AWS's client context is everywhere. The SDK sends it verbatim in the
 * `x-amz-Client-Context` header; the service documents it as not yet used.
 *
 * @example
 * import { ClientContext } from 'cognito-reconcile'
 * import { isRight } from 'fp-ts/lib/Either.js'
 * const context = btoa(JSON.stringify({ client: { app_title: 'game', app_version_name: '1.2.0' } }))
 * assert.ok(isRight(ClientContext.decode(context)))
 * assert.ok(!isRight(ClientContext.decode('{"client":{}}')))
 *
 * @since 0.1.0
 */
export const ClientContext = withRule(
  t.brand(t.string, (s): s is t.Branded<string, ClientContextBrand> => isBase64JsonObject(s), 'ClientContext'),
  {
    rule: 'be a JSON object, UTF-8, base64-encoded',
    fix: "Encode it as the SDKs do: Buffer.from(JSON.stringify(context)).toString('base64'), or btoa for ASCII JSON.",
  },
)
/** @since 0.1.0 */
export type ClientContext = t.TypeOf<typeof ClientContext>
