/**
 * `cognito-reconcile/stores`: where a device keeps its datasets. The `LocalStore` interface and its
 * laws, the memory store, the store over any key-value storage (`keyValueStore`: localStorage,
 * AsyncStorage, ...), the app's dataset API and the service's quotas, without the AWS SDK: an app can
 * write offline before it ever loads the sync adapter. The durable SQLite store is
 * `cognito-reconcile/sqlite`, the IndexedDB one `cognito-reconcile/indexeddb`. See docs/stores.md.
 *
 * @since 0.2.0
 */
export * from './LocalStore.js'
export * from './memoryStore.js'
export * from './mutex.js'
export * from './limits.js'
export * from './dataset.js'
export * from './records.js'
export * from './validate.js'
export * from './crossContextLock.js'
export * from './keyValueStore.js'
