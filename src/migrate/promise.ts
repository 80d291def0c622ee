/**
 * The import and the removal for code that does not use fp-ts: Promises that reject with a
 * `MigrationFailedError`.
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { type ImportError, MigrationFailedError, type RemoveError } from './errors.js'
import { type ImportOptions, importAmazonCognitoJs } from './importInto.js'
import type { AmazonCognitoJsData } from './read.js'
import { type WritableAmazonCognitoJsStorage, removeAmazonCognitoJs } from './remove.js'

const run = async <A>(task: TE.TaskEither<ImportError | RemoveError, A>): Promise<A> => {
  const result = await task()
  if (E.isLeft(result)) throw new MigrationFailedError(result.left)
  return result.right
}

/**
 * `importAmazonCognitoJs` as a Promise.
 *
 * @example
 * import { MigrationFailedError, importAmazonCognitoJsPromise } from 'cognito-reconcile/amazon-cognito-js'
 * import { memoryStore } from 'cognito-reconcile/stores'
 * const identityId = 'us-east-1:aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa'
 * const storage = { getItem: (key: string) => (key === '_internal._metadata' ? '{not json' : null) }
 * const failure = await importAmazonCognitoJsPromise({ storage, identityId, store: memoryStore() }).catch((e: unknown) => e)
 * assert.ok(failure instanceof MigrationFailedError && failure.name === 'CorruptEntry')
 * // a storage without amazon-cognito-js data: nothing to import
 * const empty = await importAmazonCognitoJsPromise({ storage: { getItem: () => null }, identityId, store: memoryStore() })
 * assert.deepStrictEqual(empty.datasets, [])
 *
 * @since 0.2.0
 */
export const importAmazonCognitoJsPromise = (options: ImportOptions): Promise<AmazonCognitoJsData> => run(importAmazonCognitoJs(options))

/**
 * `removeAmazonCognitoJs` as a Promise.
 *
 * @example
 * import { importAmazonCognitoJsPromise, removeAmazonCognitoJsPromise } from 'cognito-reconcile/amazon-cognito-js'
 * import { memoryStore } from 'cognito-reconcile/stores'
 * const identityId = 'us-east-1:aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa'
 * const entries = new Map([['_internal._metadata', JSON.stringify({ [identityId]: {} })]])
 * const storage = {
 *   getItem: (key: string) => entries.get(key) ?? null,
 *   setItem: (key: string, value: string) => void entries.set(key, value),
 *   removeItem: (key: string) => void entries.delete(key),
 * }
 * const imported = await importAmazonCognitoJsPromise({ storage, identityId, store: memoryStore() })
 * assert.deepStrictEqual(await removeAmazonCognitoJsPromise(storage, imported), ['_internal._metadata'])
 *
 * @since 0.2.0
 */
export const removeAmazonCognitoJsPromise = (storage: WritableAmazonCognitoJsStorage, imported: AmazonCognitoJsData): Promise<ReadonlyArray<string>> =>
  run(removeAmazonCognitoJs(storage, imported))
