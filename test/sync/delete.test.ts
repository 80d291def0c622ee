/**
 * deleteDataset against the emulator, over HTTP with the real SDK: the service's copy goes, the local
 * copy follows the stated rule (cleared, but for what the app set while the delete was in flight), a
 * failure or an abort changes nothing local, and other devices learn of it as DatasetDeleted.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ListDatasetsCommand } from '@aws-sdk/client-cognito-sync'
import { fc, test as property } from '@fast-check/vitest'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import { type LocalRecord, type LocalState, currentContent, editRecord, emptyState, setRecords, stateOf } from '../../src/index.js'
import { content, localState, recordKey } from '../../src/testkit/arbitraries.js'
import { sqliteStore } from '../../src/stores/sqlite/index.js'
import { afterDelete, deleteDataset } from '../../src/sync/index.js'
import { onArrivalOf } from '../emulator/arrivals.js'
import { type Device, alice, answers, beforeSend, contents, datasetName, deleteOf as remove, dirtyKeys, pool, useWorld } from './harness.js'

const world = useWorld()
const long = 60_000
const bounded = { timeout: 10_000 }

/** The dataset names the service lists for alice, asked with the SDK. */
const onService = async (device: Device): Promise<ReadonlyArray<string | undefined>> => {
  const listed = await device.client.send(new ListDatasetsCommand({ IdentityPoolId: pool, IdentityId: alice }))
  return (listed.Datasets ?? []).map((dataset) => dataset.DatasetName)
}

/** Resolves when `device` sends its next `command`. */
const sent = (device: Device, command: string): Promise<void> =>
  new Promise((resolve) => beforeSend(device.client, command, async () => resolve(), 1))

const isEmpty = (state: LocalState): boolean => state.records.size === 0 && state.lastSyncCount === 0

describe('deleteDataset', () => {
  it('deletes the dataset on the service and clears the local copy, pending edits and sync count included', async () => {
    const a = world.device('a')
    await a.put('coins', '100')
    await a.put('gems', '3')
    await a.synced()
    await a.put('coins', '120') // pending, never pushed: cleared too
    await a.put('lives', '2')
    expect(await onService(a)).toEqual([datasetName])

    const result = await remove(a)
    expect(E.isRight(result) && result.right).toMatchObject({ deletedOnService: true, cleared: ['coins', 'gems', 'lives'], kept: [], attempts: 1, retries: [] })
    expect(E.isRight(result) && result.right.$metadata).toMatchObject({ httpStatusCode: 200, requestId: expect.any(String) })
    expect(await onService(a)).toEqual([])
    expect(isEmpty(await a.state())).toBe(true)
    expect(await a.store.datasets()()).toEqual(E.right([]))
    expect(world.calls('DeleteDataset')).toBe(1)
  })

  it('of a dataset the service does not have (ResourceNotFound) succeeds and clears the local copy: deleting is idempotent', async () => {
    const a = world.device('a')
    await a.put('draft', 'never pushed')
    const first = await remove(a)
    expect(E.isRight(first) && first.right).toMatchObject({ deletedOnService: false, cleared: ['draft'], kept: [], attempts: 1 })
    expect(E.isRight(first) && first.right.$metadata).toMatchObject({ httpStatusCode: 404, requestId: expect.any(String) })
    expect(isEmpty(await a.state())).toBe(true)

    const again = await remove(a)
    expect(E.isRight(again) && again.right).toMatchObject({ deletedOnService: false, cleared: [], kept: [] })
  })

  it('then a sync starts afresh: nothing comes back, and new writes re-create the dataset', async () => {
    const a = world.device('a')
    await a.put('coins', '100')
    await a.synced()
    await remove(a)
    const quiet = await a.synced()
    expect(quiet).toMatchObject({ pulled: 0, pushed: [], datasetEvents: [], lastSyncCount: 0 })
    await a.put('coins', '5')
    const report = await a.synced()
    expect(report).toMatchObject({ pushed: ['coins'], datasetCreated: true })
    expect(await onService(a)).toEqual([datasetName])
  })

  it('refuses a bad address before any call, naming the rule', async () => {
    const a = world.device('a')
    await a.put('k', 'v')
    const result = await remove(a, { datasetName: 'my game' })
    expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'InvalidInput', what: 'dataset name' })
    expect(E.isLeft(result) && result.left.message).toContain('1–128 characters of [a-zA-Z0-9_.:-]')
    const pool = await remove(a, { identityPoolId: 'us-east-1_AbCdEf' })
    expect(E.isLeft(pool) && pool.left).toMatchObject({ _tag: 'InvalidInput', what: 'identity pool id' })
    const deadline = await remove(a, { timeoutMs: -1 })
    expect(E.isLeft(deadline) && deadline.left).toMatchObject({ _tag: 'InvalidInput', what: 'timeoutMs' })
    expect(world.emulator.calls()).toEqual([])
    expect(dirtyKeys(await a.state())).toEqual(['k'])
  })
})

