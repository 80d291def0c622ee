/**
 * Removing one identity's amazon-cognito-js data after a successful import, and only what that import
 * read: an explicit step of its own, never part of the import.
 *
 * @since 0.2.0
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { type RemoveError, type SourceUnavailable, sourceChanged, sourceUnavailable } from './errors.js'
import { metadataEntry } from './format.js'
import { type AmazonCognitoJsData, type AmazonCognitoJsStorage, getItem, identityMetadata } from './read.js'

/**
 * A storage the old data can be removed from: `localStorage`, React Native's AsyncStorage, ...
 *
 * @since 0.2.0
 */
export interface WritableAmazonCognitoJsStorage extends AmazonCognitoJsStorage {
  readonly setItem: (key: string, value: string) => void | Promise<void>
  readonly removeItem: (key: string) => void | Promise<void>
}

const attempt = (entry: string, f: () => void | Promise<void>): TE.TaskEither<SourceUnavailable, void> =>
  TE.tryCatch(
    async () => {
      await f()
    },
    (cause) => sourceUnavailable(entry, cause),
  )

/**
 * Removes what `imported` read (the identity's records entries and its part of the metadata entry;
 * other identities' data stays), and answers the entries it removed or rewrote. First it checks that
 * each still holds what the import read, or nothing: if amazon-cognito-js wrote since, the new writes
 * would be lost, so it removes nothing and fails with `SourceChanged`. Run it once the app no longer
 * loads amazon-cognito-js; running it again removes nothing more.
 *
 * @example
 * import { importAmazonCognitoJs, removeAmazonCognitoJs } from 'cognito-reconcile/amazon-cognito-js'
 * import { memoryStore } from 'cognito-reconcile/stores'
 * import * as E from 'fp-ts/lib/Either.js'
 * const identityId = 'us-east-1:aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa'
 * const entries = new Map([
 *   ['_internal._metadata', JSON.stringify({ [identityId]: { [`${identityId}.game`]: { DatasetName: 'game', LastSyncCount: 0 } } })],
 *   [`${identityId}.game`, JSON.stringify({ coins: { Key: 'coins', Value: '5', SyncCount: 0, Modified: true, DeviceLastModifiedDate: '2026-01-01T00:00:00.000Z' } })],
 * ])
 * const storage = {
 *   getItem: (key: string) => entries.get(key) ?? null,
 *   setItem: (key: string, value: string) => void entries.set(key, value),
 *   removeItem: (key: string) => void entries.delete(key),
 * }
 * const imported = await importAmazonCognitoJs({ storage, identityId, store: memoryStore() })()
 * assert.ok(E.isRight(imported))
 * if (E.isRight(imported)) {
 *   const removed = await removeAmazonCognitoJs(storage, imported.right)()
 *   assert.deepStrictEqual(removed, E.right([`${identityId}.game`, '_internal._metadata']))
 *   assert.strictEqual(entries.size, 0)
 * }
 *
 * @since 0.2.0
 */
export const removeAmazonCognitoJs = (storage: WritableAmazonCognitoJsStorage, imported: AmazonCognitoJsData): TE.TaskEither<RemoveError, ReadonlyArray<string>> => {
  const { identityId, source } = imported
  const names = [...source.entries.keys()]
  return pipe(
    TE.Do,
    TE.bindW('metadataText', () => getItem(storage, metadataEntry)),
    TE.bindW('metadata', ({ metadataText }) => TE.fromEither(identityMetadata(metadataText, identityId))),
    TE.bindW('texts', () => TE.traverseSeqArray((name: string) => getItem(storage, name))(names)),
    TE.chainFirstW(({ metadata, texts }) => {
      const mine = metadata.mine === undefined ? null : JSON.stringify(metadata.mine)
      const changed = [
        ...names.filter((name, i) => texts[i] !== null && texts[i] !== source.entries.get(name)),
        ...(mine !== null && mine !== source.metadata ? [metadataEntry] : []),
      ]
      return changed.length === 0 ? TE.right(undefined) : TE.left(sourceChanged(changed))
    }),
    TE.chainW(({ metadata, texts }) => {
      const present = names.filter((_, i) => texts[i] !== null)
      const removeEntries = TE.traverseSeqArray((name: string) => attempt(name, () => storage.removeItem(name)))(present)
      if (metadata.mine === undefined) return pipe(removeEntries, TE.map(() => present))
      // other identities keep their part of the metadata entry
      const rest = Object.fromEntries(Object.entries(metadata.all).filter(([id]) => id !== identityId))
      const rewrite = metadata.others.length === 0 ? () => storage.removeItem(metadataEntry) : () => storage.setItem(metadataEntry, JSON.stringify(rest))
      return pipe(
        removeEntries,
        TE.chain(() => attempt(metadataEntry, rewrite)),
        TE.map(() => [...present, metadataEntry]),
      )
    }),
  )
}
