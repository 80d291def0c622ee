// The migration from amazon-cognito-js, against the real thing: the published amazon-cognito-js writes
// its localStorage data while it syncs with the emulator over HTTP, the import takes over in each of
// our stores, this library syncs, and every dataset ends as the expected merge on the service and on
// every device.
import * as E from 'fp-ts/lib/Either.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  type AmazonCognitoJsData,
  datasetEntry,
  importAmazonCognitoJs,
  importAmazonCognitoJsPromise,
  metadataEntry,
  MigrationFailedError,
  readAmazonCognitoJs,
  removeAmazonCognitoJs,
} from 'cognito-reconcile/amazon-cognito-js'
import { DeleteDatasetCommand } from '@aws-sdk/client-cognito-sync'
import { type EmulatorHandle, startEmulator } from '../../src/emulator/index.js'
import { type LocalStore, memoryStore } from '../../src/stores/index.js'
import { sync } from '../../src/sync/index.js'
import { lastWriterWins } from '../../strategies/index.js'
import { type OpenedStore, storeFactories } from '../stores/harness.js'
import { MemoryStorage, cognitoJsApp } from './cognitoJs.js'
import { alice, bob, client, expected, onDevice, onService, playHistory, pool, staleOnA, syncWith } from './scenario.js'

let emulator: EmulatorHandle
beforeEach(async () => {
  emulator = await startEmulator()
})
afterEach(async () => {
  await emulator.close()
})

/** The history, played by amazon-cognito-js in Node over `storage`. */
const played = (storage: MemoryStorage): Promise<LocalStore> => {
  const address = { endpoint: emulator.endpoint, identityPoolId: pool }
  return playHistory(emulator, cognitoJsApp(storage, { ...address, identityId: alice }), async () => cognitoJsApp(storage, { ...address, identityId: bob }))
}

const right = <A>(result: E.Either<{ readonly message: string }, A>): A => {
  if (E.isLeft(result)) throw new Error(`expected a right, got ${result.left.message}`)
  return result.right
}

const names = Object.keys(expected).sort()

describe.each(storeFactories)('an amazon-cognito-js app moved into $name', (factory) => {
  let opened: OpenedStore
  beforeEach(() => {
    opened = factory.open()
  })
  afterEach(() => opened.dispose())

  it('loses nothing: every dataset ends as the expected merge, on the service and on both devices', async () => {
    const storage = new MemoryStorage()
    const b = await played(storage)
    // what amazon-cognito-js shows before the move, and has not pushed
    expect(await (await cognitoJsApp(storage, { endpoint: emulator.endpoint, identityPoolId: pool, identityId: alice }).dataset('scores')).get('hi')).toBe(staleOnA.hi)
    expect(onService(emulator, 'inbox')).toEqual({})
    const before = storage.dump()

    const imported = right(await importAmazonCognitoJs({ storage, identityId: alice, store: opened.store })())
    expect(storage.dump()).toEqual(before)
    expect(imported.datasets.map((d) => [d.name, d.pendingKeys, d.cognitoJsLastSyncCount])).toEqual([
      ['game', ['coins', 'fresh', 'lives', 'note'], 1],
      ['inbox', ['msg'], 0],
      ['scores', [], 3],
      ['settings', ['sound', 'volume'], 1],
    ])
    // before any sync, the app sees what amazon-cognito-js showed, offline edits included
    expect(await onDevice(opened.store, 'game')).toEqual({ coins: '150', lives: '4', badge: 'gold', motto: '', note: '', fresh: 'f' })

    const reports = Object.fromEntries(await Promise.all(names.map(async (name) => [name, await syncWith(emulator, opened.store, name, 'a')] as const)))
    // the conflict went to the strategy, as any other
    expect(reports.game?.conflicts.map((c) => c.conflict.key)).toEqual(['lives'])
    for (const name of names) await syncWith(emulator, b, name, 'b')
    for (const name of names) {
      expect(onService(emulator, name), name).toEqual(expected[name])
      expect(await onDevice(opened.store, name), name).toEqual(expected[name])
      expect(await onDevice(b, name), name).toEqual(expected[name])
    }
    // a second sync has nothing left to push or pull
    for (const name of names) expect((await syncWith(emulator, opened.store, name, 'a')).pushed, name).toEqual([])
  })
})

describe('importing one identity of several', () => {
  it('imports bob apart from alice, and leaves the other identity and the source alone', async () => {
    const storage = new MemoryStorage()
    await played(storage)
    const before = storage.dump()
    const store = memoryStore()
    const imported = right(await importAmazonCognitoJs({ storage, identityId: bob, store })())
    expect(imported.datasets.map((d) => [d.name, d.pendingKeys])).toEqual([['prefs', ['x']]])
    expect(right(await store.datasets()())).toEqual(['prefs'])
    expect(storage.dump()).toEqual(before)
    await syncWith(emulator, store, 'prefs', 'a', bob)
    expect(onService(emulator, 'prefs', bob)).toEqual({ x: 'y' })
    expect(onService(emulator, 'prefs', alice)).toEqual({})
  })
})

