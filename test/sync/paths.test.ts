/**
 * Sync paths the other suites reach only together: each of the two signals of a deleted dataset
 * alone, a reset seen only as a lower DatasetSyncCount, the policy applied once per sync, and an
 * asynchronous strategy deciding two conflicts of one sync differently.
 */
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { stateOf } from '../../src/index.js'
import { deleteDataset } from '../../src/sync/index.js'
import { customAsync, keepLocal, takeRemote } from '../../strategies/index.js'
import { alice, contents, datasetName, pool, rewriteListings, useWorld } from './harness.js'

const world = useWorld()

describe('a deleted dataset, by either signal alone', () => {
  it('DatasetDeletedAfterRequestedSyncCount, though the dataset exists again (re-created since)', async () => {
    const a = world.device('a')
    const b = world.device('b')
    await a.put('coins', '100')
    await a.synced()
    await b.synced()
    await deleteDataset({ client: a.client, identityPoolId: pool, identityId: alice, datasetName, store: a.store })()
    await a.put('fresh', 'start')
    expect(await a.synced()).toMatchObject({ datasetCreated: true })
    await b.put('gems', '3')
    const result = await b.sync()
    expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'DatasetDeleted', lastSyncCount: 1, dirtyKeys: ['gems'] })
  })

  it('a dataset that does not exist, for a device that had synced it (no deletion reported)', async () => {
    const a = world.device('a')
    // a store that synced the dataset to count 3, against a service that has no trace of it
    await a.store.modify(datasetName as never, () => E.right([undefined, stateOf([{ key: 'k', server: { content: 'v', syncCount: 3 } }], 3)] as const))()
    const result = await a.sync()
    expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'DatasetDeleted', lastSyncCount: 3, dirtyKeys: [] })
  })

  it('a dataset that does not exist, for a state imported at sync count 0 that holds server versions', async () => {
    const a = world.device('a')
    // another client's copy: versions it had from the server, but no sync count this device listed from
    await a.store.modify(datasetName as never, () => E.right([undefined, stateOf([{ key: 'k', server: { content: 'v', syncCount: 3 } }, { key: 'j', pending: { content: 'w', deviceLastModifiedDate: new Date(5) } }], 0)] as const))()
    const result = await a.sync()
    expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'DatasetDeleted', lastSyncCount: 0, dirtyKeys: ['j'] })
    expect(world.calls('UpdateRecords')).toBe(0)
  })

  it('neither: a dataset this device never synced is simply new, with no merged datasets', async () => {
    const a = world.device('a')
    await a.put('k', 'v')
    expect(await a.synced()).toMatchObject({ datasetCreated: true, datasetEvents: [], mergedDatasetNames: [] })
  })
})

describe('a reset dataset', () => {
  it('seen only as a DatasetSyncCount lower than this device caught up with', async () => {
    const a = world.device('a')
    await a.put('k', '1')
    await a.synced()
    await a.put('k', '2')
    await a.synced()
    await a.put('j', 'x')
    rewriteListings(a.client, (output) => {
      output.DatasetSyncCount = 1
      output.Records = []
    })
    const result = await a.sync()
    expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'DatasetReset', lastSyncCount: 2, dirtyKeys: ['j'] })
  })
})

describe('a policy applies once per sync', () => {
  it('a dataset gone again straight after the purge fails with the typed error, having listed twice', { timeout: 10_000 }, async () => {
    const a = world.device('a')
    await a.put('k', 'v')
    await a.synced()
    rewriteListings(a.client, (output) => {
      output.DatasetDeletedAfterRequestedSyncCount = true
    })
    const result = await a.sync({ policies: { onDatasetDeleted: 'purgeLocal' } })
    expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'DatasetDeleted', lastSyncCount: 0 })
    expect(world.calls('ListRecords')).toBe(3)
    expect(await contents(a)).toEqual({})
  })
})

describe('an asynchronous strategy', () => {
  it('deciding two conflicts of one sync differently: each decision lands on its own key', async () => {
    // 'a' keeps the local value, 'b' takes the remote one: the sync asks before it reconciles in the
    // store, and then replays each answer by the conflict it was given for
    const byKeyAsync = customAsync('askPerKey', async (conflict) => (conflict.key === 'a' ? keepLocal : takeRemote))
    const here = world.device('here', { strategy: byKeyAsync })
    const there = world.device('there')
    await there.put('a', 'theirs')
    await there.put('b', 'theirs')
    await there.synced()
    await here.put('a', 'mine')
    await here.put('b', 'mine')
    const report = await here.synced()
    expect(report.conflicts.map((c) => [c.conflict.key, c.resolution._tag, c.decidedBy])).toEqual([
      ['a', 'KeepLocal', 'askPerKey'],
      ['b', 'TakeRemote', 'askPerKey'],
    ])
    expect(report.pushed).toEqual(['a'])
    await there.synced()
    expect([await contents(here), await contents(there)]).toEqual([
      { a: 'mine', b: 'theirs' },
      { a: 'mine', b: 'theirs' },
    ])
  })
})
