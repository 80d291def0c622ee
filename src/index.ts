/**
 * cognito-reconcile: the pure core. Codecs for the service's values, the local and remote record
 * models, local writes with causal stamps, `reconcile`, and `applyUpdate`. Nothing here does IO.
 *
 * @since 0.1.0
 */
export * from './codecs.js'
export * from './DecodeError.js'
export * from './RemoteRecord.js'
export * from './RecordPatch.js'
export { type Draft, PersistentMap } from './PersistentMap.js'
export * from './LocalRecord.js'
export * from './LocalWrite.js'
export * from './Conflict.js'
export * from './Strategy.js'
export * from './reconcile.js'
export * from './applyUpdate.js'
export * from './NotAPromise.js'
export * from './Json.js'
export * from './Counter.js'