describe('a dataset deleted on the server after amazon-cognito-js last synced it', () => {
  it('is reported at the first sync, with the edits kept, and a recreate pushes them', async () => {
    const storage = new MemoryStorage()
    const game = await cognitoJsApp(storage, { endpoint: emulator.endpoint, identityPoolId: pool, identityId: alice }).dataset('game')
    await game.put('a', '1')
    await game.put('b', '2')
    expect(await game.synchronize()).toBe('synced')
    await game.put('a', '9')
    const sdk = client(emulator)
    await sdk.send(new DeleteDatasetCommand({ IdentityPoolId: pool, IdentityId: alice, DatasetName: 'game' }))
    const store = memoryStore()
    right(await importAmazonCognitoJs({ storage, identityId: alice, store })())
    const options = { client: sdk, identityPoolId: pool, identityId: alice, datasetName: 'game', deviceId: 'a', store, strategy: lastWriterWins }
    expect(await sync(options)()).toMatchObject(E.left({ _tag: 'DatasetDeleted', dirtyKeys: ['a'] }))
    right(await sync({ ...options, policies: { onDatasetDeleted: 'recreate' } })())
    sdk.destroy()
    expect(onService(emulator, 'game')).toEqual({ a: '9', b: '2' })
  })
})

/** A storage amazon-cognito-js wrote, for the failure cases to spoil. */
const written = async (): Promise<MemoryStorage> => {
  const storage = new MemoryStorage()
  await played(storage)
  return storage
}

/** Imports into a fresh store and checks that the failure left the source and the target as they were. */
const failing = async (storage: MemoryStorage, identityId = alice, store: LocalStore = memoryStore()) => {
  const before = storage.dump()
  const datasetsBefore = right(await store.datasets()())
  const result = await importAmazonCognitoJs({ storage, identityId, store })()
  expect(storage.dump()).toEqual(before)
  expect(right(await store.datasets()())).toEqual(datasetsBefore)
  if (E.isRight(result)) throw new Error('expected the import to fail')
  return result.left
}

const game = datasetEntry(alice, 'game')

