/**
 * What a failed sync says, word for word: each message names what happened and what to do about it
 * (style: "bad input gets a typed error that says what to do"), so each is pinned whole here, with the
 * real SDK against the emulator.
 */
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import type { SyncError } from '../../src/sync/index.js'
import { beforeSend, bob, datasetName, rewriteListings, useWorld, withMergedDataset } from './harness.js'

const world = useWorld()

const failed = (result: E.Either<SyncError, unknown>): SyncError => {
  if (E.isRight(result)) throw new Error('expected the sync to fail')
  return result.left
}

/** The request id of the last call the emulator answered. */
const lastRequestId = (): string | undefined => world.emulator.calls().at(-1)?.requestId

describe('a deleted dataset', () => {
  const deletedAfter = async (edits: ReadonlyArray<string>) => {
    const a = world.device('a')
    await a.put('k', 'v')
    await a.synced()
    for (const key of edits) await a.put(key, 'new')
    rewriteListings(a.client, (output) => {
      output.DatasetDeletedAfterRequestedSyncCount = true
    })
    return failed(await a.sync())
  }

  it('says the count it was deleted after, counts the local edits a purge would drop, and names both policies', async () => {
    expect(await deletedAfter([])).toEqual({
      _tag: 'DatasetDeleted',
      lastSyncCount: 1,
      dirtyKeys: [],
      message: "Dataset game was deleted on the server after sync count 1; no local edits. Sync with policies.onDatasetDeleted 'purgeLocal' to drop the local copy or 'recreate' to push it again",
    })
  })

  it('one local edit, singular', async () => {
    expect((await deletedAfter(['j'])).message).toContain('after sync count 1; 1 local edit (dirtyKeys). Sync with')
  })

  it('two local edits, plural', async () => {
    const error = await deletedAfter(['j', 'i'])
    expect(error).toMatchObject({ _tag: 'DatasetDeleted', dirtyKeys: ['i', 'j'] })
    expect(error.message).toContain('after sync count 1; 2 local edits (dirtyKeys). Sync with')
  })
})

describe('a reset dataset', () => {
  it("says the count this device had, and names both policies, which mean other things here", async () => {
    const a = world.device('a')
    await a.put('k', '1')
    await a.synced()
    await a.put('k', '2')
    await a.synced()
    rewriteListings(a.client, (output) => {
      output.DatasetSyncCount = 1
    })
    expect(failed(await a.sync())).toEqual({
      _tag: 'DatasetReset',
      lastSyncCount: 2,
      dirtyKeys: [],
      message: "Dataset game on the server is behind this device's sync count 2; no local edits. Sync with policies.onDatasetReset 'purgeLocal' to take the server's copy or 'recreate' to push the local one again",
    })
  })
})

describe('conflict rounds exhausted', () => {
  it('counts the rounds and names every key any 409 named, in order, once', async () => {
    const a = world.device('a')
    for (const key of ['x', 'y', 'z']) await a.put(key, '1')
    // each UpdateRecords meets a 409 naming another key, the last one named first
    const named = ['z', 'x', 'z']
    beforeSend(a.client, 'UpdateRecordsCommand', async () => {
      const key = named.shift() ?? 'none'
      world.emulator.faults.failNext('UpdateRecords', { errorType: 'ResourceConflictException', status: 409, message: `Current SyncCount for: ${key} is: 12 not: 10` })
    })
    const error = failed(await a.sync({ limits: { maxConflictRounds: 3 } }))
    expect(error).toEqual({
      _tag: 'ConflictRoundsExhausted',
      rounds: 3,
      keys: ['x', 'z'],
      exception: 'ResourceConflictException',
      // UpdateRecords goes without the SDK's retry middleware, which is what counts attempts
      $metadata: { httpStatusCode: 409, requestId: lastRequestId() },
      message: 'UpdateRecords met a newer server version 3 times (keys: x, z); local changes stay dirty, sync again later',
    })
  })
})

describe('merged datasets', () => {
  it("'fail' names them", async () => {
    const a = await withMergedDataset(world)
    expect(failed(await a.sync({ policies: { onMergedDatasets: 'fail' } }))).toEqual({
      _tag: 'MergedDatasetsFound',
      names: [`${datasetName}.${bob}`],
      message: `Merged datasets found: ${datasetName}.${bob}`,
    })
  })
})

describe('retries exhausted', () => {
  it('counts the attempts and quotes the last failure with its request id', async () => {
    const a = world.device('a')
    world.emulator.faults.failNext('ListRecords', { errorType: 'TooManyRequestsException', status: 429, message: 'Rate exceeded', count: 10 })
    const error = failed(await a.sync({ limits: { maxRetries: 2 } }))
    expect(error).toEqual({
      _tag: 'RetriesExhausted',
      operation: 'ListRecords',
      attempts: 3,
      exception: 'TooManyRequestsException',
      $metadata: { httpStatusCode: 429, requestId: lastRequestId(), attempts: 1 },
      message: `ListRecords failed 3 times; last: Rate exceeded (request id ${lastRequestId()})`,
    })
  })
})

describe('an answer the step has no use for', () => {
  it('a 409 or an expired session from ListRecords fails as ServiceFailed, quoting the service', async () => {
    const a = world.device('a')
    for (const [errorType, message] of [
      ['ResourceConflictException', 'Current SyncCount for: k is: 2 not: 1'],
      ['InvalidParameterException', 'SyncSessionToken not valid.'],
    ] as const) {
      world.emulator.faults.failNext('ListRecords', { errorType, status: 400, message })
      const error = failed(await a.sync())
      expect(error).toEqual({
        _tag: 'ServiceFailed',
        operation: 'ListRecords',
        exception: errorType,
        $metadata: { httpStatusCode: 400, requestId: lastRequestId(), attempts: 1 },
        message: `ListRecords: ${errorType}: ${message} (request id ${lastRequestId()})`,
      })
    }
  })
})
