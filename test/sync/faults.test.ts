/**
 * The sync adapter under the emulator's faults: lost responses, server errors, throttling, expired
 * sessions, errors that must not be retried, and responses that are not what the protocol promises.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { stateOf } from '../../src/index.js'
import { sync, memoryStore } from '../../src/sync/index.js'
import { lastWriterWins } from '../../strategies/index.js'
import { alice, beforeSend, contents, datasetName, dirtyKeys, pool, sdkClient, useWorld } from './harness.js'

let emulatorNow = 1_700_000_000_000
const world = useWorld({ sessionTokenTtlMs: 1000, clock: { now: () => emulatorNow } })

describe('a lost UpdateRecords response', () => {
  it('is recognised in the next listing as our own committed write: success, no conflict, clean state', async () => {
    const a = world.device('a')
    await a.put('k', 'v')
    await a.put('gone', 'x')
    await a.synced()
    await a.put('k', 'w')
    await a.remove('gone')
    world.emulator.faults.dropAfterCommit()
    world.emulator.clearCalls()
    const report = await a.synced()
    expect([world.calls('ListRecords'), world.calls('UpdateRecords')]).toEqual([2, 1])
    expect(report.retries.map((retry) => [retry.operation, retry.reason])).toEqual([['UpdateRecords', 'NetworkError']])
    expect(report.confirmedAfterLoss).toEqual(['gone', 'k'])
    expect(report.conflicts).toEqual([])
    expect(report.lastSyncCount).toBe(2)
    expect(dirtyKeys(await a.state())).toEqual([])
  })

  // The pushed edit remembers what it sent: the delete made since is based on the version that landed,
  // not taken for an edit back to an empty base.
  it('a delete made after a lost, committed push of the same key is kept', async () => {
    const a = world.device('a')
    await a.put('k', 'v')
    world.emulator.faults.dropAfterCommit()
    // The listing after the lost answer fails too, so the sync ends before it can settle the write.
    beforeSend(a.client, 'UpdateRecordsCommand', async () => world.emulator.faults.failNext('ListRecords', { errorType: 'InternalErrorException', count: 5 }), 1)
    expect(E.isLeft(await a.sync({ limits: { maxRetries: 1 } }))).toBe(true)
    world.emulator.faults.reset()
    await a.remove('k')
    await a.synced()
    expect(await contents(a)).toEqual({})
  })

  it('is not replayed by the SDK, even by a client configured to retry', async () => {
    const a = world.device('a', { client: sdkClient(world.emulator.endpoint, { maxAttempts: 3 }) })
    await a.put('k', 'v')
    world.emulator.faults.dropAfterCommit()
    const report = await a.synced()
    expect(world.emulator.calls().map((call) => call.operation)).toEqual(['ListRecords', 'UpdateRecords', 'ListRecords'])
    expect(report.confirmedAfterLoss).toEqual(['k'])
    expect(report.retries.some((retry) => retry.reason === 'Conflict')).toBe(false)
  })

  it('a server error on UpdateRecords is not replayed either: the adapter lists again', async () => {
    const a = world.device('a', { client: sdkClient(world.emulator.endpoint, { maxAttempts: 3 }) })
    await a.put('k', 'v')
    world.emulator.faults.failNext('UpdateRecords', { errorType: 'InternalErrorException' })
    const report = await a.synced()
    expect(world.emulator.calls().map((call) => [call.operation, call.status])).toEqual([
      ['ListRecords', 200],
      ['UpdateRecords', 500],
      ['ListRecords', 200],
      ['UpdateRecords', 200],
    ])
    expect(report.pushed).toEqual(['k'])
  })
})

describe('transient failures', () => {
  it('a 5xx burst on ListRecords backs off and retries the page', async () => {
    const a = world.device('a')
    world.emulator.faults.failNext('ListRecords', { errorType: 'InternalErrorException', count: 3 })
    const report = await a.synced()
    expect(report.calls.ListRecords).toBe(4)
    expect(report.retries.map((retry) => retry.reason)).toEqual(['ServerError', 'ServerError', 'ServerError'])
    // Jittered exponential backoff with random 0.5, base 2 ms: 1, 2, 4 ms.
    expect(report.retries.map((retry) => retry.delayMs)).toEqual([1, 2, 4])
  })

  it('a 429 storm longer than the budget gives up with a typed error, local state untouched', async () => {
    const a = world.device('a')
    await a.put('k', 'v')
    world.emulator.faults.failNext('ListRecords', { errorType: 'TooManyRequestsException', count: 50 })
    const before = await a.state()
    const result = await a.sync({ limits: { maxRetries: 4, backoffBaseMs: 1, backoffMaxMs: 2 } })
    const last = world.emulator.calls().at(-1)
    expect(E.isLeft(result) && result.left).toMatchObject({
      _tag: 'RetriesExhausted',
      operation: 'ListRecords',
      attempts: 5,
      exception: 'TooManyRequestsException',
      $metadata: { httpStatusCode: 429, requestId: last?.requestId },
    })
    expect(world.calls('ListRecords')).toBe(5)
    expect(await a.state()).toEqual(before)
  })

  it('a throttled emulator is waited out', async () => {
    const a = world.device('a')
    const b = world.device('b')
    await a.put('k', 'v')
    await a.synced()
    world.emulator.faults.failNext('UpdateRecords', { errorType: 'TooManyRequestsException', count: 2 })
    await b.put('j', 'w')
    const report = await b.synced()
    expect(report.retries.map((retry) => [retry.operation, retry.reason])).toEqual([
      ['UpdateRecords', 'Throttled'],
      ['UpdateRecords', 'Throttled'],
    ])
    expect(report.calls).toEqual({ ListRecords: 3, UpdateRecords: 3 })
    expect(dirtyKeys(await b.state())).toEqual([])
  })

  it('an expired SyncSessionToken leads to a fresh ListRecords', async () => {
    const a = world.device('a')
    await a.put('k', 'v')
    beforeSend(
      a.client,
      'UpdateRecordsCommand',
      async () => {
        emulatorNow += 5000
      },
      1,
    )
    const report = await a.synced()
    expect(report.retries.map(({ operation, reason }) => ({ operation, reason }))).toEqual([{ operation: 'UpdateRecords', reason: 'SessionExpired' }])
    expect(report.calls).toEqual({ ListRecords: 2, UpdateRecords: 2 })
    expect(dirtyKeys(await a.state())).toEqual([])
  })
})

describe('errors that are not retried', () => {
  it.each([
    ['UpdateRecords', 'LimitExceededException', 'ServiceLimitExceeded'],
    ['ListRecords', 'NotAuthorizedException', 'NotAuthorized'],
    ['UpdateRecords', 'InvalidParameterException', 'InvalidParameter'],
    ['UpdateRecords', 'ResourceNotFoundException', 'ServiceFailed'],
  ] as const)('%s answering %s: one call, a typed %s, local changes still dirty', async (operation, errorType, tag) => {
    const a = world.device('a')
    await a.put('k', 'v')
    world.emulator.faults.failNext(operation, { errorType })
    const result = await a.sync()
    const call = world.emulator.calls().find((entry) => entry.operation === operation)
    // The service's request id and status are kept, for a support case.
    expect(E.isLeft(result) && result.left).toMatchObject({ _tag: tag, operation, exception: errorType, $metadata: { httpStatusCode: call?.status, requestId: call?.requestId } })
    expect(E.isLeft(result) && result.left.message).toContain(`(request id ${call?.requestId})`)
    expect(world.calls(operation)).toBe(1)
    expect(dirtyKeys(await a.state())).toEqual(['k'])
  })
})

describe('an UpdateRecords failure with no rule of its own', () => {
  it('(No such SyncCount, which only a listing expects) is a ServiceFailed naming UpdateRecords; the edit stays dirty', async () => {
    const a = world.device('a')
    await a.put('k', 'v')
    world.emulator.faults.failNext('UpdateRecords', { errorType: 'InvalidParameterException', message: 'No such SyncCount: 3' })
    const result = await a.sync()
    expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'ServiceFailed', operation: 'UpdateRecords', exception: 'InvalidParameterException' })
    expect(E.isLeft(result) && result.left.message).toMatch(/^UpdateRecords: InvalidParameterException: No such SyncCount: 3 \(request id /)
    expect(dirtyKeys(await a.state())).toEqual(['k'])
  })
})

describe('malformed responses', () => {
  const bodies: ReadonlyArray<readonly [string, string]> = [
    ['bad JSON', '{"Records": ['],
    ['a wrong type', '{"Records":[{"Key":"k","SyncCount":"one"}],"DatasetSyncCount":1,"SyncSessionToken":"t"}'],
    ['a missing DatasetSyncCount', '{"Records":[],"SyncSessionToken":"t"}'],
    ['a NextToken that never moves', '{"Records":[],"DatasetSyncCount":0,"SyncSessionToken":"t","NextToken":"same"}'],
    ['a negative sync count', '{"Records":[{"Key":"k","Value":"v","SyncCount":-1}],"DatasetSyncCount":1,"SyncSessionToken":"t"}'],
  ]

  /** A server that answers every request 200 with `body(method)`. */
  const rawServer = async (body: (method: string) => string): Promise<{ endpoint: string; server: Server }> => {
    const server = createServer((req, res) => {
      req.resume()
      res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': 'raw-1' })
      res.end(body(req.method ?? ''))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }
  }

  it.each(bodies)('%s from ListRecords is a typed error and the local state is untouched', async (_name, body) => {
    const { endpoint, server } = await rawServer(() => body)
    const client = sdkClient(endpoint)
    const store = memoryStore()
    try {
      const result = await sync({ client, identityPoolId: pool, identityId: alice, datasetName, deviceId: 'a', store, strategy: lastWriterWins })()
      expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'MalformedResponse', operation: 'ListRecords' })
      expect(await store.datasets()()).toEqual(E.right([]))
    } finally {
      client.destroy()
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('says where, as the wire names it, with one prefix and the request id', async () => {
    const listing = '{"Records":[{"Key":"a","SyncCount":1},{"Key":"b","SyncCount":1},{"Key":"c","SyncCount":1},{"Key":"d","SyncCount":-1}],"DatasetSyncCount":1,"SyncSessionToken":"t"}'
    const { endpoint, server } = await rawServer(() => listing)
    const client = sdkClient(endpoint)
    try {
      const result = await sync({ client, identityPoolId: pool, identityId: alice, datasetName, deviceId: 'a', store: memoryStore(), strategy: lastWriterWins })()
      expect(E.isLeft(result) && result.left).toMatchObject({
        _tag: 'MalformedResponse',
        issues: [{ path: 'Records.3.SyncCount', expected: 'SyncCount', got: '-1' }],
        $metadata: { httpStatusCode: 200, requestId: 'raw-1' },
        message: 'Malformed ListRecords response (request id raw-1): at Records.3.SyncCount: must be a non-negative integer; got -1',
      })
    } finally {
      client.destroy()
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('a NextToken that repeats the one asked for is refused with the token it repeats', async () => {
    const page = (token: string) => `{"Records":[],"DatasetSyncCount":0,"SyncSessionToken":"t","NextToken":"${token}"}`
    const { endpoint, server } = await rawServer(() => page('same'))
    const client = sdkClient(endpoint)
    try {
      const result = await sync({ client, identityPoolId: pool, identityId: alice, datasetName, deviceId: 'a', store: memoryStore(), strategy: lastWriterWins })()
      // no decode issue: the page is well formed, only the token is wrong
      expect(E.isLeft(result) && result.left).toMatchObject({
        _tag: 'MalformedResponse',
        operation: 'ListRecords',
        issues: [],
        message: 'Malformed ListRecords response (request id raw-1): NextToken same repeats the one asked for',
      })
    } finally {
      client.destroy()
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it.each([
    ['the first page', true, false],
    ['the last page', false, true],
  ])('pages that disagree: a page without Records lists none, and a deletion flagged on %s alone counts', async (_name, first, last) => {
    const pages = [
      `{"Records":[{"Key":"k","Value":"v","SyncCount":4}],"DatasetSyncCount":4,"SyncSessionToken":"t","NextToken":"p2","DatasetDeletedAfterRequestedSyncCount":${first}}`,
      `{"DatasetSyncCount":4,"SyncSessionToken":"t","DatasetDeletedAfterRequestedSyncCount":${last}}`,
    ]
    const listing = `{"DatasetSyncCount":4,"SyncSessionToken":"t"}`
    let calls = 0
    const { endpoint, server } = await rawServer(() => pages[calls++] ?? listing)
    const a = world.device('a', { client: sdkClient(endpoint) })
    try {
      // a device that synced up to count 2 before: the listing from there says the dataset was deleted since
      await a.store.modify(datasetName as never, () => E.right([undefined, stateOf([{ key: 'k', server: { content: 'old', syncCount: 2 } }], 2)] as const))()
      const result = await a.sync()
      expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'DatasetDeleted', lastSyncCount: 2, dirtyKeys: [] })
      expect(calls).toBe(2)
    } finally {
      a.client.destroy()
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('a listing whose pages carry no Records at all adopts nothing and succeeds', async () => {
    const { endpoint, server } = await rawServer((method) => (method === 'GET' ? '{"DatasetSyncCount":0,"DatasetExists":false,"SyncSessionToken":"t"}' : '{}'))
    const a = world.device('a', { client: sdkClient(endpoint) })
    try {
      const result = await a.sync()
      expect(E.isRight(result) && result.right.adopted).toEqual([])
    } finally {
      a.client.destroy()
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('a malformed UpdateRecords answer is a typed error; the edit stays dirty', async () => {
    const listing = '{"Records":[],"DatasetSyncCount":0,"DatasetExists":false,"SyncSessionToken":"t"}'
    const { endpoint, server } = await rawServer((method) => (method === 'GET' ? listing : '{"Records":[{"Key":"k","SyncCount":"one"}]}'))
    const a = world.device('a', { client: sdkClient(endpoint) })
    try {
      await a.put('k', 'v')
      const result = await a.sync()
      expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'MalformedResponse', operation: 'UpdateRecords' })
      expect(dirtyKeys(await a.state())).toEqual(['k'])
    } finally {
      a.client.destroy()
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