describe('a failed delete changes nothing local', () => {
  it.each([
    ['NotAuthorized', 'NotAuthorizedException', 'token expired', 403],
    // any other refusal is a ServiceFailed, never taken for ResourceNotFound's "already gone"
    ['ServiceFailed', 'InvalidConfigurationException', 'pool misconfigured', 400],
  ])('%s: typed with the exception, status and request id, the local copy untouched', async (tag, exception, message, status) => {
    const a = world.device('a')
    await a.put('coins', '100')
    await a.synced()
    await a.put('gems', '3')
    const before = await a.state()
    world.emulator.faults.failNext('DeleteDataset', { errorType: exception, message })
    const result = await remove(a)
    expect(E.isLeft(result) && result.left).toMatchObject({
      _tag: tag,
      operation: 'DeleteDataset',
      exception,
      $metadata: { httpStatusCode: status, requestId: expect.any(String) },
    })
    expect(E.isLeft(result) && result.left.message).toMatch(new RegExp(`^DeleteDataset: ${exception}: ${message} \\(request id .+\\)$`))
    expect(await a.state()).toEqual(before)
    expect(await onService(a)).toEqual([datasetName])
  })

  it('server errors are retried within the budget, each retry reported', async () => {
    const a = world.device('a')
    await a.put('coins', '100')
    await a.synced()
    world.emulator.faults.failNext('DeleteDataset', { errorType: 'InternalErrorException', count: 2 })
    const result = await remove(a)
    expect(E.isRight(result) && result.right).toMatchObject({ deletedOnService: true, attempts: 3 })
    expect(E.isRight(result) && result.right.retries.map((retry) => [retry.round, retry.operation, retry.reason])).toEqual([
      [1, 'DeleteDataset', 'ServerError'],
      [1, 'DeleteDataset', 'ServerError'],
    ])
    expect(isEmpty(await a.state())).toBe(true)
  })

  it('past the budget: RetriesExhausted, the local copy untouched', async () => {
    const a = world.device('a')
    await a.put('coins', '100')
    await a.synced()
    const before = await a.state()
    world.emulator.faults.failNext('DeleteDataset', { errorType: 'ResourceConflictException', count: 10 })
    const result = await remove(a, { limits: { maxRetries: 2, backoffBaseMs: 2, backoffMaxMs: 2 } })
    expect(E.isLeft(result) && result.left).toMatchObject({
      _tag: 'RetriesExhausted',
      operation: 'DeleteDataset',
      attempts: 3,
      exception: 'ResourceConflictException',
      $metadata: { httpStatusCode: 409 },
    })
    expect(world.calls('DeleteDataset')).toBe(3)
    expect(await a.state()).toEqual(before)
  })
})

