/**
 * `cognito-reconcile/app`: the Promise API, for apps that do not use fp-ts. One `SyncManager` binds the
 * client, the store, the identity, the device and the strategy; its datasets answer with Promises of
 * plain values and reject with typed errors. See docs/app.md.
 *
 * @since 0.2.0
 */
export { type SyncManager, type SyncManagerConfig, createSyncManager } from './SyncManager.js'
export type { DatasetEntry, DeleteCallOptions, SyncCallOptions, SyncedDataset } from './SyncedDataset.js'
export { type SyncFailure, type SyncFailureOf, isSyncFailure } from './errors.js'
export { SyncFailedError } from '../sync/errors.js'
export type { DeleteReport, SyncError, SyncReport } from '../sync/index.js'
