/**
 * The Promise API against the emulator, over HTTP with the real SDK: every method, every rejection
 * typed, and nothing lost when a sync fails.
 */
import { DeleteDatasetCommand, ListDatasetsCommand } from '@aws-sdk/client-cognito-sync'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { afterEach, describe, expect, it } from 'vitest'
import { type SyncManagerConfig, createSyncManager, isSyncFailure } from '../../src/app/index.js'
import { type LocalStore, memoryStore, storeFailed } from '../../src/stores/index.js'
import { SyncFailedError } from '../../src/sync/index.js'
import { lastWriterWins, maxValue } from '../../strategies/index.js'
import { onArrivalOf } from '../emulator/arrivals.js'
import { alice, bob, datasetName, pool, sdkClient, useWorld } from '../sync/harness.js'

const world = useWorld()

/** A manager for device `deviceId` on its own store (unless given), with fast retries. */
const manager = (deviceId: string, overrides: Partial<SyncManagerConfig> = {}) => {
  const client = overrides.client ?? sdkClient(world.emulator.endpoint)
  clients.push(client)
  return createSyncManager({
    client,
    store: memoryStore(),
    identityPoolId: pool,
    identityId: alice,
    deviceId,
    strategy: lastWriterWins,
    random: () => 0.5,
    limits: { backoffBaseMs: 2, backoffMaxMs: 20 },
    ...overrides,
  })
}
const clients: Array<{ destroy: () => void }> = []
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy()
})

/** Deletes the dataset on the service, as another device's "reset my data" would. */
const deleteOnService = async (): Promise<void> => {
  const client = sdkClient(world.emulator.endpoint)
  clients.push(client)
  await client.send(new DeleteDatasetCommand({ IdentityPoolId: pool, IdentityId: alice, DatasetName: datasetName }))
}

/** The rejection of `promise`, or a test failure if it resolved. */
const rejection = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise
  } catch (e) {
    return e
  }
  throw new Error('expected a rejection')
}

/** The synchronous throw of `f`. */
const thrown = (f: () => unknown): unknown => {
  try {
    f()
  } catch (e) {
    return e
  }
  throw new Error('expected a throw')
}

