/**
 * Datasets that are not the one this device synced with (deleted, reset, merged), and a crash between
 * the steps of a sync with the durable store.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DeleteDatasetCommand } from '@aws-sdk/client-cognito-sync'
import * as E from 'fp-ts/lib/Either.js'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { startEmulator } from '../../src/emulator/index.js'
import { sqliteStore } from '../../src/stores/sqlite/index.js'
import { maxValue } from '../../strategies/index.js'
import { stateOf } from '../../src/index.js'
import { defaultPolicies, rebase } from '../../src/sync/index.js'
import { alice, beforeSend, bob, contents, datasetName, dirtyKeys, patience, pool, rewriteListings, sdkClient, useWorld, withMergedDataset } from './harness.js'

const world = useWorld()

const deleteDataset = (device: { client: import('@aws-sdk/client-cognito-sync').CognitoSyncClient }) =>
  device.client.send(new DeleteDatasetCommand({ IdentityPoolId: pool, IdentityId: alice, DatasetName: datasetName }))

describe('a dataset deleted on the server', () => {
  const deletedWithLocalEdit = async () => {
    const a = world.device('a')
    const other = world.device('other')
    await a.put('k', 'v')
    await a.synced()
    await deleteDataset(other)
    await a.put('j', 'w')
    return a
  }

  it("by default ('report') is a typed error and nothing local changes", async () => {
    const a = await deletedWithLocalEdit()
    const before = await a.state()
    const result = await a.sync()
    expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'DatasetDeleted', lastSyncCount: 1, dirtyKeys: ['j'] })
    expect(await a.state()).toEqual(before)
    expect(world.calls('UpdateRecords')).toBe(1)
  })

  it("'purgeLocal' drops the local dataset", async () => {
    const a = await deletedWithLocalEdit()
    const report = await a.synced({ policies: { onDatasetDeleted: 'purgeLocal' } })
    expect(report.datasetEvents).toEqual([{ event: 'Deleted', policy: 'purgeLocal' }])
    expect(await contents(a)).toEqual({})
    expect(report.lastSyncCount).toBe(0)
  })

  it("'recreate' pushes every local value again", async () => {
    const a = await deletedWithLocalEdit()
    const report = await a.synced({ policies: { onDatasetDeleted: 'recreate' } })
    expect(report.datasetEvents).toEqual([{ event: 'Deleted', policy: 'recreate' }])
    expect(report.datasetCreated).toBe(true)
    expect(report.pushed).toEqual(['j', 'k'])
    const b = world.device('b')
    await b.synced()
    expect(await contents(b)).toEqual({ j: 'w', k: 'v' })
  })

  it('a state synced at a count above 0 that holds no server version, against a service without the dataset, was deleted', async () => {
    const a = world.device('a')
    await a.store.modify(datasetName as never, () => E.right([undefined, stateOf([{ key: 'j', pending: { content: 'w', deviceLastModifiedDate: new Date(5) } }], 3)] as const))()
    const result = await a.sync()
    expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'DatasetDeleted', lastSyncCount: 3, dirtyKeys: ['j'] })
  })
})

describe('defaultPolicies', () => {
  it("is 'report' for each case, as documented: an app spreading it over its own choices gets the library's defaults", () => {
    expect(defaultPolicies).toEqual({ onDatasetDeleted: 'report', onDatasetReset: 'report', onMergedDatasets: 'report' })
  })
})

describe('rebase', () => {
  it("'recreate' keeps each value's date, and stamps now only a value that has none", () => {
    const now = new Date(9)
    const state = stateOf(
      [
        { key: 'edited', server: { content: 'old', syncCount: 2 }, pending: { content: 'new', deviceLastModifiedDate: new Date(5) } },
        { key: 'device', server: { content: 'd', syncCount: 3, lastModifiedDate: new Date(4), deviceLastModifiedDate: new Date(2) } },
        { key: 'server', server: { content: 's', syncCount: 4, lastModifiedDate: new Date(3) } },
        { key: 'undated', server: { content: 'u', syncCount: 5 } },
        { key: 'deleted', server: { content: null, syncCount: 6, lastModifiedDate: new Date(1) } },
      ],
      6,
    )
    const again = rebase('recreate', now)(state)
    expect(Object.fromEntries([...again.records.values()].map((r) => [r.key, [r.server, r.pending?.content, r.pending?.deviceLastModifiedDate.getTime()]]))).toEqual({
      edited: [undefined, 'new', 5],
      device: [undefined, 'd', 2],
      server: [undefined, 's', 3],
      undated: [undefined, 'u', 9],
    })
    expect(again.lastSyncCount).toBe(0)
  })
})

describe('a dataset reset seen only as a lower DatasetSyncCount in the listing', () => {
  it("is a Reset: reported by default, and purged under 'purgeLocal'", async () => {
    const a = world.device('a')
    for (const value of ['1', '2']) {
      await a.put('k', value)
      await a.synced()
    }
    let listings = 0
    rewriteListings(a.client, (output) => {
      if ((listings += 1) === 1) output.DatasetSyncCount = 1
    })
    expect(await a.sync()).toMatchObject(E.left({ _tag: 'DatasetReset', lastSyncCount: 2 }))
    listings = 0
    const report = await a.synced({ policies: { onDatasetReset: 'purgeLocal' } })
    expect(report.datasetEvents).toEqual([{ event: 'Reset', policy: 'purgeLocal' }])
    expect(await contents(a)).toEqual({ k: '2' })
  })
})

describe('a dataset reset on the server (No such SyncCount)', () => {
  /** Device a synced up to count 2; then its dataset is served by another server at count 1, as a restored backup would be. */
  const reset = async () => {
    const a = world.device('a', { strategy: maxValue() })
    for (const score of ['3', '4']) {
      await a.put('score', score)
      await a.synced()
    }
    const restored = await startEmulator()
    const client = sdkClient(restored.endpoint)
    const b = world.device('b', { client, strategy: maxValue() })
    await b.put('score', '2')
    await b.put('name', 'bob')
    await b.synced()
    const again = world.device('a-restored', { client, store: a.store, strategy: maxValue() })
    return { b, again, close: () => restored.close() }
  }

  it("by default ('report') is a typed error naming the local edits a purge would drop", async () => {
    const { again, close } = await reset()
    try {
      await again.put('level', '9')
      const result = await again.sync()
      expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'DatasetReset', lastSyncCount: 2, dirtyKeys: ['level'] })
      expect(dirtyKeys(await again.state())).toEqual(['level'])
    } finally {
      await close()
    }
  })

  it("'recreate' rebases the local values on the server's and lets the strategy decide", async () => {
    const { b, again, close } = await reset()
    try {
      const report = await again.synced({ policies: { onDatasetReset: 'recreate' } })
      expect(report.datasetEvents).toEqual([{ event: 'Reset', policy: 'recreate' }])
      expect(report.conflicts.map((c) => [c.conflict.key, c.decidedBy, c.resolution._tag])).toEqual([['score', 'maxValue', 'KeepLocal']])
      await b.synced()
      expect(await contents(b)).toEqual({ name: 'bob', score: '4' })
      expect(await contents(again)).toEqual({ name: 'bob', score: '4' })
    } finally {
      await close()
    }
  })
})

