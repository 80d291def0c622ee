/**
 * Why an import from amazon-cognito-js, or the removal of its data, did not happen, as data. Whatever
 * the error, the source storage was only read (the removal excepted, which changes nothing before its
 * checks pass) and the target store holds what it held before.
 *
 * @since 0.2.0
 */
import type { DecodeError, DecodeIssue } from '../DecodeError.js'
import type { StoreFailed } from '../stores/LocalStore.js'

/**
 * The source storage threw or rejected when read or written.
 *
 * @since 0.2.0
 */
export interface SourceUnavailable {
  readonly _tag: 'SourceUnavailable'
  readonly entry: string
  readonly cause: unknown
  readonly message: string
}

/**
 * An entry is not what amazon-cognito-js writes: not JSON, or not of its shape (`issues` says where).
 *
 * @since 0.2.0
 */
export interface CorruptEntry {
  readonly _tag: 'CorruptEntry'
  readonly entry: string
  readonly issues: ReadonlyArray<DecodeIssue>
  readonly message: string
}

/**
 * The storage holds amazon-cognito-js data of other identities only: `identities` are those found.
 *
 * @since 0.2.0
 */
export interface IdentityNotFound {
  readonly _tag: 'IdentityNotFound'
  readonly identityId: string
  readonly identities: ReadonlyArray<string>
  readonly message: string
}

/**
 * Records entries of this identity that its metadata does not list: a part of the data is missing.
 *
 * @since 0.2.0
 */
export interface MissingMetadata {
  readonly _tag: 'MissingMetadata'
  readonly entries: ReadonlyArray<string>
  readonly message: string
}

/**
 * The target store already holds some of the datasets to import; it was left as it was.
 *
 * @since 0.2.0
 */
export interface TargetNotEmpty {
  readonly _tag: 'TargetNotEmpty'
  readonly datasets: ReadonlyArray<string>
  readonly message: string
}

/**
 * amazon-cognito-js wrote its data again after the import read it, so removing it would lose those
 * writes; nothing was removed.
 *
 * @since 0.2.0
 */
export interface SourceChanged {
  readonly _tag: 'SourceChanged'
  readonly entries: ReadonlyArray<string>
  readonly message: string
}

/**
 * Every way an import can fail. `DecodeError` is an identity id the service would refuse.
 *
 * @since 0.2.0
 */
export type ImportError = DecodeError | SourceUnavailable | CorruptEntry | IdentityNotFound | MissingMetadata | TargetNotEmpty | StoreFailed

/**
 * Every way a removal can fail.
 *
 * @since 0.2.0
 */
export type RemoveError = SourceUnavailable | CorruptEntry | SourceChanged

/**
 * An `ImportError` or `RemoveError` as an `Error`, for the Promise API: its `name` is the kind and its
 * `error` the typed error.
 *
 * @example
 * import { MigrationFailedError } from 'cognito-reconcile/amazon-cognito-js'
 * const e = new MigrationFailedError({ _tag: 'TargetNotEmpty', datasets: ['game'], message: 'The target store already holds dataset game' })
 * assert.ok(e instanceof Error && e.name === 'TargetNotEmpty' && e.message.startsWith('The target'))
 *
 * @since 0.2.0
 */
export class MigrationFailedError extends Error {
  readonly error: ImportError | RemoveError
  constructor(error: ImportError | RemoveError) {
    super(error.message)
    this.name = error._tag
    this.error = error
  }
}

const unchanged = 'Nothing was imported; the amazon-cognito-js data and the target store are as they were.'

/** @internal */
export const sourceUnavailable = (entry: string, cause: unknown): SourceUnavailable => ({
  _tag: 'SourceUnavailable',
  entry,
  cause,
  message: `Could not use the storage entry ${JSON.stringify(entry)}: ${String(cause)}. Check that the storage given is the one amazon-cognito-js used (window.localStorage in a browser), then try again.`,
})

/** @internal */
export const corruptEntry = (entry: string, issues: ReadonlyArray<DecodeIssue>, detail: string): CorruptEntry => ({
  _tag: 'CorruptEntry',
  entry,
  issues,
  message: `The storage entry ${JSON.stringify(entry)} is not what amazon-cognito-js writes: ${detail}. ${unchanged} Restore the entry from a backup, or remove it to give up the data it held, then import again.`,
})

/** @internal */
export const identityNotFound = (identityId: string, identities: ReadonlyArray<string>): IdentityNotFound => ({
  _tag: 'IdentityNotFound',
  identityId,
  identities,
  message: `The storage holds amazon-cognito-js data of ${identities.map((id) => JSON.stringify(id)).join(', ')}, not of ${JSON.stringify(identityId)}. ${unchanged} Pass the identity id amazon-cognito-js synced with (its credentials' identityId), the one the app signs in with now.`,
})

/** @internal */
export const missingMetadata = (entries: ReadonlyArray<string>): MissingMetadata => ({
  _tag: 'MissingMetadata',
  entries,
  message: `The entries ${entries.map((entry) => JSON.stringify(entry)).join(', ')} hold records of datasets the amazon-cognito-js metadata entry does not list: part of its data is missing. ${unchanged} Restore the metadata entry from a backup, or remove those entries to give up their records, then import again.`,
})

/** @internal */
export const targetNotEmpty = (datasets: ReadonlyArray<string>): TargetNotEmpty => ({
  _tag: 'TargetNotEmpty',
  datasets,
  message: `The target store already holds dataset${datasets.length === 1 ? '' : 's'} ${datasets.join(', ')}. ${unchanged} Import into a store that does not hold them yet (an import runs once, before the first sync with this library).`,
})

/** @internal */
export const sourceChanged = (entries: ReadonlyArray<string>): SourceChanged => ({
  _tag: 'SourceChanged',
  entries,
  message: `amazon-cognito-js changed ${entries.map((entry) => JSON.stringify(entry)).join(', ')} after the import read it; nothing was removed. Stop every use of amazon-cognito-js, then import again into a new store and remove with that import's result.`,
})