describe('createSyncManager checks its configuration once', () => {
  const base = (): SyncManagerConfig => ({
    client: sdkClient('http://127.0.0.1:1'),
    store: memoryStore(),
    identityPoolId: pool,
    identityId: alice,
    deviceId: 'phone',
    strategy: lastWriterWins,
  })

  it.each([
    ['identity pool id', { identityPoolId: 'us-east-1_AbCdEf' }],
    ['identity id', { identityId: '' }],
    ['device id', { deviceId: '' }],
    ['client context', { clientContext: '{"client":{}}' }],
    ['client', { client: undefined }],
    ['store', { store: {} }],
    ['strategy', { strategy: null }],
  ])('a bad %s throws InvalidInput naming it', (what, change) => {
    const config = { ...base(), ...change } as unknown as SyncManagerConfig
    const e = thrown(() => createSyncManager(config))
    expect(isSyncFailure(e, 'InvalidInput')).toBe(true)
    expect(e).toBeInstanceOf(SyncFailedError)
    expect(isSyncFailure(e, 'InvalidInput') && e.error.what).toBe(what)
    expect((e as Error).message).toContain(`Invalid ${what}`)
    base().client.destroy()
  })

  it('binds a store to one identity and device: another device id or identity is refused, the same one is not', () => {
    const config = base()
    const first = createSyncManager(config)
    expect(createSyncManager(config).deviceId).toBe(first.deviceId)
    for (const change of [{ deviceId: 'tablet' }, { identityId: bob }]) {
      const e = thrown(() => createSyncManager({ ...config, ...change }))
      expect(isSyncFailure(e, 'InvalidInput') && e.error.what).toBe('store')
      expect((e as Error).message).toMatch(/^Invalid store: at (deviceId|identityId): must be .*; got .*give each identity and device its own store\.$/)
    }
    // a refused manager binds nothing: the first binding still holds
    expect(createSyncManager(config).deviceId).toBe('phone')
    config.client.destroy()
  })

  it('says what each shape must be, what it got, and what to pass', () => {
    const errors = [{ client: undefined }, { store: { ...memoryStore(), datasets: 'all' } }, { strategy: null }].map((change) => {
      const config = base()
      const e = thrown(() => createSyncManager({ ...config, ...change } as unknown as SyncManagerConfig))
      config.client.destroy()
      return isSyncFailure(e, 'InvalidInput') ? e.error : e
    })
    expect(errors).toEqual([
      {
        _tag: 'InvalidInput',
        what: 'client',
        issues: [{ path: '', expected: 'CognitoSyncClient', rule: 'be a CognitoSyncClient, an object with send()', got: 'undefined' }],
        message: 'Invalid client: must be a CognitoSyncClient, an object with send(); got undefined. Pass the client of @aws-sdk/client-cognito-sync: new CognitoSyncClient({ region }).',
      },
      {
        _tag: 'InvalidInput',
        what: 'store',
        issues: [{ path: '', expected: 'LocalStore', rule: 'be a LocalStore, an object with read(), modify(), readRecords(), modifyRecords(), datasets()', got: 'object' }],
        message:
          "Invalid store: must be a LocalStore, an object with read(), modify(), readRecords(), modifyRecords(), datasets(); got object. Pass memoryStore() from 'cognito-reconcile/stores', sqliteStore({ path }) from 'cognito-reconcile/sqlite', or your own LocalStore.",
      },
      {
        _tag: 'InvalidInput',
        what: 'strategy',
        issues: [{ path: '', expected: 'Strategy', rule: 'be a Strategy, an object with decide()', got: 'null' }],
        message: "Invalid strategy: must be a Strategy, an object with decide(); got null. Pass a strategy from 'cognito-reconcile/strategies': lastWriterWins, or one built with byKey, custom, ...",
      },
    ])
  })

  it('a store bound to another identity and device names every field that differs, with the bound value', () => {
    const config = base()
    createSyncManager(config)
    const e = thrown(() => createSyncManager({ ...config, identityId: bob, deviceId: 'tablet' }))
    expect(isSyncFailure(e, 'InvalidInput') && e.error).toEqual({
      _tag: 'InvalidInput',
      what: 'store',
      issues: [
        { path: 'identityId', expected: JSON.stringify(alice), rule: `be ${JSON.stringify(alice)}: this store already holds the datasets of that identityId`, got: JSON.stringify(bob) },
        { path: 'deviceId', expected: '"phone"', rule: 'be "phone": this store already holds the datasets of that deviceId', got: '"tablet"' },
      ],
      message: expect.stringMatching(/^Invalid store: .*A store holds one device's copy of one identity's datasets: give each identity and device its own store\.$/),
    })
    config.client.destroy()
  })

  it('exposes the ids it bound; another identity pool on the same store is refused', () => {
    const config = base()
    const bound = createSyncManager(config)
    expect([bound.identityPoolId, bound.identityId, bound.deviceId]).toEqual([pool, alice, 'phone'])
    const e = thrown(() => createSyncManager({ ...config, identityPoolId: 'us-east-1:22222222-2222-2222-2222-222222222222' }))
    expect(isSyncFailure(e, 'InvalidInput') && e.error.issues.map((issue) => issue.path)).toEqual(['identityPoolId'])
    config.client.destroy()
  })

  it("stamps the app's writes with the clock it was given", async () => {
    const config = base()
    const game = createSyncManager({ ...config, clock: () => new Date(1234) }).dataset(datasetName)
    await game.put('k', 'v')
    expect((await game.state()).records.get('k')?.pending?.deviceLastModifiedDate).toEqual(new Date(1234))
    config.client.destroy()
  })

  it('a bad dataset name throws InvalidInput at once', () => {
    const e = thrown(() => manager('phone').dataset('no spaces'))
    expect(isSyncFailure(e, 'InvalidInput') && e.error.what).toBe('dataset name')
  })
})

describe('isSyncFailure', () => {
  it('narrows by name, so a switch over the kinds sees each kind\'s fields', () => {
    const caught: unknown = new SyncFailedError({ _tag: 'LimitExceeded', limit: 'records', max: 1024, actual: 1025, message: 'too many' })
    const seen = (e: unknown): string => {
      if (!isSyncFailure(e)) return 'not ours'
      switch (e.name) {
        case 'LimitExceeded':
          return `${e.error.limit} ${e.error.actual}/${e.error.max}`
        case 'DatasetDeleted':
          return e.error.dirtyKeys.join()
        default:
          return e.name
      }
    }
    expect(seen(caught)).toBe('records 1025/1024')
    expect(seen(new Error('x'))).toBe('not ours')
    expect(isSyncFailure(caught, 'StoreFailed', 'LimitExceeded')).toBe(true)
    expect(isSyncFailure(caught, 'StoreFailed')).toBe(false)
  })
})