describe('merged datasets', () => {

  it("by default ('report') are named in the report and the sync goes on", async () => {
    const a = await withMergedDataset(world)
    await a.put('mine', '1')
    const report = await a.synced()
    expect(report.mergedDatasetNames).toEqual([`${datasetName}.${bob}`])
    expect(report.pushed).toEqual(['mine'])
  })

  it("'fail' lets a sync that meets none go on", async () => {
    const a = world.device('a')
    await a.put('mine', '1')
    const report = await a.synced({ policies: { onMergedDatasets: 'fail' } })
    expect(report.mergedDatasetNames).toEqual([])
    expect(report.pushed).toEqual(['mine'])
  })

  it("'fail' names every merged dataset", async () => {
    const carol = 'us-east-1:cccccccc-cccc-cccc-cccc-cccccccccccc'
    for (const identityId of [bob, carol]) {
      const other = world.device(`u-${identityId}`, { identityId })
      await other.put('k', identityId)
      await other.synced()
      world.emulator.linkIdentity({ identityPoolId: pool, fromIdentityId: identityId, toIdentityId: alice })
    }
    const result = await world.device('a').sync({ policies: { onMergedDatasets: 'fail' } })
    expect(E.isLeft(result) && result.left.message).toBe(`Merged datasets found: ${datasetName}.${bob}, ${datasetName}.${carol}`)
  })

  it("'fail' is a typed error before anything is reconciled", async () => {
    const a = await withMergedDataset(world)
    const result = await a.sync({ policies: { onMergedDatasets: 'fail' } })
    expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'MergedDatasetsFound', names: [`${datasetName}.${bob}`] })
  })
})

describe('a crash between the steps of a sync, with the durable store', () => {
  const dirs: Array<string> = []
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })
  const file = () => {
    const dir = mkdtempSync(join(tmpdir(), 'cognito-reconcile-'))
    dirs.push(dir)
    return join(dir, 'device.db')
  }
  const never = () => new Promise<never>(() => undefined)

  it('after the listing, before UpdateRecords: the reopened store still has every edit dirty', async () => {
    const path = file()
    const first = sqliteStore({ path })
    const a = world.device('a', { store: first })
    await a.put('k', 'v')
    await a.synced()
    await a.put('k', 'w')
    await a.put('j', 'x')
    let hanging = false
    beforeSend(
      a.client,
      'UpdateRecordsCommand',
      () => {
        hanging = true
        return never()
      },
      1,
    )
    void a.sync()
    // the sync hangs in UpdateRecords, after the listing was reconciled and stored
    await vi.waitFor(() => expect(hanging).toBe(true), patience)
    first.close()
    const reopened = sqliteStore({ path })
    try {
      const again = world.device('a-restarted', { store: reopened })
      expect(dirtyKeys(await again.state())).toEqual(['j', 'k'])
      const report = await again.synced()
      expect(report.pushed).toEqual(['j', 'k'])
      expect(dirtyKeys(await again.state())).toEqual([])
    } finally {
      reopened.close()
    }
  })

  it('after UpdateRecords committed, before its answer was stored: the next sync confirms the write', async () => {
    const path = file()
    const first = sqliteStore({ path })
    const a = world.device('a', { store: first })
    await a.put('k', 'v')
    a.client.middlewareStack.add(
      (next, context) => async (args) => {
        const answer = await next(args)
        return context.commandName === 'UpdateRecordsCommand' ? never() : answer
      },
      { step: 'deserialize', name: 'crashAfterCommit', priority: 'high' },
    )
    void a.sync()
    await vi.waitFor(() => expect(world.calls('UpdateRecords')).toBe(1), patience)
    first.close()
    const reopened = sqliteStore({ path })
    try {
      const again = world.device('a-restarted', { store: reopened })
      const report = await again.synced()
      expect(report.calls).toEqual({ ListRecords: 1, UpdateRecords: 0 })
      // the reopened store remembers what was sent, so the listed version is known as this device's own
      expect(report.confirmedAfterLoss).toEqual(['k'])
      expect(report.adopted).toEqual([])
      expect(dirtyKeys(await again.state())).toEqual([])
    } finally {
      reopened.close()
    }
  })
})
