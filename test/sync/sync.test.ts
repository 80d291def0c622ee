/**
 * The sync adapter's rules against the emulator, over HTTP with the real SDK: round trips at the
 * minimum, conflicts, compare-and-set against local writes, serialisation, validation.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { describe, expect, it } from 'vitest'
import { type LocalRecord, type LocalState, type PersistentMap, stateOf } from '../../src/index.js'
import { SyncFailedError, memoryStore, syncPromise } from '../../src/sync/index.js'
import { customAsync, maxValue } from '../../strategies/index.js'
import { keepLocal } from '../../src/Conflict.js'
import { alice, beforeSend, contents, datasetName, dirtyKeys, pool, useWorld } from './harness.js'

const world = useWorld()

describe('round trips at the minimum', () => {
  it('nothing to push: one ListRecords, nothing else', async () => {
    const a = world.device('a')
    const report = await a.synced()
    expect(report.calls).toEqual({ ListRecords: 1, UpdateRecords: 0 })
    expect(world.calls('ListRecords')).toBe(1)
    expect(world.calls('UpdateRecords')).toBe(0)
    expect(report.datasetCreated).toBe(false)
  })

  it('local changes only: one ListRecords and one UpdateRecords; the state ends clean and caught up', async () => {
    const a = world.device('a')
    await a.put('theme', 'dark')
    await a.put('volume', '')
    const report = await a.synced()
    expect(report.calls).toEqual({ ListRecords: 1, UpdateRecords: 1 })
    expect([world.calls('ListRecords'), world.calls('UpdateRecords')]).toEqual([1, 1])
    expect(report.pushed).toEqual(['theme', 'volume'])
    expect(report.datasetCreated).toBe(true)
    expect(report.lastSyncCount).toBe(1)
    expect(dirtyKeys(await a.state())).toEqual([])
    const again = await a.synced()
    expect(again.calls).toEqual({ ListRecords: 1, UpdateRecords: 0 })
  })

  it('remote and local changes with no concurrent writer: one ListRecords and one UpdateRecords', async () => {
    const a = world.device('a')
    const b = world.device('b')
    await a.put('theme', 'dark')
    await a.synced()
    await b.put('volume', '7')
    world.emulator.clearCalls()
    const report = await b.synced()
    expect([world.calls('ListRecords'), world.calls('UpdateRecords')]).toEqual([1, 1])
    expect(report.adopted).toEqual(['theme'])
    expect(report.pushed).toEqual(['volume'])
    expect(report.lastSyncCount).toBe(2)
    expect(await contents(b)).toEqual({ theme: 'dark', volume: '7' })
    await a.synced()
    expect(await contents(a)).toEqual({ theme: 'dark', volume: '7' })
  })

  it('lists every page', async () => {
    const a = world.device('a')
    for (const key of ['a', 'b', 'c', 'd', 'e']) await a.put(key, key)
    await a.synced()
    const b = world.device('b')
    world.emulator.clearCalls()
    const report = await b.synced({ limits: { pageSize: 2 } })
    expect(world.calls('ListRecords')).toBe(3)
    expect(report.pulled).toBe(5)
    expect(Object.keys(await contents(b))).toEqual(['a', 'b', 'c', 'd', 'e'])
    expect(report.lastSyncCount).toBe(1)
  })

  it('deletes travel as tombstones', async () => {
    const a = world.device('a')
    const b = world.device('b')
    await a.put('k', 'v')
    await a.synced()
    await b.synced()
    await a.remove('k')
    await a.synced()
    await b.synced()
    expect(await contents(b)).toEqual({})
  })
})

describe('conflicts', () => {
  it('are decided by the strategy and reported with the strategy that decided', async () => {
    const a = world.device('a', { strategy: maxValue() })
    const b = world.device('b', { strategy: maxValue() })
    await a.put('score', '10')
    await b.put('score', '7')
    await a.synced()
    world.emulator.clearCalls()
    const report = await b.synced()
    expect(report.conflicts).toHaveLength(1)
    expect(report.conflicts[0]?.decidedBy).toBe('maxValue')
    expect(report.conflicts[0]?.resolution).toEqual({ _tag: 'TakeRemote' })
    // Taking the remote version leaves nothing to push.
    expect([world.calls('ListRecords'), world.calls('UpdateRecords')]).toEqual([1, 0])
    expect(await contents(b)).toEqual({ score: '10' })
  })

  it('a writer that slips in between list and update costs one more round, and nothing is lost', async () => {
    const a = world.device('a', { strategy: maxValue() })
    const b = world.device('b', { strategy: maxValue() })
    await a.put('score', '9')
    await b.put('score', '5')
    beforeSend(a.client, 'UpdateRecordsCommand', () => b.synced().then(() => undefined), 1)
    const report = await a.synced()
    expect(report.calls).toEqual({ ListRecords: 2, UpdateRecords: 2 })
    expect(report.retries.map((retry) => retry.reason)).toEqual(['Conflict'])
    // The second round met b's 5 and kept a's 9, patched over b's version.
    expect(report.conflicts.map((c) => [c.round, c.decidedBy, c.resolution._tag])).toEqual([[2, 'maxValue', 'KeepLocal']])
    expect(await contents(a)).toEqual({ score: '9' })
    await b.synced()
    expect(await contents(b)).toEqual({ score: '9' })
  })

  it('conflict rounds back off on their own count, doubling from the base, whatever other retries came before', async () => {
    const a = world.device('a')
    await a.put('k', 'v')
    world.emulator.faults.failNext('ListRecords', { errorType: 'InternalErrorException', count: 2 })
    world.emulator.faults.failNext('UpdateRecords', { errorType: 'ResourceConflictException', message: 'Conflict', count: 3 })
    const report = await a.synced({ limits: { backoffBaseMs: 8, backoffMaxMs: 100, maxConflictRounds: 5 } })
    // random is 0.5 in the harness: half of 8, 16, 32 and so on
    expect(report.retries.map((retry) => [retry.reason, retry.delayMs])).toEqual([
      ['ServerError', 4],
      ['ServerError', 8],
      ['Conflict', 4],
      ['Conflict', 8],
      ['Conflict', 16],
    ])
  })

  it('a conflict whose message is a 409 under another name is still a conflict', async () => {
    const a = world.device('a')
    await a.put('k', 'v')
    world.emulator.faults.failNext('UpdateRecords', { errorType: 'InvalidParameterException', status: 400, message: 'Current SyncCount for: k is: 1 not: 0' })
    const report = await a.synced()
    expect(report.retries.map((retry) => [retry.reason, retry.operation])).toEqual([['Conflict', 'UpdateRecords']])
    expect(report.calls).toEqual({ ListRecords: 2, UpdateRecords: 2 })
  })

  it('a writer that keeps winning exhausts the rounds: a typed error naming the keys, every local change still dirty', async () => {
    const a = world.device('a')
    const b = world.device('b')
    await a.put('score', 'a')
    await a.put('name', 'alice')
    let n = 0
    beforeSend(a.client, 'UpdateRecordsCommand', async () => {
      await b.put('score', `b${n++}`)
      await b.synced()
    })
    const result = await a.sync({ strategy: customAsync('mine', () => () => Promise.resolve(keepLocal)) })
    const last409 = world.emulator.calls().filter((call) => call.status === 409).at(-1)
    expect(E.isLeft(result) && result.left).toMatchObject({
      _tag: 'ConflictRoundsExhausted',
      rounds: 5,
      keys: ['score'],
      exception: 'ResourceConflictException',
      $metadata: { httpStatusCode: 409, requestId: last409?.requestId },
    })
    expect(world.calls('UpdateRecords')).toBe(5 + 5)
    expect(dirtyKeys(await a.state())).toEqual(['name', 'score'])
    expect(await contents(a)).toMatchObject({ score: 'a', name: 'alice' })
  })

  it('an asynchronous strategy decides like a synchronous one', async () => {
    const a = world.device('a')
    const b = world.device('b', { strategy: customAsync('ask', () => () => Promise.resolve(keepLocal)) })
    await a.put('k', 'a')
    await a.synced()
    await b.put('k', 'b')
    const report = await b.synced()
    expect(report.conflicts.map((c) => c.decidedBy)).toEqual(['ask'])
    expect(report.calls).toEqual({ ListRecords: 1, UpdateRecords: 1 })
    await a.synced()
    expect(await contents(a)).toEqual({ k: 'b' })
  })
})

describe('local writes during a sync', () => {
  it('a write made while ListRecords is in flight is reconciled and pushed in the same sync', async () => {
    const a = world.device('a')
    await a.put('k', '1')
    beforeSend(a.client, 'ListRecordsCommand', () => a.put('k', '2'), 1)
    const report = await a.synced()
    expect(report.calls).toEqual({ ListRecords: 1, UpdateRecords: 1 })
    expect(world.emulator.snapshot().pools[0]?.identities[0]?.datasets[0]?.records.map((r) => r.value)).toEqual(['2'])
    expect(dirtyKeys(await a.state())).toEqual([])
  })

  it('a write made while UpdateRecords is in flight stays dirty and is pushed next time', async () => {
    const a = world.device('a')
    await a.put('k', '1')
    beforeSend(a.client, 'UpdateRecordsCommand', () => a.put('k', '2'), 1)
    await a.synced()
    const state = await a.state()
    expect(dirtyKeys(state)).toEqual(['k'])
    expect(state.records.get('k')?.pending?.content).toBe('2')
    expect(state.records.get('k')?.server?.content).toBe('1')
    const next = await a.synced()
    expect(next.conflicts).toEqual([])
    expect(next.pushed).toEqual(['k'])
    expect(dirtyKeys(await a.state())).toEqual([])
  })

  it('two syncs of one dataset at once run one after the other', async () => {
    const a = world.device('a')
    await a.put('k', '1')
    await Promise.all([a.synced(), a.synced()])
    expect(world.emulator.calls().map((call) => call.operation)).toEqual(['ListRecords', 'UpdateRecords', 'ListRecords'])
  })
})

describe('validation before any network call', () => {
  it('refuses bad names and ids', async () => {
    const a = world.device('a')
    for (const [option, value, what] of [
      ['datasetName', 'no spaces', 'dataset name'],
      ['identityId', 'nope', 'identity id'],
      ['identityPoolId', '', 'identity pool id'],
      ['deviceId', '', 'device id'],
      ['clientContext', '{"client":{}}', 'client context'],
    ] as const) {
      const result = await a.sync({ [option]: value })
      expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'InvalidInput', what })
    }
    expect(world.emulator.calls()).toEqual([])
  })

  it('refuses a local state over the service limits', async () => {
    const a = world.device('a')
    const records = Array.from({ length: 1025 }, (_, i) => ({ key: `k${i}`, pending: { content: 'v', deviceLastModifiedDate: new Date(0) } }))
    await a.store.modify(datasetName as never, () => E.right([undefined, stateOf(records as never, 0)] as const))()
    const result = await a.sync()
    expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'LimitExceeded', limit: 'records' })
    expect(world.emulator.calls()).toEqual([])
  })

  it('refuses a stored record the service would refuse', async () => {
    const a = world.device('a')
    const bad = stateOf([{ key: '' as never, pending: { content: 'v' as never, deviceLastModifiedDate: new Date(0) } }], 0)
    await a.store.modify(datasetName as never, () => E.right([undefined, bad] as const))()
    const result = await a.sync()
    expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'InvalidInput', what: 'local state' })
    expect(world.emulator.calls()).toEqual([])
  })

  it('checks a stored state again once it changed: a plain Map changed in place, a count changed beside checked records', async () => {
    // a store handing out the same objects on every read, changed behind the sync's back
    const good = { key: 'k', pending: { content: 'v', deviceLastModifiedDate: new Date(0) } }
    const records = new Map<string, unknown>([['k', good]])
    let state: unknown = { records, lastSyncCount: 0 }
    const store = { ...memoryStore(), read: () => TE.right(state as LocalState) }
    const a = world.device('a', { store })
    // each read is refused before any call, so nothing is written and the state stays as set here
    const refusedLocally = async (): Promise<void> => {
      world.emulator.clearCalls()
      const result = await a.sync()
      expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'InvalidInput', what: 'local state' })
      expect(world.emulator.calls()).toEqual([])
    }
    state = { records, lastSyncCount: -1 }
    await refusedLocally()
    records.set('k', { ...good, key: 'other' })
    state = { records, lastSyncCount: 0 }
    await refusedLocally()
    const checked = stateOf([good as never], 0)
    state = checked
    expect(E.isRight(await a.sync())).toBe(true)
    state = { ...checked, lastSyncCount: -1 }
    await refusedLocally()
  })

  // the check of a state written from one already checked looks at the records that differ only: each
  // kind of bad record, key and total must still be refused when it arrives that way
  it('checks what changed since the last check: a bad record, a key the rule refuses, a quota passed', async () => {
    // a full dataset, as the server holds it
    const b = world.device('b')
    expect(E.isRight(await b.data.putAll(Array.from({ length: 1024 }, (_, i) => [`k${i}`, `v${i}`] as const))())).toBe(true)
    await b.synced()
    const checked = await b.state()
    let state: LocalState = checked
    const store = { ...memoryStore(), read: () => TE.right(state) }
    const a = world.device('a', { store })
    const refused = async (written: LocalState, expected: object, keyRule: 'service' | 'officialClients' = 'service'): Promise<void> => {
      state = checked
      expect(E.isRight(await a.sync({ keyRule }))).toBe(true)
      state = written
      world.emulator.clearCalls()
      const result = await a.sync({ keyRule })
      expect(E.isLeft(result) && result.left).toMatchObject(expected)
      expect(world.emulator.calls()).toEqual([])
    }
    const edit = (key: string, content: string) => ({ key, pending: { content, deviceLastModifiedDate: new Date(0) } })
    const writing = (record: unknown, key = (record as LocalRecord).key): LocalState => ({ ...checked, records: (checked.records as PersistentMap<LocalRecord>).set(key, record as LocalRecord) })
    await refused(writing({ key: 'k1', pending: { content: 'v', deviceLastModifiedDate: 'yesterday' } }), { _tag: 'InvalidInput', what: 'local state' })
    await refused(writing(edit('k2', 'v'), 'k1'), { _tag: 'InvalidInput', what: 'local state' })
    await refused(writing(edit('my key', 'v')), { _tag: 'LimitExceeded', limit: 'records' })
    await refused(writing(edit('k1', 'x'.repeat(1_048_575))), { _tag: 'LimitExceeded', limit: 'bytes' })
    const withRoom: LocalState = { ...checked, records: (checked.records as PersistentMap<LocalRecord>).remove('k0') }
    state = withRoom
    expect(E.isRight(await a.sync({ keyRule: 'officialClients' }))).toBe(true)
    state = { ...withRoom, records: (withRoom.records as PersistentMap<LocalRecord>).set('my key', edit('my key', 'v') as never) }
    world.emulator.clearCalls()
    const result = await a.sync({ keyRule: 'officialClients' })
    expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'InvalidInput', what: 'record key' })
    expect(world.emulator.calls()).toEqual([])
  })
})

describe('key rules', () => {
  it("'officialClients' refuses to push a key the official clients cannot read, before any call; 'service' pushes it", async () => {
    const a = world.device('a')
    await a.put('my key', 'v')
    const result = await a.sync({ keyRule: 'officialClients' })
    expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'InvalidInput', what: 'record key', issues: [{ got: '"my key" (a space is not allowed)' }] })
    expect(world.emulator.calls()).toEqual([])
    expect((await a.synced({ keyRule: 'service' })).pushed).toEqual(['my key'])
  })
})

describe('every documented argument of UpdateRecords', () => {
  it('ClientContext, base64 JSON, reaches the service with each UpdateRecords, and only with it', async () => {
    const a = world.device('a')
    await a.put('k', 'v')
    const clientContext = Buffer.from(JSON.stringify({ client: { app_title: 'game', app_version_name: '1.2.0' }, env: { platform: 'linux' } })).toString('base64')
    await a.synced({ clientContext })
    expect(world.emulator.calls().map((call) => [call.operation, call.clientContext])).toEqual([
      ['ListRecords', undefined],
      ['UpdateRecords', clientContext],
    ])
  })

  it('the rest: the device id, the session token of the last listing and the patches in the SDK shape', async () => {
    const a = world.device('a')
    await a.put('k', 'v')
    const sent: Array<Record<string, unknown>> = []
    a.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'UpdateRecordsCommand') sent.push(args.input as Record<string, unknown>)
        return next(args)
      },
      { step: 'initialize', name: 'capture' },
    )
    await a.synced({ clientContext: 'e30=' })
    expect(Object.keys(sent[0] ?? {}).sort()).toEqual(['ClientContext', 'DatasetName', 'DeviceId', 'IdentityId', 'IdentityPoolId', 'RecordPatches', 'SyncSessionToken'])
  })

  it("each device's own id reaches the service, in the body of every UpdateRecords", async () => {
    // The emulator checks DeviceId but keeps it nowhere, so the bodies are read as they leave the SDK, signed.
    const bodies: Array<{ readonly device: string; readonly DeviceId: unknown }> = []
    const phone = world.device('phone')
    const tablet = world.device('tablet')
    for (const device of [phone, tablet])
      device.client.middlewareStack.add(
        (next, context) => async (args) => {
          const body = (args.request as { body?: unknown }).body
          if (context.commandName === 'UpdateRecordsCommand') bodies.push({ device: device.name, DeviceId: JSON.parse(new TextDecoder().decode(body as Uint8Array)).DeviceId })
          return next(args)
        },
        { step: 'finalizeRequest', priority: 'low', name: 'readBody' },
      )
    await phone.put('k', '1')
    await phone.synced()
    await tablet.put('k', '2')
    await tablet.synced()
    await phone.put('j', '3')
    await phone.synced()
    expect(bodies).toEqual([
      { device: 'phone', DeviceId: 'phone' },
      { device: 'tablet', DeviceId: 'tablet' },
      { device: 'phone', DeviceId: 'phone' },
    ])
    expect(world.emulator.calls().filter((call) => call.operation === 'UpdateRecords').map((call) => call.status)).toEqual([200, 200, 200])
  })
})

describe('the Promise facade', () => {
  it('resolves with the report and rejects with a SyncFailedError carrying the typed error', async () => {
    const a = world.device('a')
    await a.put('k', 'v')
    const options = { client: a.client, identityPoolId: pool, identityId: alice, datasetName, deviceId: 'a', store: a.store, strategy: maxValue() }
    const report = await syncPromise(options)
    expect(report.pushed).toEqual(['k'])
    const failure = await syncPromise({ ...options, datasetName: 'bad name' }).catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(SyncFailedError)
    expect((failure as SyncFailedError).error._tag).toBe('InvalidInput')
    // as in the AWS SDK, the name is the kind, and $metadata is there (empty: nothing was sent)
    expect(failure).toMatchObject({ name: 'InvalidInput', $metadata: {} })
    expect(O.isSome(await a.data.get('k')().then((r) => (E.isRight(r) ? r.right : O.none)))).toBe(true)
  })
})