describe('bad or partial data: a typed error that says what to do, the source untouched, the target unchanged', () => {
  it('an entry that is not JSON', async () => {
    const storage = await written()
    storage.setItem(game, '{"coins":{"Key":"coins"')
    const error = await failing(storage)
    expect(error).toMatchObject({ _tag: 'CorruptEntry', entry: game })
    expect(error.message).toMatch(/is not JSON.*Nothing was imported.*Restore the entry from a backup, or remove it/)
  })

  it('a record of the wrong shape, with the path to it', async () => {
    const storage = await written()
    const records = JSON.parse(storage.getItem(game) ?? '{}') as Record<string, Record<string, unknown>>
    storage.setItem(game, JSON.stringify({ ...records, coins: { ...records.coins, SyncCount: -1, Value: 7 } }))
    const error = await failing(storage)
    expect(error._tag).toBe('CorruptEntry')
    if (error._tag === 'CorruptEntry') expect(error.issues.map((issue) => issue.path).sort()).toEqual(['coins.SyncCount', 'coins.Value'])
  })

  it('a record filed under another key', async () => {
    const storage = await written()
    const records = JSON.parse(storage.getItem(game) ?? '{}') as Record<string, Record<string, unknown>>
    storage.setItem(game, JSON.stringify({ ...records, coins: { ...records.coins, Key: 'lives' } }))
    expect(await failing(storage)).toMatchObject({ _tag: 'CorruptEntry', entry: game, issues: [{ path: 'coins.Key' }] })
  })

  it('dataset metadata that names another dataset, or lacks its sync count', async () => {
    const storage = await written()
    const metadata = JSON.parse(storage.getItem(metadataEntry) ?? '{}') as Record<string, Record<string, Record<string, unknown>>>
    const spoil = async (change: Record<string, unknown>) => {
      storage.setItem(metadataEntry, JSON.stringify({ ...metadata, [alice]: { ...metadata[alice], [game]: { ...metadata[alice]?.[game], ...change } } }))
      return failing(storage)
    }
    expect(await spoil({ DatasetName: 'other' })).toMatchObject({ _tag: 'CorruptEntry', entry: metadataEntry, issues: [{ path: `${alice}.${game}.DatasetName` }] })
    expect(await spoil({ LastSyncCount: undefined })).toMatchObject({ _tag: 'CorruptEntry', entry: metadataEntry, issues: [{ path: `${alice}.${game}.LastSyncCount` }] })
  })

  it('another identity than the one asked for', async () => {
    const storage = await written()
    const carol = 'us-east-1:cccccccc-cccc-cccc-cccc-cccccccccccc'
    const error = await failing(storage, carol)
    expect(error).toMatchObject({ _tag: 'IdentityNotFound', identityId: carol, identities: [alice, bob] })
    expect(error.message).toMatch(/Pass the identity id amazon-cognito-js synced with/)
  })

  it('records whose metadata is missing', async () => {
    const storage = await written()
    const metadata = JSON.parse(storage.getItem(metadataEntry) ?? '{}') as Record<string, Record<string, unknown>>
    const { [game]: _, ...others } = metadata[alice] ?? {}
    storage.setItem(metadataEntry, JSON.stringify({ ...metadata, [alice]: others }))
    expect(await failing(storage)).toMatchObject({ _tag: 'MissingMetadata', entries: [game] })
    storage.removeItem(metadataEntry)
    const error = await failing(storage)
    expect(error._tag).toBe('MissingMetadata')
    if (error._tag === 'MissingMetadata') expect(error.entries).toEqual([datasetEntry(alice, 'game'), datasetEntry(alice, 'inbox'), datasetEntry(alice, 'scores'), datasetEntry(alice, 'settings')])
  })

  it('a storage that throws', async () => {
    const storage = await written()
    class Broken extends MemoryStorage {
      override getItem(key: string): string | null {
        if (key === game) throw new Error('quota')
        return super.getItem(key)
      }
    }
    const broken = new Broken()
    for (const [name, text] of Object.entries(storage.dump())) broken.setItem(name, text)
    expect(await failing(broken)).toMatchObject({ _tag: 'SourceUnavailable', entry: game })
  })

  it('a target that holds a dataset already: refused before anything is written', async () => {
    const storage = await written()
    const store = memoryStore()
    await syncWith(emulator, store, 'settings', 'a')
    const before = right(await store.read('settings' as never)())
    const error = await failing(storage, alice, store)
    expect(error).toMatchObject({ _tag: 'TargetNotEmpty', datasets: ['settings'] })
    expect(right(await store.read('settings' as never)())).toBe(before)
  })

  it('a target that fails midway: the datasets written before are emptied again', async () => {
    const storage = await written()
    const inner = memoryStore()
    const store: LocalStore = {
      ...inner,
      modify: (dataset, f) => (dataset === 'scores' ? async () => E.left({ _tag: 'StoreFailed', message: 'disk full', cause: undefined }) : inner.modify(dataset, f)),
    }
    expect(await failing(storage, alice, store)).toMatchObject({ _tag: 'StoreFailed', message: 'disk full' })
    for (const name of ['game', 'inbox']) expect(right(await inner.read(name as never)()).records.size, name).toBe(0)
  })

  it('the Promise API rejects with a MigrationFailedError named after the kind', async () => {
    const storage = await written()
    const failure = await importAmazonCognitoJsPromise({ storage, identityId: 'not an id', store: memoryStore() }).catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(MigrationFailedError)
    expect((failure as MigrationFailedError).name).toBe('DecodeError')
  })
})

describe('after the import: the source stays until removed on request', () => {
  const importedFrom = async (storage: MemoryStorage): Promise<AmazonCognitoJsData> => right(await importAmazonCognitoJs({ storage, identityId: alice, store: memoryStore() })())

  it('removes what the import read, and keeps the other identity', async () => {
    const storage = await written()
    const imported = await importedFrom(storage)
    const bobs = Object.keys(storage.dump()).filter((name) => name.startsWith(bob))
    const removed = right(await removeAmazonCognitoJs(storage, imported)())
    expect(removed).toEqual([...imported.source.entries.keys(), metadataEntry])
    expect(Object.keys(storage.dump())).toEqual([metadataEntry, ...bobs])
    expect(Object.keys(JSON.parse(storage.getItem(metadataEntry) ?? '{}') as object)).toEqual([bob])
    // alice is gone, and bob is whole
    expect(await readAmazonCognitoJs(storage, alice)()).toMatchObject(E.left({ _tag: 'IdentityNotFound', identities: [bob] }))
    expect(right(await readAmazonCognitoJs(storage, bob)()).datasets.map((d) => d.pendingKeys)).toEqual([['x']])
    // again: nothing more to remove
    expect(right(await removeAmazonCognitoJs(storage, imported)())).toEqual([])
  })

  it('removes nothing when amazon-cognito-js wrote after the import', async () => {
    const storage = await written()
    const imported = await importedFrom(storage)
    const game = await cognitoJsApp(storage, { endpoint: emulator.endpoint, identityPoolId: pool, identityId: alice }).dataset('game')
    await game.put('coins', '151')
    const before = storage.dump()
    const result = await removeAmazonCognitoJs(storage, imported)()
    expect(result).toMatchObject(E.left({ _tag: 'SourceChanged', entries: [datasetEntry(alice, 'game'), metadataEntry] }))
    expect(storage.dump()).toEqual(before)
  })
})