describe('what each answer of DeleteDataset means', () => {
  it('a 409 (the dataset was being written) is retried, reported as a Conflict, and the delete goes through', async () => {
    const a = world.device('a')
    await a.put('coins', '100')
    await a.synced()
    world.emulator.faults.failNext('DeleteDataset', { errorType: 'ResourceConflictException', message: 'dataset is being written' })
    const result = await remove(a)
    expect(E.isRight(result) && result.right).toMatchObject({ deletedOnService: true, cleared: ['coins'], attempts: 2 })
    expect(E.isRight(result) && result.right.retries.map((retry) => [retry.round, retry.operation, retry.reason, retry.message])).toEqual([
      [1, 'DeleteDataset', 'Conflict', 'dataset is being written'],
    ])
    expect(await onService(a)).toEqual([])
  })

  it('an answer only a sync expects (an expired session token) is a ServiceFailed naming DeleteDataset', async () => {
    const a = world.device('a')
    await a.put('coins', '100')
    await a.synced()
    const before = await a.state()
    world.emulator.faults.failNext('DeleteDataset', { errorType: 'InvalidParameterException', message: 'SyncSessionToken not valid' })
    const result = await remove(a)
    expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'ServiceFailed', operation: 'DeleteDataset', exception: 'InvalidParameterException' })
    expect(E.isLeft(result) && result.left.message).toMatch(/^DeleteDataset: InvalidParameterException: SyncSessionToken not valid \(request id .+\)$/)
    expect(await a.state()).toEqual(before)
  })

  it('the backoff jitter is the random given, else Math.random', async () => {
    const a = world.device('a')
    await a.put('coins', '100')
    await a.synced()
    const jitter = vi.spyOn(Math, 'random').mockReturnValue(0.75)
    try {
      const limits = { backoffBaseMs: 100, backoffMaxMs: 100 }
      world.emulator.faults.failNext('DeleteDataset', { errorType: 'InternalErrorException' })
      const given = await remove(a, { random: () => 0.25, limits })
      world.emulator.faults.failNext('DeleteDataset', { errorType: 'InternalErrorException' })
      const byDefault = await deleteDataset({ client: a.client, identityPoolId: pool, identityId: alice, datasetName, store: a.store, limits })()
      expect([given, byDefault].map((result) => E.isRight(result) && result.right.retries.map((retry) => retry.delayMs))).toEqual([[25], [75]])
    } finally {
      jitter.mockRestore()
    }
  })
})

describe('the local rule: what the app sets while DeleteDataset is in flight stays', () => {
  it('kept as pending edits of a fresh dataset, which the next sync pushes', bounded, async () => {
    const a = world.device('a')
    await a.put('coins', '100')
    await a.put('old', 'x')
    await a.synced()
    world.emulator.faults.setLatency(200, 'DeleteDataset')
    // the hook runs as the request leaves, after the delete noted the local state
    beforeSend(a.client, 'DeleteDatasetCommand', async () => {
      await a.put('coins', '0') // a key the deleted dataset had
      await a.put('fresh', 'yes') // a new key
      await a.remove('old') // a delete needs nothing: the key goes with the dataset
    })
    const result = await remove(a)
    expect(E.isRight(result) && result.right).toMatchObject({ deletedOnService: true, cleared: ['old'], kept: ['coins', 'fresh'] })
    const state = await a.state()
    expect(state.lastSyncCount).toBe(0)
    expect(state.records.get('coins')).toEqual({ key: 'coins', pending: { content: '0', deviceLastModifiedDate: expect.any(Date) } })
    expect(dirtyKeys(state)).toEqual(['coins', 'fresh'])

    const report = await a.synced()
    expect(report).toMatchObject({ pushed: ['coins', 'fresh'], datasetCreated: true, conflicts: [] })
    const b = world.device('b')
    await b.synced()
    expect(await contents(b)).toEqual({ coins: '0', fresh: 'yes' })
  })

  it('with a store that reads back copies (a SQLite file), every edit noted when the turn came is cleared', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cognito-reconcile-'))
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
    const store = sqliteStore({ path: join(dir, 'device.db') })
    onTestFinished(() => store.close())
    const a = world.device('a', { store })
    await a.put('coins', '100')
    await a.synced()
    await a.put('coins', '120') // pending on a server version
    await a.put('lives', '2') // pending, never pushed
    const read = [await a.state(), await a.state()]
    expect(read[0]?.records.get('lives')?.pending).not.toBe(read[1]?.records.get('lives')?.pending) // copies, equal
    const result = await remove(a)
    expect(E.isRight(result) && result.right).toMatchObject({ deletedOnService: true, cleared: ['coins', 'lives'], kept: [] })
    expect(isEmpty(await a.state())).toBe(true)
  })

  it('waits for a sync of the dataset in flight, and never interleaves with it', bounded, async () => {
    const a = world.device('a')
    await a.put('coins', '100')
    world.emulator.faults.setLatency(300, 'UpdateRecords')
    const pushing = sent(a, 'UpdateRecordsCommand')
    const pushed = answers(a.client, 'UpdateRecordsCommand')
    const syncing = a.sync()
    await pushing // UpdateRecords is in flight
    const deleting = remove(a)
    // the race took place: the delete was asked for before UpdateRecords was answered
    expect(pushed()).toBe(0)
    const [synced, deleted] = await Promise.all([syncing, deleting])
    expect(E.isRight(synced)).toBe(true)
    expect(E.isRight(deleted) && deleted.right).toMatchObject({ deletedOnService: true, cleared: ['coins'] })
    expect(world.emulator.calls().map((call) => call.operation)).toEqual(['ListRecords', 'UpdateRecords', 'DeleteDataset'])
    expect(isEmpty(await a.state())).toBe(true)
    expect(await onService(a)).toEqual([])
  })
})

