/**
 * The import: one identity's amazon-cognito-js data into any `LocalStore`, all datasets or none.
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { type LocalState, LocalStateJson, emptyState } from '../LocalRecord.js'
import type { LocalStore, StoreFailed } from '../stores/LocalStore.js'
import { type ImportError, type TargetNotEmpty, targetNotEmpty } from './errors.js'
import { type AmazonCognitoJsData, type AmazonCognitoJsStorage, type ImportedDataset, readAmazonCognitoJs } from './read.js'

/**
 * Where to read from and write to. `identityId` is the identity amazon-cognito-js synced with (its
 * credentials' `identityId`); a storage may hold several, and one is imported.
 *
 * @since 0.2.0
 */
export interface ImportOptions {
  readonly storage: AmazonCognitoJsStorage
  readonly identityId: string
  readonly store: LocalStore
}

const holdsAnything = (state: LocalState): boolean => state.records.size > 0 || state.lastSyncCount > 0

const sameState = (a: LocalState, b: LocalState): boolean => JSON.stringify(LocalStateJson.encode(a)) === JSON.stringify(LocalStateJson.encode(b))

/** Stores `dataset` if the store holds nothing of it, in one atomic step. */
const writeOne = (store: LocalStore, dataset: ImportedDataset): TE.TaskEither<TargetNotEmpty | StoreFailed, void> =>
  store.modify(dataset.name, (current) => (holdsAnything(current) ? E.left(targetNotEmpty([dataset.name])) : E.right([undefined, dataset.state] as const)))

/** Empties `dataset` again where it still holds exactly what was imported; an error is ignored, the import's own is reported. */
const undoOne = (store: LocalStore, dataset: ImportedDataset): TE.TaskEither<never, void> =>
  pipe(
    store.modify(dataset.name, (current) => E.right([undefined, sameState(current, dataset.state) ? emptyState : current] as const)),
    TE.orElseW(() => TE.right(undefined)),
  )

/** Writes every dataset, or, when one fails, empties again those written before it. */
const writeAll = (store: LocalStore, datasets: ReadonlyArray<ImportedDataset>, done: ReadonlyArray<ImportedDataset> = []): TE.TaskEither<TargetNotEmpty | StoreFailed, void> => {
  const [next, ...rest] = datasets
  if (next === undefined) return TE.right(undefined)
  return pipe(
    writeOne(store, next),
    TE.matchEW(
      (error) =>
        pipe(
          TE.traverseSeqArray((dataset: ImportedDataset) => undoOne(store, dataset))(done),
          TE.chainW(() => TE.left(error)),
        ),
      () => writeAll(store, rest, [...done, next]),
    ),
  )
}

/** Refuses at once when the store holds any of the datasets already, naming all of them. */
const checkEmpty = (store: LocalStore, datasets: ReadonlyArray<ImportedDataset>): TE.TaskEither<TargetNotEmpty | StoreFailed, void> =>
  pipe(
    TE.traverseSeqArray((dataset: ImportedDataset) =>
      pipe(
        store.read(dataset.name),
        TE.map((state) => (holdsAnything(state) ? [dataset.name] : [])),
      ),
    )(datasets),
    TE.chainW((found) => {
      const taken = found.flat()
      return taken.length === 0 ? TE.right(undefined) : TE.left(targetNotEmpty(taken))
    }),
  )

/**
 * Imports the amazon-cognito-js data of `identityId` from `storage` into `store`: every dataset, each
 * record as the server last had it and each edit not yet pushed as a pending edit (deletes and `""`
 * values included), so the next sync pushes it, a conflict going to the strategy as usual. The first
 * sync of each dataset lists it again from 0 (see `ImportedDataset`). Answers what was imported.
 *
 * Nothing is written unless everything was read and checked (`readAmazonCognitoJs` says what is
 * refused), and the store holds none of the datasets yet (`TargetNotEmpty`). The storage is only read:
 * it stays as it was, and an app that keeps amazon-cognito-js running after the import gets new edits
 * there that this store never sees. Once the app no longer loads amazon-cognito-js, remove the old data
 * with `removeAmazonCognitoJs` and this import's answer.
 *
 * @example
 * import { importAmazonCognitoJs } from 'cognito-reconcile/amazon-cognito-js'
 * import { memoryStore, openDataset } from 'cognito-reconcile/stores'
 * import * as E from 'fp-ts/lib/Either.js'
 * import * as O from 'fp-ts/lib/Option.js'
 * const identityId = 'us-east-1:aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa'
 * const at = '2026-01-01T00:00:00.000Z'
 * const entries = new Map([
 *   ['_internal._metadata', JSON.stringify({ [identityId]: { [`${identityId}.game`]: { DatasetName: 'game', LastSyncCount: 4 } } })],
 *   [`${identityId}.game`, JSON.stringify({
 *     coins: { Key: 'coins', Value: '150', SyncCount: 4, Modified: true, DeviceLastModifiedDate: at },
 *     badge: { Key: 'badge', Value: null, SyncCount: 2, Modified: true, DeviceLastModifiedDate: at },
 *   })],
 * ])
 * const storage = { getItem: (key: string) => entries.get(key) ?? null }
 * const store = memoryStore()
 * const imported = await importAmazonCognitoJs({ storage, identityId, store })()
 * assert.ok(E.isRight(imported))
 * const game = openDataset(store, 'game')
 * assert.ok(E.isRight(game))
 * if (E.isRight(game)) {
 *   assert.deepStrictEqual(await game.right.get('coins')(), E.right(O.some('150')))
 *   assert.deepStrictEqual(await game.right.pendingKeys()(), E.right(['badge', 'coins']))
 * }
 * // once is enough: a second import into the same store is refused and changes nothing
 * const again = await importAmazonCognitoJs({ storage, identityId, store })()
 * assert.ok(E.isLeft(again) && again.left._tag === 'TargetNotEmpty')
 *
 * @since 0.2.0
 */
export const importAmazonCognitoJs = ({ storage, identityId, store }: ImportOptions): TE.TaskEither<ImportError, AmazonCognitoJsData> =>
  pipe(
    readAmazonCognitoJs(storage, identityId),
    TE.chainFirstW((data) =>
      pipe(
        checkEmpty(store, data.datasets),
        TE.chainW(() => writeAll(store, data.datasets)),
      ),
    ),
  )
