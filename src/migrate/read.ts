/**
 * Reading one identity's amazon-cognito-js data from a storage, into this library's local states. It
 * only reads: the storage is never written.
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type * as t from 'io-ts'
import { type DatasetName, IdentityId, type RecordKey, type SyncCount } from '../codecs.js'
import { type DecodeError, type DecodeIssue, decodeWith, issuesOf, renderIssues } from '../DecodeError.js'
import { type LocalRecord, type LocalState, dirtyRecords, stateOf } from '../LocalRecord.js'
import { type CorruptEntry, type ImportError, type SourceUnavailable, corruptEntry, identityNotFound, missingMetadata, sourceUnavailable } from './errors.js'
import { CognitoJsDatasetMetadata, CognitoJsMetadata, CognitoJsRecords, datasetEntry, metadataEntry } from './format.js'
import { fromCognitoJsRecord } from './record.js'

/**
 * Where amazon-cognito-js kept its data: `window.localStorage` in a browser, or any storage with
 * `getItem` (synchronous or not). With `length` and `key` (a `Storage`) or `getAllKeys` (React
 * Native's AsyncStorage), the import also finds records entries that the metadata does not list.
 *
 * @since 0.2.0
 */
export interface AmazonCognitoJsStorage {
  readonly getItem: (key: string) => string | null | undefined | Promise<string | null | undefined>
  readonly length?: number
  readonly key?: (index: number) => string | null
  readonly getAllKeys?: () => ReadonlyArray<string> | Promise<ReadonlyArray<string>>
}

/**
 * One dataset as read. `state` is what the import stores: the records, the edits not yet pushed as
 * pending edits, and `lastSyncCount` 0, so the first sync lists the whole dataset again (it brings
 * what amazon-cognito-js skipped after a conflict and settles its ambiguous `""` values);
 * `cognitoJsLastSyncCount` is the count amazon-cognito-js had reached.
 *
 * @since 0.2.0
 */
export interface ImportedDataset {
  readonly name: DatasetName
  readonly state: LocalState
  readonly cognitoJsLastSyncCount: SyncCount
  /** The keys with an edit amazon-cognito-js had not pushed, in key order. */
  readonly pendingKeys: ReadonlyArray<RecordKey>
}

/**
 * What was read, exactly: the identity's metadata (its JSON) and each records entry's text (`null` when
 * absent), so that a removal can check that nothing changed since.
 *
 * @since 0.2.0
 */
export interface SourceSnapshot {
  readonly metadata: string | null
  readonly entries: ReadonlyMap<string, string | null>
}

/**
 * One identity's amazon-cognito-js data, in dataset name order.
 *
 * @since 0.2.0
 */
export interface AmazonCognitoJsData {
  readonly identityId: IdentityId
  readonly datasets: ReadonlyArray<ImportedDataset>
  readonly source: SourceSnapshot
}

// reading the storage

/** @internal */
export const getItem = (storage: AmazonCognitoJsStorage, entry: string): TE.TaskEither<SourceUnavailable, string | null> =>
  TE.tryCatch(
    async () => (await storage.getItem(entry)) ?? null,
    (cause) => sourceUnavailable(entry, cause),
  )

/** Every entry name, when the storage can tell them; `[]` when it cannot. */
const entryNames = (storage: AmazonCognitoJsStorage): TE.TaskEither<SourceUnavailable, ReadonlyArray<string>> =>
  TE.tryCatch(
    async () => {
      if (storage.getAllKeys !== undefined) return [...(await storage.getAllKeys())]
      const { length, key } = storage
      if (length === undefined || key === undefined) return []
      return Array.from({ length }, (_, index) => key.call(storage, index)).filter((name): name is string => name !== null)
    },
    (cause) => sourceUnavailable('(the list of entries)', cause),
  )

// decoding entries

const notJson = (entry: string, text: string): CorruptEntry => {
  const got = text.length <= 60 ? JSON.stringify(text) : `${JSON.stringify(text.slice(0, 60))}…`
  const issue: DecodeIssue = { path: '', expected: 'JSON', rule: 'be JSON text', got }
  return corruptEntry(entry, [issue], `it is not JSON (${got})`)
}

const parseJson = (entry: string, text: string): E.Either<CorruptEntry, unknown> =>
  E.tryCatch(
    () => JSON.parse(text) as unknown,
    () => notJson(entry, text),
  )