describe('a dataset answers with plain values', () => {
  it("keyRule 'officialClients', given once, refuses a write the official clients could not read, before any call", async () => {
    const game = manager('phone', { keyRule: 'officialClients' }).dataset(datasetName)
    const e = await game.put('ä', 'v').catch((error: unknown) => error)
    expect(e).toMatchObject({ name: 'InvalidInput' })
    expect(await game.pendingKeys()).toEqual([])
    await game.put('ok.key', 'v')
    expect(await game.pendingKeys()).toEqual(['ok.key'])
    expect(world.emulator.calls()).toEqual([])
  })

  it('put, get, remove and list, offline', async () => {
    const game = manager('phone').dataset(datasetName)
    expect(game.name).toBe(datasetName)
    expect(await game.get('coins')).toBeUndefined()
    await game.put('coins', '100')
    await game.put('level', '')
    await game.put('name', 'ada')
    await game.remove('name')
    expect(await game.get('coins')).toBe('100')
    expect(await game.get('level')).toBe('')
    expect(await game.get('name')).toBeUndefined()
    expect(await game.list()).toEqual([
      { key: 'coins', value: '100' },
      { key: 'level', value: '' },
    ])
    expect([...(await game.state()).records.keys()].sort()).toEqual(['coins', 'level', 'name'])
    expect(world.emulator.calls()).toEqual([])
  })

  it('putAll writes many in one step, from an object or pairs; null removes', async () => {
    const game = manager('phone').dataset(datasetName)
    await game.putAll({ coins: '100', gems: '3', name: 'ada' })
    await game.putAll([
      ['gems', '4'],
      ['name', null],
    ])
    await game.putAll(new Map([['level', '2']]))
    expect(await game.list()).toEqual([
      { key: 'coins', value: '100' },
      { key: 'gems', value: '4' },
      { key: 'level', value: '2' },
    ])
  })

  it('putAll is all or nothing: a bad key or a result over the quota writes none of them', async () => {
    const game = manager('phone').dataset(datasetName)
    await game.put('coins', '100')
    const bad = await rejection(game.putAll({ gems: '3', '': 'no key' }))
    expect(isSyncFailure(bad, 'InvalidInput') && bad.error.what).toBe('record key')
    const over = await rejection(game.putAll({ a: 'x'.repeat(600_000), b: 'x'.repeat(600_000) }))
    expect(isSyncFailure(over, 'LimitExceeded')).toBe(true)
    expect(await game.list()).toEqual([{ key: 'coins', value: '100' }])
  })

  it('pendingKeys and isPending mark what the service has not acknowledged, deletes included', async () => {
    const game = manager('phone').dataset(datasetName)
    await game.putAll({ coins: '100', gems: '3' })
    await game.sync()
    expect(await game.pendingKeys()).toEqual([])
    await game.put('level', '2')
    await game.remove('gems')
    expect(await game.pendingKeys()).toEqual(['gems', 'level'])
    expect([await game.isPending('level'), await game.isPending('coins'), await game.isPending('never')]).toEqual([true, false, false])
    expect(isSyncFailure(await rejection(game.isPending('')), 'InvalidInput')).toBe(true)
    await game.sync()
    expect(await game.pendingKeys()).toEqual([])
  })

  it('lists the datasets the store holds', async () => {
    const sync = manager('phone')
    expect(await sync.datasets()).toEqual([])
    await sync.dataset('b').put('k', 'v')
    await sync.dataset('a').put('k', 'v')
    expect(await sync.datasets()).toEqual(['a', 'b'])
  })

  it('a bad key rejects with InvalidInput and writes nothing', async () => {
    const game = manager('phone').dataset(datasetName)
    const e = await rejection(game.put('', 'v'))
    expect(isSyncFailure(e, 'InvalidInput') && e.error.what).toBe('record key')
    expect(isSyncFailure(await rejection(game.get('')), 'InvalidInput')).toBe(true)
    expect(isSyncFailure(await rejection(game.remove('')), 'InvalidInput')).toBe(true)
    expect(await game.list()).toEqual([])
  })

  it('a write past the 1 MB quota rejects with LimitExceeded and keeps what was there', async () => {
    const game = manager('phone').dataset(datasetName)
    const half = 'x'.repeat(600_000)
    await game.put('a', half)
    const e = await rejection(game.put('b', half))
    expect(isSyncFailure(e, 'LimitExceeded') && [e.error.limit, e.error.max]).toEqual(['bytes', 1024 * 1024])
    expect((await game.list()).map((entry) => entry.key)).toEqual(['a'])
  })

  it('a store that rejects instead of answering a Left rejects as StoreFailed, with its cause', async () => {
    const cause = new Error('disk on fire')
    const rejected = () => () => Promise.reject(cause)
    const broken: LocalStore = { read: rejected, modify: rejected, readRecords: rejected, modifyRecords: rejected, datasets: rejected }
    const sync = manager('phone', { store: broken })
    const game = sync.dataset('game')
    for (const failing of [sync.datasets(), game.get('k'), game.put('k', 'v'), game.sync(), game.delete()]) {
      const e = await rejection(failing)
      expect(isSyncFailure(e, 'StoreFailed') && e.error.cause).toBe(cause)
      expect((e as Error).message).toBe('the store rejected instead of answering a Left; LocalStore methods must never reject')
    }
  })

  it("a store's Left rejects with that error", async () => {
    const failed = storeFailed('locked', new Error('SQLITE_BUSY'))
    const locked: LocalStore = { read: () => TE.left(failed), modify: () => TE.left(failed), readRecords: () => TE.left(failed), modifyRecords: () => TE.left(failed), datasets: () => TE.left(failed) }
    const e = await rejection(manager('phone', { store: locked }).dataset('game').list())
    expect(isSyncFailure(e, 'StoreFailed') && e.error).toBe(failed)
  })
})

