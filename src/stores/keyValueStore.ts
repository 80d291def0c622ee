/**
 * A `LocalStore` over any key-value storage with `getItem`/`setItem`/`removeItem`, synchronous or
 * returning Promises: React Native's AsyncStorage, `localStorage`, an MMKV wrapper, your own.
 *
 * Such storages have no transactions, so the store never changes an entry the current state reaches.
 * Each dataset is one small root entry (its header: `lastSyncCount`, the running totals) naming the
 * top of a copy-on-write hash trie of its records. A write puts the new nodes of the paths it changes
 * under fresh names, then switches the root with one `setItem`, then removes the nodes the new root no
 * longer reaches. A crash between any two storage calls leaves the old root or the new one, each with
 * every node it reaches: the old state or the new, never a mixture. What a crash leaves unreachable is
 * removed by the next write of the dataset and when a store first writes it.
 *
 * @since 0.3.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import * as t from 'io-ts'
import { DatasetName, type RecordKey, SyncCount } from '../codecs.js'
import { decodeWith } from '../DecodeError.js'
import { type LocalRecord, type LocalState, LocalRecordJson, stateOf } from '../LocalRecord.js'
import { type CrossContextLock, prefixedLock, webLocks } from './crossContextLock.js'
import { type LoadNode, type TrieNode, allRecords, lookup, rewrite } from './hashTrie.js'
import { type Usage, changeUsage } from './limits.js'
import { type LocalStore, type RecordSlice, type StoreFailed, applyModify, storeFailed } from './LocalStore.js'
import { type KeyedMutex, keyedMutex } from './mutex.js'
import { type RecordChange, recordChanges, stateChanges } from './records.js'

// data

/**
 * What the store needs of a storage: string values under string keys. Each method may answer at once
 * or with a Promise, and may throw or reject (the store then answers `StoreFailed`). `getItem` answers
 * `null` (or `undefined`) for a key it does not hold. `localStorage` and React Native's `AsyncStorage`
 * fit as they are.
 *
 * @since 0.3.0
 */
export interface KeyValueStorage {
  getItem(key: string): string | null | undefined | PromiseLike<string | null | undefined>
  setItem(key: string, value: string): unknown
  removeItem(key: string): unknown
}

/** @since 0.3.0 */
export interface KeyValueStoreOptions {
  readonly storage: KeyValueStorage
  /** Starts the name of every entry the store writes; `'cognito-reconcile/'` by default. */
  readonly prefix?: string
  /**
   * Serialises writes, and syncs (`syncLock`), with the other contexts sharing `storage` (the tabs of
   * one origin over `localStorage`): Web Locks where the platform has them, by default; `false` for
   * none (one context only, as in React Native). Stores over the same storage object in one context
   * always share an in-process mutex.
   */
  readonly lock?: CrossContextLock | false
  /** Records per leaf entry before it splits; 16 by default. Fewer makes writes smaller and whole reads longer. */
  readonly leafCapacity?: number
}

/** A dataset's root entry, as decoded: the header and where its records are. */
interface Root {
  readonly gen: number
  readonly lastSyncCount: SyncCount
  readonly usage: Usage
  /** How many records the trie holds, tombstones included: whether the dataset is listed. */
  readonly stored: number
  readonly top: string | null
  /** Nodes the previous root reached and this one does not: removed after the switch, or by the next write. */
  readonly garbage: ReadonlyArray<string>
}

const emptyRoot: Root = { gen: 0, lastSyncCount: 0, usage: { records: 0, bytes: 0 }, stored: 0, top: null, garbage: [] }

const Count = t.refinement(t.number, (n) => Number.isSafeInteger(n) && n >= 0, 'Count')

const RootEntry = t.type({
  v: t.literal(1),
  gen: Count,
  lastSyncCount: SyncCount,
  records: Count,
  bytes: Count,
  stored: Count,
  top: t.union([t.string, t.null]),
  garbage: t.array(t.string),
})

const NodeEntry = t.union([t.type({ r: t.array(LocalRecordJson) }), t.type({ c: t.array(t.union([t.string, t.null])) })])

const DatasetList = t.array(DatasetName)

const encodeRoot = (root: Root): string =>
  JSON.stringify({
    v: 1,
    gen: root.gen,
    lastSyncCount: root.lastSyncCount,
    records: root.usage.records,
    bytes: root.usage.bytes,
    stored: root.stored,
    top: root.top,
    garbage: [...root.garbage],
  } satisfies t.TypeOf<typeof RootEntry>)

const encodeNode = (node: TrieNode): string =>
  JSON.stringify(node.kind === 'leaf' ? { r: node.records.map((record) => LocalRecordJson.encode(record)) } : { c: node.children })

/** The one exception of this module: thrown inside an operation, answered as its `left`. */
class Failed {
  constructor(readonly failure: StoreFailed) {}
}

