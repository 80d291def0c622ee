/**
 * `cognito-reconcile/amazon-cognito-js`: moving an app from amazon-cognito-js without losing an edit.
 * Reads what amazon-cognito-js keeps on a device (its localStorage data, per identity) into any
 * `LocalStore`, the edits it had not pushed kept as pending edits, and later removes that data on
 * request. Without the AWS SDK and without Node's modules: it runs in browsers and React Native. See
 * docs/migrating-from-amazon-cognito-js.md.
 *
 * @since 0.2.0
 */
export { CognitoJsDatasetMetadata, CognitoJsMetadata, CognitoJsRecord, CognitoJsRecords, datasetEntry, metadataEntry } from './format.js'
export { fromCognitoJsRecord } from './record.js'
export { type AmazonCognitoJsData, type AmazonCognitoJsStorage, type ImportedDataset, type SourceSnapshot, readAmazonCognitoJs } from './read.js'
export { type ImportOptions, importAmazonCognitoJs } from './importInto.js'
export { type WritableAmazonCognitoJsStorage, removeAmazonCognitoJs } from './remove.js'
export { importAmazonCognitoJsPromise, removeAmazonCognitoJsPromise } from './promise.js'
export {
  type CorruptEntry,
  type IdentityNotFound,
  type ImportError,
  type MissingMetadata,
  MigrationFailedError,
  type RemoveError,
  type SourceChanged,
  type SourceUnavailable,
  type TargetNotEmpty,
} from './errors.js'
