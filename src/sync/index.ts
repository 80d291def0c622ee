/**
 * `cognito-reconcile/sync`: the adapter that syncs a dataset with Amazon Cognito Sync through an
 * injected `CognitoSyncClient`, the local stores, and what they share. See docs/sync.md.
 *
 * @since 0.1.0
 */
export * from './sync.js'
export * from './deleteDataset.js'
export { type AddressOptions, type SyncLimits, type SyncOptions, defaultSyncLimits } from './run.js'
export {
  type Aborted,
  type ConflictRoundsExhausted,
  type DeadlineExceeded,
  type DatasetDeleted,
  type DatasetReset,
  type FromService,
  type InvalidInput,
  type InvalidParameter,
  type MalformedResponse,
  type MergedDatasetsFound,
  type NotAuthorized,
  type Operation,
  type ResponseMetadata,
  type RetriesExhausted,
  type ServiceFailed,
  type ServiceFailure,
  type ServiceLimitExceeded,
  type SyncError,
  SyncFailedError,
  metadataOf,
} from './errors.js'
export type { DatasetEvent, ReportedConflict, Retry, RetryReason, SyncReport } from './report.js'
export * from './policy.js'
export * from './failure.js'
export { type Backoff, backoffDelay, sleep } from './retry.js'
export * from './cancel.js'
// the stores, also without the SDK at `cognito-reconcile/stores`
export * from '../stores/index.js'