/** Issues whose paths start at `prefix` within the entry. */
const within = (prefix: string, issues: ReadonlyArray<DecodeIssue>): ReadonlyArray<DecodeIssue> =>
  issues.map((issue) => ({ ...issue, path: [prefix, issue.path].filter((part) => part !== '').join('.') }))

const decodeEntry =
  <A>(codec: t.Decoder<unknown, A>, entry: string, prefix = '') =>
  (u: unknown): E.Either<CorruptEntry, A> =>
    pipe(
      codec.decode(u),
      E.mapLeft((errors) => {
        const issues = within(prefix, issuesOf(errors))
        return corruptEntry(entry, issues, renderIssues(issues))
      }),
    )

const own = (object: object, name: string): boolean => Object.prototype.hasOwnProperty.call(object, name)

/** The records of one dataset's entry; an absent entry is a dataset opened and never written. */
const recordsOf = (entry: string, text: string | null): E.Either<CorruptEntry, ReadonlyArray<LocalRecord>> => {
  if (text === null) return E.right([])
  return pipe(
    parseJson(entry, text),
    E.chain(decodeEntry(CognitoJsRecords, entry)),
    E.chain((records) => {
      const names = Object.keys(records)
      const misfiled = names.find((name) => records[name]?.Key !== name)
      if (misfiled !== undefined)
        return E.left(
          corruptEntry(entry, [{ path: `${misfiled}.Key`, expected: JSON.stringify(misfiled), rule: `be ${JSON.stringify(misfiled)}, the name it is filed under`, got: JSON.stringify(records[misfiled]?.Key) }], `the record filed under ${JSON.stringify(misfiled)} has another Key`),
        )
      return E.right(names.flatMap((name) => fromCognitoJsRecord(records[name] as (typeof records)[string]) ?? []))
    }),
  )
}

interface Listed {
  readonly entry: string
  readonly name: DatasetName
  readonly lastSyncCount: SyncCount
}

/** The datasets the identity's metadata lists, each checked to be filed under its own name. */
const listedDatasets = (identityId: IdentityId, metadata: Readonly<Record<string, unknown>>): E.Either<CorruptEntry, ReadonlyArray<Listed>> =>
  E.traverseArray((entry: string) =>
    pipe(
      decodeEntry(CognitoJsDatasetMetadata, metadataEntry, `${identityId}.${entry}`)(metadata[entry]),
      E.chain(({ DatasetName, LastSyncCount }) =>
        entry === datasetEntry(identityId, DatasetName)
          ? E.right({ entry, name: DatasetName, lastSyncCount: LastSyncCount })
          : E.left(
              corruptEntry(
                metadataEntry,
                [{ path: `${identityId}.${entry}.DatasetName`, expected: 'DatasetName', rule: `name the dataset filed as ${JSON.stringify(entry)}`, got: JSON.stringify(DatasetName) }],
                `the dataset filed as ${JSON.stringify(entry)} is named ${JSON.stringify(DatasetName)}`,
              ),
            ),
      ),
    ),
  )(Object.keys(metadata).sort())

const datasetOf = (listed: Listed, text: string | null): E.Either<CorruptEntry, ImportedDataset> =>
  pipe(
    recordsOf(listed.entry, text),
    E.map((records) => {
      const state = stateOf(records, 0)
      return { name: listed.name, state, cognitoJsLastSyncCount: listed.lastSyncCount, pendingKeys: dirtyRecords(state).map((record) => record.key) }
    }),
  )

/** The identity's part of the metadata entry, the other identities found there, and the whole entry. @internal */
export const identityMetadata = (
  text: string | null,
  identityId: IdentityId,
): E.Either<CorruptEntry, { readonly all: Readonly<Record<string, unknown>>; readonly mine?: Readonly<Record<string, unknown>>; readonly others: ReadonlyArray<string> }> =>
  text === null
    ? E.right({ all: {}, others: [] })
    : pipe(
        parseJson(metadataEntry, text),
        E.chain(decodeEntry(CognitoJsMetadata, metadataEntry)),
        E.map((all) => ({
          all,
          ...(own(all, identityId) && { mine: all[identityId] }),
          others: Object.keys(all).filter((id) => id !== identityId),
        })),
      )