describe('sync', () => {
  it('two devices converge; the report says what each sync did', async () => {
    const phone = manager('phone', { strategy: maxValue() }).dataset(datasetName)
    const tablet = manager('tablet', { strategy: maxValue() }).dataset(datasetName)
    await phone.put('highScore', '1200')
    const first = await phone.sync()
    expect([first.pushed, first.calls]).toEqual([['highScore'], { ListRecords: 1, UpdateRecords: 1 }])
    expect(await tablet.get('highScore')).toBeUndefined()
    await tablet.put('highScore', '1800')
    const second = await tablet.sync()
    expect(second.conflicts.map(({ conflict, decidedBy }) => [conflict.key, decidedBy])).toEqual([['highScore', 'maxValue']])
    await phone.sync()
    expect([await phone.get('highScore'), await tablet.get('highScore')]).toEqual(['1800', '1800'])
  })

  it('a service error rejects with its kind, and every local change stays', async () => {
    const game = manager('phone').dataset(datasetName)
    await game.put('coins', '100')
    world.emulator.faults.failNext('UpdateRecords', { errorType: 'NotAuthorizedException', message: 'Token expired' })
    const e = await rejection(game.sync())
    expect(isSyncFailure(e, 'NotAuthorized') && [e.name, e.error.operation, e.$metadata.httpStatusCode]).toEqual(['NotAuthorized', 'UpdateRecords', 403])
    expect(isSyncFailure(e) && e.$metadata.requestId).toMatch(/\S/)
    expect((e as Error).message).toContain('Token expired')
    expect(await game.pendingKeys()).toEqual(['coins'])
    expect(await game.get('coins')).toBe('100')
    expect((await game.sync()).pushed).toEqual(['coins'])
  })

  it('the ClientContext given once reaches the service with every UpdateRecords', async () => {
    const clientContext = Buffer.from(JSON.stringify({ client: { app_title: 'game' } })).toString('base64')
    const game = manager('phone', { clientContext }).dataset(datasetName)
    await game.put('coins', '100')
    await game.sync()
    expect(world.emulator.calls().map((call) => [call.operation, call.clientContext])).toEqual([
      ['ListRecords', undefined],
      ['UpdateRecords', clientContext],
    ])
  })

  it('an aborted sync rejects with Aborted within the call in flight, and loses nothing', async () => {
    const game = manager('phone').dataset(datasetName)
    await game.put('coins', '100')
    world.emulator.faults.setLatency(60_000, 'ListRecords')
    const controller = new AbortController()
    // aborted once the emulator has the ListRecords, which it would answer after a minute
    onArrivalOf(world.emulator.port, 'ListRecords', () => controller.abort(new Error('app went to the background')))
    const syncing = rejection(game.sync({ signal: controller.signal }))
    const e = await syncing
    // within the call: the emulator has not answered it (it would after a minute)
    expect(world.calls('ListRecords')).toBe(0)
    expect(isSyncFailure(e, 'Aborted') && [e.name, (e.error.reason as Error).message]).toEqual(['Aborted', 'app went to the background'])
    expect(await game.pendingKeys()).toEqual(['coins'])
    world.emulator.faults.reset()
    expect((await game.sync()).pushed).toEqual(['coins'])
  })

  it('a signal aborted before the sync stops it before any call', async () => {
    const game = manager('phone').dataset(datasetName)
    const e = await rejection(game.sync({ signal: AbortSignal.abort() }))
    expect(isSyncFailure(e, 'Aborted')).toBe(true)
    expect(world.emulator.calls()).toEqual([])
  })

  it('a deadline, given once or per sync, rejects with DeadlineExceeded and loses nothing', async () => {
    const game = manager('phone', { timeoutMs: 60_000 }).dataset(datasetName)
    await game.put('coins', '100')
    world.emulator.faults.setLatency(5_000, 'ListRecords')
    const e = await rejection(game.sync({ timeoutMs: 50 }))
    expect(isSyncFailure(e, 'DeadlineExceeded') && e.error.timeoutMs).toBe(50)
    expect(await game.pendingKeys()).toEqual(['coins'])
    const slow = manager('tablet', { timeoutMs: 50 }).dataset(datasetName)
    expect(isSyncFailure(await rejection(slow.sync()), 'DeadlineExceeded')).toBe(true)
  })

  it('an unreachable service rejects with RetriesExhausted once the budget is spent', async () => {
    const client = sdkClient('http://127.0.0.1:1')
    const game = manager('phone', { client, limits: { maxRetries: 1, backoffBaseMs: 1, backoffMaxMs: 1 } }).dataset(datasetName)
    await game.put('k', 'v')
    const e = await rejection(game.sync())
    expect(isSyncFailure(e, 'RetriesExhausted') && e.error.operation).toBe('ListRecords')
    expect(await game.get('k')).toBe('v')
  })

  it('a deleted dataset rejects with DatasetDeleted and its dirty keys; a later sync may choose a policy', async () => {
    const phone = manager('phone')
    const game = phone.dataset(datasetName)
    await game.put('coins', '100')
    await game.sync()
    await game.put('gems', '3')
    await deleteOnService()
    const e = await rejection(game.sync())
    expect(isSyncFailure(e, 'DatasetDeleted') && e.error.dirtyKeys).toEqual(['gems'])
    expect(await game.list()).toEqual([
      { key: 'coins', value: '100' },
      { key: 'gems', value: '3' },
    ])
    const report = await game.sync({ policies: { onDatasetDeleted: 'recreate' } })
    expect(report.datasetEvents).toEqual([{ event: 'Deleted', policy: 'recreate' }])
    expect(report.pushed).toEqual(['coins', 'gems'])
  })

  it('the manager-level policy holds for every sync', async () => {
    const game = manager('phone', { policies: { onDatasetDeleted: 'purgeLocal' } }).dataset(datasetName)
    await game.put('coins', '100')
    await game.sync()
    await deleteOnService()
    expect((await game.sync()).datasetEvents).toEqual([{ event: 'Deleted', policy: 'purgeLocal' }])
    expect(await game.list()).toEqual([])
  })
})

