/**
 * The service's quotas and input constraints (protocol notes, section 3), as one overridable value so
 * that tests can hit a limit without writing a megabyte.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export interface Limits {
  /** Live datasets per identity; the 21st is refused with `LimitExceededException`. */
  readonly maxDatasetsPerIdentity: number
  /** Live (non-tombstone) records per dataset. */
  readonly maxRecordsPerDataset: number
  /** UTF-8 bytes of keys plus values of the live records of one dataset. */
  readonly maxDatasetBytes: number
  /** Record key length, in UTF-16 code units as the model counts. */
  readonly maxKeyLength: number
  /** Record value length, in UTF-16 code units. */
  readonly maxValueLength: number
  /**
   * Largest request body read; a longer one is cut off with 413 `InvalidParameterException`. By
   * default `requestBodyCap` of the other limits: room for any request within them.
   */
  readonly maxRequestBodyBytes: number
  /** Request body bytes held across all connections at once; past it, 429 `TooManyRequestsException`. @since 0.2.0 */
  readonly maxBufferedBytes: number
  /** Page size used when `maxResults` is absent, and the most one page holds (emulator decision). */
  readonly maxPageSize: number
}

/** The most bytes JSON needs for one UTF-8 byte of content: a control character becomes `\u0001`. */
const escapeFactor = 6
/** A patch's JSON without its key and value: member names, `"replace"`, a 19-digit SyncCount, a date. */
const patchOverhead = 256
/** SyncSessionToken, DeviceId (256 characters, escaped) and the braces around them. */
const bodyOverhead = 8 * 1024

/**
 * The largest UpdateRecords body within `limits`, escaping at its worst: new content for a whole
 * dataset (`maxDatasetBytes` of keys and values) plus the keys of as many removed records, one patch
 * per live record written and per record removed. Every request a client syncing a valid dataset
 * sends fits; the cap follows from the decoded limits, not from a wire size.
 *
 * @example
 * import { requestBodyCap } from './limits.js'
 * assert.strictEqual(requestBodyCap({ maxDatasetBytes: 1000, maxRecordsPerDataset: 2, maxKeyLength: 10 }), 6000 + 120 + 1024 + 8192)
 *
 * @since 0.2.0
 */
export const requestBodyCap = (limits: Pick<Limits, 'maxDatasetBytes' | 'maxRecordsPerDataset' | 'maxKeyLength'>): number =>
  escapeFactor * limits.maxDatasetBytes +
  limits.maxRecordsPerDataset * escapeFactor * limits.maxKeyLength +
  2 * limits.maxRecordsPerDataset * patchOverhead +
  bodyOverhead

/**
 * The documented values. `maxRequestBodyBytes` is `requestBodyCap` of them (about 12.5 MiB);
 * `maxBufferedBytes` (64 MiB) holds several of the largest bodies at once; `maxPageSize` (1024) is
 * what the official clients ask for.
 *
 * @since 0.1.0
 */
export const defaultLimits: Limits = {
  maxDatasetsPerIdentity: 20,
  maxRecordsPerDataset: 1024,
  maxDatasetBytes: 1024 * 1024,
  maxKeyLength: 1024,
  maxValueLength: 1_048_575,
  maxRequestBodyBytes: requestBodyCap({ maxDatasetBytes: 1024 * 1024, maxRecordsPerDataset: 1024, maxKeyLength: 1024 }),
  maxBufferedBytes: 64 * 1024 * 1024,
  maxPageSize: 1024,
}

/**
 * The limits of an emulator: `overrides` over the defaults, with the body cap following the data
 * limits unless it is given.
 *
 * @example
 * import { requestBodyCap, resolveLimits } from './limits.js'
 * const small = resolveLimits({ maxDatasetBytes: 1000, maxRecordsPerDataset: 2, maxKeyLength: 10 })
 * assert.strictEqual(small.maxRequestBodyBytes, requestBodyCap(small)) // follows the data limits
 * assert.strictEqual(small.maxPageSize, 1024) // the others stay the service's
 * assert.strictEqual(resolveLimits({ maxRequestBodyBytes: 5 }).maxRequestBodyBytes, 5)
 *
 * @since 0.2.0
 */
export const resolveLimits = (overrides: Partial<Limits> = {}): Limits => {
  const merged = { ...defaultLimits, ...overrides }
  return overrides.maxRequestBodyBytes === undefined ? { ...merged, maxRequestBodyBytes: requestBodyCap(merged) } : merged
}