const decodeIdentity: (u: unknown) => E.Either<DecodeError, IdentityId> = decodeWith(IdentityId, 'identity id')

/**
 * Reads the amazon-cognito-js data of `identityId` from `storage`, writing nothing. A storage with no
 * amazon-cognito-js data at all reads as no datasets. Fails with a typed error, and reads nothing
 * further, on:
 * - an entry that is not what amazon-cognito-js writes (`CorruptEntry`, with the path of each issue);
 * - data of other identities only (`IdentityNotFound`, with the identities found);
 * - records entries of this identity that its metadata does not list (`MissingMetadata`), when the
 *   storage can list its entries;
 * - a storage that throws (`SourceUnavailable`), or an identity id the service would refuse.
 *
 * @example
 * import { readAmazonCognitoJs } from 'cognito-reconcile/amazon-cognito-js'
 * import * as E from 'fp-ts/lib/Either.js'
 * const identityId = 'us-east-1:aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa'
 * const at = '2026-01-01T00:00:00.000Z'
 * const entries = new Map([
 *   ['_internal._metadata', JSON.stringify({ [identityId]: { [`${identityId}.game`]: { DatasetName: 'game', LastSyncCount: 4 } } })],
 *   [`${identityId}.game`, JSON.stringify({
 *     coins: { Key: 'coins', Value: '150', SyncCount: 4, Modified: true, DeviceLastModifiedDate: at },
 *     level: { Key: 'level', Value: '3', SyncCount: 2, Modified: false, DeviceLastModifiedDate: at },
 *   })],
 * ])
 * const storage = { getItem: (key: string) => entries.get(key) ?? null }
 * const read = await readAmazonCognitoJs(storage, identityId)()
 * assert.ok(E.isRight(read))
 * if (E.isRight(read)) {
 *   const [game] = read.right.datasets
 *   assert.strictEqual(game?.name, 'game')
 *   assert.deepStrictEqual(game?.pendingKeys, ['coins'])
 *   assert.strictEqual(game?.cognitoJsLastSyncCount, 4)
 *   assert.strictEqual(game?.state.lastSyncCount, 0)
 * }
 * const other = await readAmazonCognitoJs(storage, 'us-east-1:bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb')()
 * assert.ok(E.isLeft(other) && other.left._tag === 'IdentityNotFound')
 *
 * @since 0.2.0
 */
export const readAmazonCognitoJs = (storage: AmazonCognitoJsStorage, identityId: string): TE.TaskEither<ImportError, AmazonCognitoJsData> =>
  pipe(
    TE.fromEither(decodeIdentity(identityId)),
    TE.bindTo('identityId'),
    TE.bindW('metadataText', () => getItem(storage, metadataEntry)),
    TE.bindW('names', () => entryNames(storage)),
    TE.bindW('metadata', ({ metadataText, identityId }) => TE.fromEither(identityMetadata(metadataText, identityId))),
    TE.bindW('listed', ({ metadata, identityId }) => TE.fromEither(metadata.mine === undefined ? E.right([]) : listedDatasets(identityId, metadata.mine))),
    TE.chainFirstW(({ names, listed, metadata, identityId }): TE.TaskEither<ImportError, void> => {
      const known = new Set(listed.map((one) => one.entry))
      const orphans = names.filter((name) => name.startsWith(`${identityId}.`) && !known.has(name)).sort()
      if (orphans.length > 0) return TE.left(missingMetadata(orphans))
      return metadata.mine === undefined && metadata.others.length > 0 ? TE.left(identityNotFound(identityId, metadata.others)) : TE.right(undefined)
    }),
    TE.bindW('read', ({ listed }) =>
      TE.traverseSeqArray((one: Listed) =>
        pipe(
          getItem(storage, one.entry),
          TE.chainEitherKW((text) => pipe(datasetOf(one, text), E.map((dataset) => ({ dataset, entry: one.entry, text })))),
        ),
      )(listed),
    ),
    TE.map(
      ({ identityId, metadata, read }): AmazonCognitoJsData => ({
        identityId,
        datasets: read.map((one) => one.dataset),
        source: {
          metadata: metadata.mine === undefined ? null : JSON.stringify(metadata.mine),
          entries: new Map(read.map((one) => [one.entry, one.text])),
        },
      }),
    ),
  )