describe('another device, after the delete', () => {
  it('gets DatasetDeleted at its next sync, with its dirty keys, and nothing local changed', async () => {
    const a = world.device('a')
    const b = world.device('b')
    await a.put('coins', '100')
    await a.synced()
    await b.synced()
    await b.put('gems', '3')
    await b.put('coins', '101')
    const before = await b.state()
    await remove(a)

    const result = await b.sync()
    expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'DatasetDeleted', dirtyKeys: ['coins', 'gems'], lastSyncCount: 1 })
    expect(await b.state()).toEqual(before)
    // the app's choice: purge, as the deleting device did
    const purged = await b.synced({ policies: { onDatasetDeleted: 'purgeLocal' } })
    expect(purged.datasetEvents).toEqual([{ event: 'Deleted', policy: 'purgeLocal' }])
    expect(isEmpty(await b.state())).toBe(true)
    expect(await onService(b)).toEqual([])
  })

  it('with no local edits: DatasetDeleted with no dirty keys', async () => {
    const a = world.device('a')
    const b = world.device('b')
    await a.put('coins', '100')
    await a.synced()
    await b.synced()
    await remove(a)
    const result = await b.sync()
    expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'DatasetDeleted', dirtyKeys: [] })
    expect(E.isLeft(result) && result.left.message).toContain('no local edits')
  })
})

