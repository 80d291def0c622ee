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
  /** Largest request body read; a longer one is cut off with 413 (emulator decision). */
  readonly maxRequestBodyBytes: number
  /** Page size used when `maxResults` is absent, and the most one page holds (emulator decision). */
  readonly maxPageSize: number
}

/**
 * The documented values. `maxRequestBodyBytes` (4 MiB) leaves room for a full 1 MB dataset in JSON
 * with multi-byte characters; `maxPageSize` (1024) is what the official clients ask for.
 *
 * @since 0.1.0
 */
export const defaultLimits: Limits = {
  maxDatasetsPerIdentity: 20,
  maxRecordsPerDataset: 1024,
  maxDatasetBytes: 1024 * 1024,
  maxKeyLength: 1024,
  maxValueLength: 1_048_575,
  maxRequestBodyBytes: 4 * 1024 * 1024,
  maxPageSize: 1024,
}
