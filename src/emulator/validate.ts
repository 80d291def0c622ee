/**
 * Strict decoding of everything a caller sends: path labels, query parameters and the UpdateRecords
 * body. The SDK checks nothing but the presence of labels (protocol notes, 1.1), so every rule of the
 * model is enforced here, and each failure is an `InvalidParameterException` (400) naming the field.
 *
 * @since 0.1.0
 */
import { invalidParameter } from './errors.js'
import type { Limits } from './limits.js'

const identityIdPattern = /^[\w-]+:[0-9a-f-]+$/
const datasetNamePattern = /^[a-zA-Z0-9_.:-]{1,128}$/
const decimalPattern = /^[0-9]{1,16}$/
/** 2^63 − 1 as a JSON number reads (it rounds to 2^63). */
const maxLong = 9223372036854775807
/** A lone surrogate cannot round-trip through UTF-8, so it would corrupt sizes and cursors. */
const loneSurrogate = /[\ud800-\udfff]/u

/**
 * An identity id or an identity pool id: 1–55 characters matching `[\w-]+:[0-9a-f-]+`.
 *
 * @example
 * import { identityId } from './validate.js'
 * assert.strictEqual(identityId('IdentityId', 'us-east-1:0f9a'), 'us-east-1:0f9a')
 * assert.throws(() => identityId('IdentityId', 'nope'), { type: 'InvalidParameterException' })
 *
 * @since 0.1.0
 */
export const identityId = (field: string, value: string): string => {
  if (value.length < 1 || value.length > 55 || !identityIdPattern.test(value)) {
    throw invalidParameter(`${field} must match [\\w-]+:[0-9a-f-]+ and have 1 to 55 characters`)
  }
  return value
}

/** A dataset name: 1–128 characters of `[a-zA-Z0-9_.:-]`. @since 0.1.0 */
export const datasetName = (value: string): string => {
  if (!datasetNamePattern.test(value)) {
    throw invalidParameter('DatasetName must match [a-zA-Z0-9_.:-]+ and have 1 to 128 characters')
  }
  return value
}

/** A device id: 1–256 characters. @since 0.1.0 */
export const deviceId = (value: string): string => {
  if (value.length < 1 || value.length > 256) throw invalidParameter('DeviceId must have 1 to 256 characters')
  return value
}

/**
 * Reads one query parameter, refusing a repeated one (the SDK never repeats, so a repeat is junk).
 *
 * @since 0.1.0
 */
export const queryString = (query: URLSearchParams, name: string): string | undefined => {
  const all = query.getAll(name)
  if (all.length > 1) throw invalidParameter(`${name} must be given at most once`)
  return all[0]
}

/**
 * A query parameter that must be a non-negative decimal integer (at least `min`), or absent.
 *
 * @example
 * import { queryInteger } from './validate.js'
 * assert.strictEqual(queryInteger(new URLSearchParams('maxResults=5'), 'maxResults', 1), 5)
 * assert.strictEqual(queryInteger(new URLSearchParams(''), 'maxResults', 1), undefined)
 *
 * @since 0.1.0
 */
export const queryInteger = (query: URLSearchParams, name: string, min: number): number | undefined => {
  const text = queryString(query, name)
  if (text === undefined) return undefined
  const n = Number(text)
  if (!decimalPattern.test(text) || !Number.isSafeInteger(n) || n < min) {
    throw invalidParameter(`${name} must be an integer of at least ${min}`)
  }
  return n
}

/**
 * A patch as the emulator applies it. `value` is `undefined` for a removal: `remove`, or `replace`
 * without a `Value` ("absent means remove", model `RecordValue`).
 *
 * @since 0.1.0
 */
export interface Patch {
  readonly key: string
  readonly value: string | undefined
  readonly syncCount: number
  readonly deviceLastModifiedDate: number | undefined
}

/** The decoded UpdateRecords body. @since 0.1.0 */
export interface UpdateBody {
  readonly syncSessionToken: string | undefined
  readonly deviceId: string | undefined
  readonly patches: readonly Patch[]
}

const isObject = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u)

const optionalString = (o: Record<string, unknown>, field: string, at: string): string | undefined => {
  const v = Object.hasOwn(o, field) ? o[field] : undefined
  if (v !== undefined && typeof v !== 'string') throw invalidParameter(`${at}${field} must be a string`)
  return v
}

