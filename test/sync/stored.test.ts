/**
 * The stored state a sync reads, checked as the service would check it (a store is user code too),
 * against the emulator over HTTP with the real SDK: what a broken store hands over is refused with a
 * typed error before any call, however the sync came to trust an earlier state of the same store; and
 * a good state passes under either key rule.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { describe, expect, it } from 'vitest'
import { type LocalState, stateOf } from '../../src/index.js'
import { type LocalStore, memoryStore, sync } from '../../src/sync/index.js'
import { jsonSetUnion } from '../../strategies/index.js'
import { type Device, alice, datasetName, deleteOf, pool, useWorld } from './harness.js'

const world = useWorld()

/** A device whose store hands the sync whatever `current` answers, on every read. */
const handingOver = (current: () => unknown): Device => world.device('a', { store: { ...memoryStore(), read: () => TE.right(current() as LocalState) } })

/** Syncs `device`; the sync must refuse the stored state before any call. */
const refusedLocally = async (device: Device): Promise<void> => {
  world.emulator.clearCalls()
  const result = await device.sync()
  expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'InvalidInput', what: 'local state' })
  expect(world.emulator.calls()).toEqual([])
}

const edit = { content: 'v', deviceLastModifiedDate: new Date(0) }

describe('what a store hands over', () => {
  it('no state at all (null, undefined) is refused as a local state, not a crash', async () => {
    let current: unknown = null
    const a = handingOver(() => current)
    await refusedLocally(a)
    current = undefined
    await refusedLocally(a)
    const result = await a.sync()
    expect(E.isLeft(result) && result.left.message).toContain('got [object Undefined]')
  })

  it('a plain Map the sync accepted and the store then changed in place is checked again', async () => {
    const records = new Map<string, unknown>([['k', { key: 'k', pending: edit }]])
    const state = { records, lastSyncCount: 0 }
    const a = handingOver(() => state)
    expect(E.isRight(await a.sync())).toBe(true)
    records.set('k', { key: 'other', pending: edit })
    await refusedLocally(a)
  })

  it('a state refused once is refused again when the store hands over the very same records', async () => {
    const state = stateOf([{ key: 'k', pending: { content: 'v', deviceLastModifiedDate: 'yesterday' } } as never], 0)
    const a = handingOver(() => state)
    await refusedLocally(a)
    await refusedLocally(a)
  })
})

describe('key rules on a state checked in full', () => {
  it("'officialClients' passes a state whose edits all have keys the official clients read, and pushes them", async () => {
    const a = world.device('a')
    await a.put('settings.theme', 'dark')
    await a.put('volume', '7')
    const report = await a.synced({ keyRule: 'officialClients' })
    expect(report.pushed).toEqual(['settings.theme', 'volume'])
    expect(world.emulator.calls().map((call) => call.operation)).toEqual(['ListRecords', 'UpdateRecords'])
  })
})

describe('the default clock', () => {
  it('a sync without `clock` stamps what its strategy writes with the real time', async () => {
    // both edits are stamped at the epoch, so only the sync's own clock can date the merge later
    const epoch = (): Date => new Date(0)
    const b = world.device('b', { clock: epoch })
    await b.put('tags', '["b"]')
    await b.synced()
    const a = world.device('a', { clock: epoch })
    await a.put('tags', '["a"]')
    const before = Date.now()
    const result = await sync({ client: a.client, identityPoolId: pool, identityId: alice, datasetName, deviceId: 'a', store: a.store, strategy: jsonSetUnion() })()
    const after = Date.now()
    if (E.isLeft(result)) expect.fail(result.left.message)
    const report = result.right
    expect(report.conflicts.map((conflict) => conflict.resolution._tag)).toEqual(['Write'])
    const stamped = (await a.state()).records.get('tags')?.server?.deviceLastModifiedDate
    expect(stamped).toBeInstanceOf(Date)
    expect(stamped!.getTime()).toBeGreaterThanOrEqual(before)
    expect(stamped!.getTime()).toBeLessThanOrEqual(after)
  })
})

describe('a store that throws or rejects, which a LocalStore must never do', () => {
  const cause = new Error('disk on fire')
  const storeFailed = { _tag: 'StoreFailed', message: 'the store rejected instead of answering a Left; LocalStore methods must never reject', cause }
  const rejecting = () => () => Promise.reject(cause)
  const throwing = () => {
    throw cause
  }

  it.each([
    ['rejects', rejecting],
    ['throws', throwing],
  ])('a read that %s: the sync answers StoreFailed with its cause, before any call', async (_how, read) => {
    const a = world.device('a', { store: { ...memoryStore(), read } })
    const result = await a.sync()
    expect(E.isLeft(result) && result.left).toEqual(storeFailed)
    expect(world.emulator.calls()).toEqual([])
  })

  it('a modify that rejects while the sync stores the listing: StoreFailed, and the edit is still dirty in the store', async () => {
    const b = world.device('b')
    await b.put('k', 'theirs')
    await b.synced()
    const a = world.device('a', { store: { ...memoryStore(), modify: rejecting } })
    await a.data.put('k', 'mine')()
    world.emulator.clearCalls()
    const result = await a.sync()
    expect(E.isLeft(result) && result.left).toEqual(storeFailed)
    expect((await a.state()).records.get('k')?.pending?.content).toBe('mine')
    // the run stops at the failed step: nothing is pushed from a listing the store did not keep
    expect(world.emulator.calls().map((call) => call.operation)).toEqual(['ListRecords'])
  })

  it('a delete whose store rejects once the service deleted: StoreFailed, and the local copy as it was', async () => {
    const a = world.device('a')
    await a.put('k', 'v')
    await a.synced()
    const broken: LocalStore = { ...a.store, modify: rejecting }
    const result = await deleteOf(a, { store: broken })
    expect(E.isLeft(result) && result.left).toEqual(storeFailed)
    expect(world.emulator.calls().map((call) => call.operation)).toContain('DeleteDataset')
    expect((await a.state()).records.get('k')?.server?.content).toBe('v')
  })
})