describe('delete', () => {
  /** The dataset names the service lists for alice. */
  const onService = async (): Promise<Array<string | undefined>> => {
    const client = sdkClient(world.emulator.endpoint)
    clients.push(client)
    const listed = await client.send(new ListDatasetsCommand({ IdentityPoolId: pool, IdentityId: alice }))
    return (listed.Datasets ?? []).map((dataset) => dataset.DatasetName)
  }

  it('deletes the dataset on the service and clears it locally: gone from both lists', async () => {
    const phone = manager('phone')
    const game = phone.dataset(datasetName)
    await game.putAll({ coins: '100', gems: '3' })
    await game.sync()
    await game.put('lives', '2')
    expect([await onService(), await phone.datasets()]).toEqual([[datasetName], [datasetName]])

    const report = await game.delete()
    expect(report).toMatchObject({ deletedOnService: true, cleared: ['coins', 'gems', 'lives'], kept: [], attempts: 1 })
    expect([await onService(), await phone.datasets()]).toEqual([[], []])
    expect([await game.list(), await game.pendingKeys(), (await game.state()).lastSyncCount]).toEqual([[], [], 0])
    // what the app writes next starts a fresh dataset
    await game.put('coins', '0')
    expect(await game.sync()).toMatchObject({ pushed: ['coins'], datasetCreated: true })
  })

  it('of a dataset the service never had resolves, clearing the local copy', async () => {
    const game = manager('phone').dataset(datasetName)
    await game.put('draft', 'x')
    expect(await game.delete()).toMatchObject({ deletedOnService: false, cleared: ['draft'] })
    expect(await game.list()).toEqual([])
    expect(await game.delete()).toMatchObject({ deletedOnService: false, cleared: [] })
  })

  it('a failure rejects with its kind and request id, and changes nothing local', async () => {
    const game = manager('phone').dataset(datasetName)
    await game.put('coins', '100')
    await game.sync()
    await game.put('gems', '3')
    const before = await game.state()
    world.emulator.faults.failNext('DeleteDataset', { errorType: 'NotAuthorizedException', message: 'Token expired' })
    const e = await rejection(game.delete())
    expect(e).toBeInstanceOf(SyncFailedError)
    expect(isSyncFailure(e, 'NotAuthorized') && [e.name, e.error.operation, e.$metadata.httpStatusCode]).toEqual(['NotAuthorized', 'DeleteDataset', 403])
    expect(isSyncFailure(e) && e.$metadata.requestId).toMatch(/\S/)
    expect(await game.state()).toEqual(before)
    expect(await onService()).toEqual([datasetName])
  })

  it('another device gets DatasetDeleted with its dirty keys at its next sync', async () => {
    const phone = manager('phone').dataset(datasetName)
    const tablet = manager('tablet').dataset(datasetName)
    await phone.put('coins', '100')
    await phone.sync()
    await tablet.sync()
    await tablet.put('gems', '3')
    await phone.delete()
    const e = await rejection(tablet.sync())
    expect(isSyncFailure(e, 'DatasetDeleted') && [e.name, e.error.dirtyKeys]).toEqual(['DatasetDeleted', ['gems']])
    expect(await tablet.list()).toEqual([
      { key: 'coins', value: '100' },
      { key: 'gems', value: '3' },
    ])
  })

  it('a signal stops it, a deadline given once or per call too; nothing local changes', async () => {
    const game = manager('phone', { timeoutMs: 60_000 }).dataset(datasetName)
    await game.put('coins', '100')
    await game.sync()
    const before = await game.state()
    expect(isSyncFailure(await rejection(game.delete({ signal: AbortSignal.abort('no') })), 'Aborted')).toBe(true)
    world.emulator.faults.setLatency(5_000, 'DeleteDataset')
    const controller = new AbortController()
    // aborted once the emulator has the DeleteDataset, which it would answer after 5 s
    onArrivalOf(world.emulator.port, 'DeleteDataset', () => controller.abort('app went to the background'))
    const aborted = await rejection(game.delete({ signal: controller.signal }))
    expect(isSyncFailure(aborted, 'Aborted') && [aborted.error.operation, aborted.error.reason]).toEqual(['DeleteDataset', 'app went to the background'])
    const late = await rejection(game.delete({ timeoutMs: 50 }))
    expect(isSyncFailure(late, 'DeadlineExceeded') && late.error.timeoutMs).toBe(50)
    const slow = manager('tablet', { timeoutMs: 50 }).dataset(datasetName)
    expect(isSyncFailure(await rejection(slow.delete()), 'DeadlineExceeded')).toBe(true)
    expect(await game.state()).toEqual(before)
  })
})