describe('stopping a delete', () => {
  it('an aborted signal: Aborted at once, no call, nothing changed', async () => {
    const a = world.device('a')
    await a.put('k', 'v')
    const before = await a.state()
    const result = await remove(a, { signal: AbortSignal.abort('user left') })
    expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'Aborted', reason: 'user left' })
    expect(E.isLeft(result) && result.left.message).toMatch(/^The delete was aborted: user left\. Nothing local changed/)
    expect(world.emulator.calls()).toEqual([])
    expect(await a.state()).toEqual(before)
  })

  it('during a slow DeleteDataset: stops within the call, nothing local changed', bounded, async () => {
    const a = world.device('a')
    await a.put('coins', '100')
    await a.synced()
    const before = await a.state()
    world.emulator.faults.setLatency(long, 'DeleteDataset')
    const controller = new AbortController()
    // aborted once the emulator has the call, which it would answer after a minute
    onArrivalOf(world.emulator.port, 'DeleteDataset', () => controller.abort('app paused'))
    const result = await remove(a, { signal: controller.signal })
    expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'Aborted', operation: 'DeleteDataset', reason: 'app paused' })
    expect(E.isLeft(result) && result.left.message).toContain('delete again (deleting twice is harmless)')
    expect(await a.state()).toEqual(before)
  })

  it('waiting behind a sync: fails at once, without calling DeleteDataset', bounded, async () => {
    const a = world.device('a')
    await a.put('coins', '100')
    world.emulator.faults.setLatency(500, 'UpdateRecords')
    const pushing = sent(a, 'UpdateRecordsCommand')
    const syncing = a.sync()
    await pushing // UpdateRecords is in flight
    const controller = new AbortController()
    const deleting = remove(a, { signal: controller.signal })
    controller.abort('changed my mind')
    const result = await deleting
    expect(E.isLeft(result) && result.left).toEqual(expect.objectContaining({ _tag: 'Aborted', reason: 'changed my mind' }))
    expect(E.isLeft(result) && 'operation' in result.left).toBe(false)
    expect(E.isRight(await syncing)).toBe(true)
    expect(world.calls('DeleteDataset')).toBe(0)
    expect(await contents(a)).toEqual({ coins: '100' })
  })

  it('timeoutMs: DeadlineExceeded, nothing local changed', bounded, async () => {
    const a = world.device('a')
    await a.put('coins', '100')
    await a.synced()
    const before = await a.state()
    world.emulator.faults.setLatency(long, 'DeleteDataset')
    const result = await remove(a, { timeoutMs: 100 })
    expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'DeadlineExceeded', timeoutMs: 100, operation: 'DeleteDataset' })
    expect(E.isLeft(result) && result.left.message).toMatch(/^The delete did not finish within its timeoutMs of 100 ms/)
    expect(await a.state()).toEqual(before)
  })
})

describe('afterDelete', () => {
  const now = new Date(1_800_000_000_000)

  property.prop([localState(), fc.array(fc.tuple(recordKey, content()), { maxLength: 6 })])(
    'keeps exactly the live values written since the noted state, based on nothing, at sync count 0',
    (noted, writes) => {
      const written = new Map<string, LocalRecord>()
      for (const [key, content] of writes) written.set(key, editRecord(key, written.get(key) ?? noted.records.get(key), content, now))
      const current = setRecords(written.values())(noted)
      const after = afterDelete(noted)(current)
      expect(after.lastSyncCount).toBe(0)
      const expected = [...written.values()].filter((record) => record.pending?.content !== null)
      expect([...after.records.keys()].sort()).toEqual(expected.map((record) => record.key).sort())
      for (const record of after.records.values()) {
        expect(record.server).toBeUndefined()
        expect(record.pending?.sent).toBeUndefined()
        expect(record.pending?.content).toBe(currentContent(current.records.get(record.key)))
      }
    },
  )

  it('compares pending edits by content and date, not by identity: an equal copy is the noted edit, a rewrite is not', () => {
    const at = (ms: number) => new Date(1_800_000_000_000 + ms)
    const noted = stateOf([{ key: 'coins', pending: { content: '5', deviceLastModifiedDate: at(0) } }], 3)
    const copy = stateOf([{ key: 'coins', pending: { content: '5', deviceLastModifiedDate: at(0) } }], 3)
    expect(afterDelete(noted)(copy)).toEqual(emptyState)
    // the app set another value at the same millisecond, or the same value again later: both are writes since `noted`
    for (const pending of [
      { content: '6', deviceLastModifiedDate: at(0) },
      { content: '5', deviceLastModifiedDate: at(1) },
    ]) {
      const after = afterDelete(noted)(stateOf([{ key: 'coins', pending }], 3))
      expect([...after.records.values()]).toEqual([{ key: 'coins', pending }])
    }
  })

  property.prop([localState()])('of an unchanged state is empty', (noted) => {
    expect(afterDelete(noted)(noted)).toEqual(emptyState)
  })
})
