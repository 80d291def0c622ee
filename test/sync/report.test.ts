/**
 * What the report of a sync says, for the parts the other suites leave at their defaults: key lists in
 * key order whatever order the listing came in, conflicts left undecided, versions that went back,
 * and nothing pushed when nothing was.
 */
import * as O from 'fp-ts/lib/Option.js'
import { describe, expect, it } from 'vitest'
import type { Strategy } from '../../src/Strategy.js'
import { SyncFailedError, syncPromise } from '../../src/sync/index.js'
import { alice, beforeSend, datasetName, pool, rewriteListings, useWorld } from './harness.js'

const world = useWorld()

describe('the report', () => {
  it('pushed nothing when nothing was pushed', async () => {
    const a = world.device('a')
    expect((await a.synced()).pushed).toEqual([])
  })

  it('lists merged dataset names in key order, whatever order the listing had', async () => {
    const a = world.device('a')
    rewriteListings(a.client, (output) => {
      output.MergedDatasetNames = ['z.merged', 'm.merged']
    })
    expect((await a.synced()).mergedDatasetNames).toEqual(['m.merged', 'z.merged'])
  })

  // Each round reconciles in key order; across rounds only the report's own sort keeps the order.
  it('lists the keys adopted over several rounds in key order', async () => {
    const a = world.device('a')
    const b = world.device('b')
    await a.put('m', '1')
    await a.synced()
    await b.put('z', 'mine')
    // before b's first push, a writes a key that sorts first, and the key b pushes: b's push meets a 409
    beforeSend(
      b.client,
      'UpdateRecordsCommand',
      async () => {
        await a.put('a', '1')
        await a.put('z', 'theirs')
        await a.synced()
      },
      1,
    )
    const report = await b.synced()
    expect([report.rounds, report.adopted]).toEqual([2, ['a', 'm']])
  })

  it('lists the writes confirmed after lost answers over several rounds in key order', async () => {
    const a = world.device('a')
    await a.put('m', '1')
    // both pushes commit and lose their answers; the key 'a' is written between the first two listings
    world.emulator.faults.dropAfterCommit(2)
    let listings = 0
    beforeSend(a.client, 'ListRecordsCommand', async () => {
      if ((listings += 1) === 2) await a.put('a', '1')
    })
    const report = await a.synced()
    expect([report.rounds, report.confirmedAfterLoss]).toEqual([3, ['a', 'm']])
  })

  it('carries the conflicts no strategy decided', async () => {
    const undecided: Strategy = { effect: 'sync', name: 'undecided', laws: [], decide: () => O.none }
    const a = world.device('a')
    const b = world.device('b', { strategy: undecided })
    await a.put('k', 'theirs')
    await a.synced()
    await b.put('k', 'mine')
    const report = await b.synced()
    expect(report.unresolved.map((conflict) => conflict.key)).toEqual(['k'])
    expect(report.pushed).toEqual([])
  })

  it('carries the versions that went back', async () => {
    const a = world.device('a')
    await a.put('k', '1')
    await a.synced()
    await a.put('k', '2')
    await a.synced()
    const b = world.device('b')
    await b.synced()
    // the server now answers k at the version before: it forgot what b saw
    rewriteListings(b.client, (output) => {
      output.Records = [{ Key: 'k', Value: '1', SyncCount: 1, LastModifiedDate: new Date(1), LastModifiedBy: 'x', DeviceLastModifiedDate: new Date(1) }]
      output.DatasetSyncCount = 3
    })
    const report = await b.synced()
    expect(report.regressions).toContainEqual({ _tag: 'RecordRegressed', key: 'k', localSyncCount: 2, remoteSyncCount: 1 })
  })
})

describe('the Promise facade', () => {
  it('rejects with the typed error as the cause, and the metadata of the answer it came from', async () => {
    const a = world.device('a')
    await a.put('k', 'v')
    world.emulator.faults.failNext('UpdateRecords', { errorType: 'NotAuthorizedException', status: 403 })
    const failure = await syncPromise({ client: a.client, identityPoolId: pool, identityId: alice, datasetName, deviceId: 'a', store: a.store, strategy: { effect: 'sync', name: 'none', laws: [], decide: () => O.none } }).catch(
      (e: unknown) => e,
    )
    expect(failure).toBeInstanceOf(SyncFailedError)
    const error = (failure as SyncFailedError).error
    expect([(failure as SyncFailedError).cause, (failure as SyncFailedError).$metadata]).toEqual([error, { httpStatusCode: 403, requestId: world.emulator.calls().at(-1)?.requestId }])
  })
})