const wellFormed = (s: string, what: string): string => {
  if (loneSurrogate.test(s)) throw invalidParameter(`${what} must be well-formed Unicode`)
  return s
}

const patch = (u: unknown, i: number, limits: Limits): Patch => {
  const at = `RecordPatches[${i}].`
  if (!isObject(u)) throw invalidParameter(`RecordPatches[${i}] must be an object`)
  const op = optionalString(u, 'Op', at)
  if (op !== 'replace' && op !== 'remove') throw invalidParameter(`${at}Op must be replace or remove`)
  const key = optionalString(u, 'Key', at)
  if (key === undefined || key.length < 1 || key.length > limits.maxKeyLength) {
    throw invalidParameter(`${at}Key must be a string of 1 to ${limits.maxKeyLength} characters`)
  }
  const value = optionalString(u, 'Value', at)
  if (value !== undefined && value.length > limits.maxValueLength) {
    throw invalidParameter(`${at}Value must have at most ${limits.maxValueLength} characters`)
  }
  const syncCount = Object.hasOwn(u, 'SyncCount') ? u['SyncCount'] : undefined
  // Any long the model allows, even past 2^53 where JSON numbers lose digits: no record has such a
  // count, so the patch is a conflict (409), not a malformed call.
  if (typeof syncCount !== 'number' || !Number.isInteger(syncCount) || syncCount < 0 || syncCount > maxLong) {
    throw invalidParameter(`${at}SyncCount must be an integer from 0 to 9223372036854775807`)
  }
  const device = Object.hasOwn(u, 'DeviceLastModifiedDate') ? u['DeviceLastModifiedDate'] : undefined
  if (device !== undefined && (typeof device !== 'number' || !Number.isFinite(device))) {
    throw invalidParameter(`${at}DeviceLastModifiedDate must be a number of epoch seconds`)
  }
  return {
    key: wellFormed(key, `${at}Key`),
    value: op === 'remove' || value === undefined ? undefined : wellFormed(value, `${at}Value`),
    syncCount,
    deviceLastModifiedDate: device,
  }
}

/**
 * Parses and checks an UpdateRecords body. Two patches of one key in one call are refused, since
 * "all or nothing" has no meaning for them (emulator decision).
 *
 * @example
 * import { updateBody } from './validate.js'
 * import { defaultLimits } from './limits.js'
 * const body = '{"SyncSessionToken":"t","RecordPatches":[{"Op":"replace","Key":"k","Value":"v","SyncCount":0}]}'
 * const update = updateBody(Buffer.from(body), defaultLimits)
 * assert.strictEqual(update.syncSessionToken, 't')
 * assert.deepStrictEqual(update.patches.map(({ key, value, syncCount }) => [key, value, syncCount]), [['k', 'v', 0]])
 *
 * @since 0.1.0
 */
export const updateBody = (raw: Buffer, limits: Limits): UpdateBody => {
  const json = jsonObject(raw)
  const list = Object.hasOwn(json, 'RecordPatches') ? json['RecordPatches'] : undefined
  if (list !== undefined && !Array.isArray(list)) throw invalidParameter('RecordPatches must be a list')
  const patches = (list ?? []).map((u: unknown, i: number) => patch(u, i, limits))
  const seen = new Set<string>()
  for (const p of patches) {
    if (seen.has(p.key)) throw invalidParameter(`RecordPatches holds the key ${JSON.stringify(p.key)} more than once`)
    seen.add(p.key)
  }
  const device = optionalString(json, 'DeviceId', '')
  return {
    syncSessionToken: optionalString(json, 'SyncSessionToken', ''),
    deviceId: device === undefined ? undefined : deviceId(device),
    patches,
  }
}

/**
 * Parses a body that must be a JSON object; an empty body counts as `{}` (the SDK sends none when no
 * member is set).
 *
 * @since 0.1.0
 */
export const jsonObject = (raw: Buffer): Record<string, unknown> => {
  if (raw.length === 0) return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw))
  } catch {
    throw invalidParameter('The request body is not valid UTF-8 JSON')
  }
  if (!isObject(parsed)) throw invalidParameter('The request body must be a JSON object')
  return parsed
}