const fail = (message: string, cause: unknown): never => {
  throw new Failed(storeFailed(message, cause))
}

const describe = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause))

/** Stores over one storage object in one context share one mutex per entry prefix. */
const mutexes = new WeakMap<object, KeyedMutex>()
const sharedMutex = (storage: KeyValueStorage): KeyedMutex => {
  const known = mutexes.get(storage)
  if (known !== undefined) return known
  const created = keyedMutex()
  mutexes.set(storage, created)
  return created
}

/** A dataset's key-value layout: where its root and nodes are. */
const names = (prefix: string) => ({
  catalog: `${prefix}datasets`,
  root: (dataset: string) => `${prefix}d/${dataset}`,
  node: (dataset: string, gen: number, index: number) => `${prefix}n/${dataset}/${gen}.${index}`,
})

const MAX_READ_ATTEMPTS = 20

// the constructor

/**
 * A store over `storage`. Every operation reads the storage's root entry of the dataset, so stores
 * over the same storage (two tabs over one `localStorage`) see each other's writes at once; nodes,
 * which never change once written, are cached by name. Writes are serialised per dataset by a mutex
 * shared by every store over the same storage object in this context and, across contexts, by
 * `lock` (Web Locks by default where the platform has them). A single-key write reads and writes
 * the root, the leaf of its key and the branches above it: its cost does not grow with the dataset.
 *
 * A storage call that throws makes the operation answer `StoreFailed`: if it was a write, the
 * dataset is left as it was before it, or, if the root's `setItem` failed after storing, as after.
 *
 * @example
 * import { keyValueStore, openDataset } from 'cognito-reconcile/stores'
 * import * as E from 'fp-ts/lib/Either.js'
 * import * as O from 'fp-ts/lib/Option.js'
 * // any storage of this shape: localStorage, React Native's AsyncStorage, ... Here a Map's.
 * const entries = new Map<string, string>()
 * const storage = {
 *   getItem: async (key: string) => entries.get(key) ?? null,
 *   setItem: async (key: string, value: string) => void entries.set(key, value),
 *   removeItem: async (key: string) => void entries.delete(key),
 * }
 * const write = openDataset(keyValueStore({ storage }), 'settings')
 * assert.ok(E.isRight(write))
 * if (E.isRight(write)) assert.ok(E.isRight(await write.right.put('theme', 'dark')()))
 * // another store over the same storage (another tab) reads it at once
 * const read = openDataset(keyValueStore({ storage }), 'settings')
 * assert.ok(E.isRight(read))
 * if (E.isRight(read)) assert.deepStrictEqual(await read.right.get('theme')(), E.right(O.some('dark')))
 *
 * @since 0.3.0
 */
export const keyValueStore = (options: KeyValueStoreOptions): LocalStore => {
  const { storage } = options
  const prefix = options.prefix ?? 'cognito-reconcile/'
  const capacity = Math.max(1, options.leafCapacity ?? 16)
  const lock = options.lock === false ? undefined : (options.lock ?? webLocks())
  const layout = names(prefix)
  const mutex = sharedMutex(storage)
  /** Nodes by name: a name reachable from a committed root always holds the same node. */
  const cache = new Map<string, TrieNode>()
  /** Datasets whose leftovers of a cut write this store has removed. */
  const clean = new Set<string>()

  // storage calls, each failure a StoreFailed naming the call

  const call = async <A>(what: string, run: () => A | PromiseLike<A>): Promise<A> => {
    try {
      return await run()
    } catch (cause) {
      return fail(`The key-value storage failed in ${what}: ${describe(cause)}`, cause)
    }
  }
  const get = (name: string) => call(`getItem(${JSON.stringify(name)})`, () => storage.getItem(name))
  const set = (name: string, text: string) => call(`setItem(${JSON.stringify(name)})`, () => storage.setItem(name, text))
  const removeItem = (name: string) => call(`removeItem(${JSON.stringify(name)})`, () => storage.removeItem(name))

  const decodeEntry = <A>(codec: t.Decoder<unknown, A>, name: string, text: string): A => {
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch (cause) {
      return fail(`Corrupt key-value entry ${JSON.stringify(name)}: not JSON`, cause)
    }
    return pipe(
      decodeWith(codec as t.Type<A, unknown, unknown>, `key-value entry ${JSON.stringify(name)}`)(json),
      E.getOrElseW((error) => fail(`Corrupt key-value entry ${JSON.stringify(name)}: ${error.message}`, error)),
    )
  }

  const readRoot = async (dataset: DatasetName): Promise<Root> => {
    const name = layout.root(dataset)
    const text = await get(name)
    if (text === null || text === undefined) return emptyRoot
    const { records, bytes, v: _, ...rest } = decodeEntry(RootEntry, name, text)
    return { ...rest, usage: { records, bytes } }
  }

  /** A node, or `undefined` if the storage holds none under `name` (a concurrent write removed it). */
  const fetchNode = async (name: string): Promise<TrieNode | undefined> => {
    const cached = cache.get(name)
    if (cached !== undefined) return cached
    const text = await get(name)
    if (text === null || text === undefined) return undefined
    const decoded = decodeEntry(NodeEntry, name, text)
    const node: TrieNode = 'r' in decoded ? { kind: 'leaf', records: decoded.r } : { kind: 'branch', children: decoded.c }
    cache.set(name, node)
    return node
  }

  class Vanished {}
  /** Loads a node, throwing `Vanished` for a missing one. */
  const load: LoadNode = async (name) => {
    const node = await fetchNode(name)
    if (node === undefined) throw new Vanished()
    return node
  }

  /**
   * Runs `use` on the dataset's current root. Without the write lock, a write in another context may
   * switch the root and remove nodes of the old one while `use` reads them: then it runs again, on
   * the new root. A node missing under an unchanged root is corruption.
   */
  const snapshot = async <A>(dataset: DatasetName, use: (root: Root, load: LoadNode) => Promise<A>): Promise<A> => {
    for (let attempt = 1; ; attempt++) {
      const root = await readRoot(dataset)
      try {
        return await use(root, load)
      } catch (error) {
        if (!(error instanceof Vanished)) throw error
        const again = await readRoot(dataset)
        if (again.gen === root.gen || attempt >= MAX_READ_ATTEMPTS)
          return fail(`Corrupt key-value storage: dataset ${dataset} (root generation ${root.gen}) reaches an entry the storage does not hold`, dataset)
      }
    }
  }

  const stateOfRoot = async (root: Root, load: LoadNode): Promise<LocalState> => stateOf(await allRecords(load, root.top), root.lastSyncCount)

  const sliceOfRoot = async (root: Root, load: LoadNode, keys: ReadonlyArray<RecordKey>): Promise<RecordSlice> => {
    const records = new Map<string, LocalRecord>()
    for (const key of new Set(keys)) {
      const record = await lookup(load, root.top, key)
      if (record !== undefined) records.set(key, record)
    }
    return { header: { lastSyncCount: root.lastSyncCount, usage: root.usage }, records }
  }

  // writes

  /** Removes entries, forgetting them. */
  const removeAll = async (entries: ReadonlyArray<string>): Promise<void> => {
    for (const name of entries) {
      cache.delete(name)
      await removeItem(name)
    }
  }

  /** Removes the nodes `gen.from`, `gen.from + 1`, ... that a cut write left: they are written in order, so they end at the first gap. */
  const sweep = async (dataset: DatasetName, gen: number, from: number): Promise<void> => {
    for (let index = from; ; index++) {
      const name = layout.node(dataset, gen, index)
      const text = await get(name)
      if (text === null || text === undefined) return
      await removeAll([name])
    }
  }

  /** What a cut write may have left: the last root's garbage, and nodes of a next generation never switched to. */
  const recover = async (dataset: DatasetName, root: Root): Promise<void> => {
    await removeAll(root.garbage)
    await sweep(dataset, root.gen + 1, 0)
  }

  /** Adds or removes `dataset` in the list of datasets; the list may name datasets that hold nothing, never miss one that does. */
  const catalog = (dataset: DatasetName, present: boolean): Promise<void> =>
    serialised(layout.catalog, async () => {
      const text = await get(layout.catalog)
      const listed = text === null || text === undefined ? [] : decodeEntry(DatasetList, layout.catalog, text)
      if (listed.includes(dataset) === present) return
      const next = present ? [...listed, dataset].sort() : listed.filter((name) => name !== dataset)
      await set(layout.catalog, JSON.stringify(next))
    })

  /** `task` alone among the writers of `name` of this storage, in this context and (with a lock) in every other. */
  const serialised = <A>(name: string, task: () => Promise<A>): Promise<A> =>
    mutex.run(`${prefix}${name}`, () => (lock === undefined ? task() : lock.run(`${prefix}write/${name}`, task)))

  /**
   * Commits `changes` to the dataset: new nodes, then the root, then the removal of what the new
   * root no longer reaches. Called under the dataset's write lock.
   */
  const commit = async (
    dataset: DatasetName,
    root: Root,
    load: LoadNode,
    lastSyncCount: SyncCount,
    changes: ReadonlyArray<RecordChange>,
  ): Promise<void> => {
    // a record rebuilt with equal contents is not a change
    const real = changes.filter(([before, after]) => before === undefined || after === undefined || encodeNode({ kind: 'leaf', records: [before] }) !== encodeNode({ kind: 'leaf', records: [after] }))
    if (real.length === 0 && lastSyncCount === root.lastSyncCount) return
    const gen = root.gen + 1
    const keyed = real.flatMap(([before, after]) => {
      const key = (after ?? before)?.key
      return key === undefined ? [] : [[key, after] as const]
    })
    const stored = root.stored + real.reduce((n, [before, after]) => n + (after === undefined ? 0 : 1) - (before === undefined ? 0 : 1), 0)
    const next = await rewrite(load, root.top, keyed, capacity, (index) => layout.node(dataset, gen, index))
    for (const [name, node] of next.written) await set(name, encodeNode(node))
    await removeAll(root.garbage)
    if (root.stored === 0 && stored > 0) await catalog(dataset, true)
    await set(layout.root(dataset), encodeRoot({ gen, lastSyncCount, usage: changeUsage(root.usage, real), stored, top: next.top, garbage: next.obsolete }))
    for (const [name, node] of next.written) cache.set(name, node)
    await removeAll(next.obsolete)
    await sweep(dataset, gen, next.written.length)
    if (root.stored > 0 && stored === 0) await catalog(dataset, false)
  }

  /** A write of the dataset: recovers once from a cut write, then runs `body` on the current root under the lock. */
  const write = <Err, A>(dataset: DatasetName, body: (root: Root, load: LoadNode) => Promise<E.Either<Err, A>>): Promise<E.Either<Err | StoreFailed, A>> =>
    answer(() =>
      serialised(`d/${dataset}`, async () => {
        try {
          if (!clean.has(dataset)) {
            await recover(dataset, await readRoot(dataset))
            clean.add(dataset)
          }
          return await body(await readRoot(dataset), load)
        } catch (error) {
          // a failed write may leave nodes behind: look for them before the next one
          clean.delete(dataset)
          if (error instanceof Vanished) return fail(`Corrupt key-value storage: dataset ${dataset} reaches an entry the storage does not hold`, dataset)
          throw error
        }
      }),
    )

  /** Runs an operation, its `Failed` answered as a left. */
  const answer = async <Err, A>(run: () => Promise<E.Either<Err | StoreFailed, A>>): Promise<E.Either<Err | StoreFailed, A>> => {
    try {
      return await run()
    } catch (error) {
      if (error instanceof Failed) return E.left(error.failure)
      return E.left(storeFailed(`The key-value store failed: ${describe(error)}`, error))
    }
  }

  return {
    read: (dataset) => () => answer(async () => E.right(await snapshot(dataset, stateOfRoot))),
    readRecords: (dataset, keys) => () => answer(async () => E.right(await snapshot(dataset, (root, load) => sliceOfRoot(root, load, keys)))),
    modify:
      <Err, A>(dataset: DatasetName, f: (state: LocalState) => E.Either<Err, readonly [A, LocalState]>): TE.TaskEither<Err | StoreFailed, A> =>
      () =>
        write(dataset, async (root, load) => {
          const before = await stateOfRoot(root, load)
          const result = applyModify(f, before)
          if (E.isLeft(result)) return result
          const [value, after] = result.right
          if (!SyncCount.is(after.lastSyncCount)) return E.left(storeFailed(`Refusing to store the lastSyncCount ${String(after.lastSyncCount)} in dataset ${dataset}`, after))
          const changes = stateChanges(dataset, before, after)
          if (E.isLeft(changes)) return changes
          await commit(dataset, root, load, after.lastSyncCount, changes.right)
          return E.right(value)
        }),
    modifyRecords:
      <Err, A>(
        dataset: DatasetName,
        keys: ReadonlyArray<RecordKey>,
        f: (slice: RecordSlice) => E.Either<Err, readonly [A, ReadonlyArray<LocalRecord>]>,
      ): TE.TaskEither<Err | StoreFailed, A> =>
      () =>
        write(dataset, async (root, load) => {
          const slice = await sliceOfRoot(root, load, keys)
          const result = pipe(
            applyModify(f, slice),
            E.chainW(([value, changed]) =>
              pipe(
                recordChanges(dataset, keys, slice, changed),
                E.map((changes) => [value, changes] as const),
              ),
            ),
          )
          if (E.isLeft(result)) return result
          await commit(dataset, root, load, root.lastSyncCount, result.right[1])
          return E.right(result.right[0])
        }),
    datasets: () => () =>
      answer(async () => {
        const text = await get(layout.catalog)
        const listed = text === null || text === undefined ? [] : decodeEntry(DatasetList, layout.catalog, text)
        const holding: Array<DatasetName> = []
        for (const dataset of listed) if ((await readRoot(dataset)).stored > 0) holding.push(dataset)
        return E.right(holding)
      }),
    ...(lock === undefined ? {} : { syncLock: prefixedLock(lock, `${prefix}sync/`) }),
  }
}
