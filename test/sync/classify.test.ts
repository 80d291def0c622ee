/**
 * How a thrown error is read (`classify`), for the shapes the emulator never sends as well as those it
 * does; and what a 409 without a key name costs a sync: every key it sent counts as the stale one.
 */
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { classify, responseMetadata } from '../../src/sync/index.js'
import { useWorld } from './harness.js'

const sdkError = (name: string, message: string, httpStatusCode?: number, requestId?: string) =>
  Object.assign(new Error(message), { name, $metadata: { ...(httpStatusCode !== undefined && { httpStatusCode }), ...(requestId !== undefined && { requestId }) } })

describe('classify', () => {
  it('reads the stale key from the 409 message, whatever the counts and the key', () => {
    expect(classify('UpdateRecords', sdkError('InvalidParameterException', 'Current SyncCount for: score is: 12 not: 10', 400))).toEqual({
      _tag: 'Conflict',
      keys: ['score'],
      message: 'Current SyncCount for: score is: 12 not: 10',
      from: { exception: 'InvalidParameterException', $metadata: { httpStatusCode: 400 } },
    })
    const odd = classify('UpdateRecords', sdkError('ResourceConflictException', 'Current SyncCount for: a: b is: 1234 not: 999', 409))
    expect(odd._tag === 'Conflict' && odd.keys).toEqual(['a: b'])
  })

  it('a 409 whose message names no key is a conflict on no named key', () => {
    expect(classify('UpdateRecords', sdkError('ResourceConflictException', 'Conflict', 409, 'r-1'))).toEqual({
      _tag: 'Conflict',
      keys: [],
      message: 'Conflict',
      from: { exception: 'ResourceConflictException', $metadata: { httpStatusCode: 409, requestId: 'r-1' } },
    })
  })

  it('an expired session and a missing sync count are told apart by their messages', () => {
    expect(classify('UpdateRecords', sdkError('InvalidParameterException', 'SyncSessionToken not valid.', 400))._tag).toBe('SessionExpired')
    expect(classify('ListRecords', sdkError('InvalidParameterException', 'No such SyncCount: 7', 400))._tag).toBe('NoSuchSyncCount')
  })

  it('throttling, by name alone (no response) or by status alone (an unknown name)', () => {
    for (const name of ['TooManyRequestsException', 'LambdaThrottledException', 'ThrottlingException']) {
      const byName = classify('ListRecords', sdkError(name, 'slow down'))
      expect(byName._tag === 'Transient' && byName.reason, name).toBe('Throttled')
    }
    const byStatus = classify('ListRecords', sdkError('SomethingNew', 'slow down', 429))
    expect(byStatus).toEqual({ _tag: 'Transient', reason: 'Throttled', message: 'slow down', from: { exception: 'SomethingNew', $metadata: { httpStatusCode: 429 } } })
  })

  it('a LimitExceededException is a quota, not throttling, though the SDK retries it as throttling', () => {
    const limit = classify('UpdateRecords', sdkError('LimitExceededException', 'too many records', 400))
    expect(limit._tag === 'Fatal' && limit.error._tag).toBe('ServiceLimitExceeded')
  })

  it('server errors are transient, by status', () => {
    for (const status of [500, 502, 503, 504]) {
      const failure = classify('ListRecords', sdkError('Whatever', 'down', status))
      expect(failure._tag === 'Transient' && failure.reason, String(status)).toBe('ServerError')
    }
  })

  it('a fatal error carries the operation, the exception, the status and request id, and says them in its message', () => {
    expect(classify('UpdateRecords', sdkError('NotAuthorizedException', 'Token expired', 403, 'r-9'))).toEqual({
      _tag: 'Fatal',
      error: {
        _tag: 'NotAuthorized',
        operation: 'UpdateRecords',
        exception: 'NotAuthorizedException',
        $metadata: { httpStatusCode: 403, requestId: 'r-9' },
        message: 'UpdateRecords: NotAuthorizedException: Token expired (request id r-9)',
      },
    })
    const invalid = classify('DeleteDataset', sdkError('InvalidParameterException', 'bad name', 400))
    expect(invalid._tag === 'Fatal' && invalid.error).toMatchObject({ _tag: 'InvalidParameter', operation: 'DeleteDataset', message: 'DeleteDataset: InvalidParameterException: bad name' })
    const other = classify('ListRecords', sdkError('ResourceNotFoundException', 'gone', 404))
    expect(other._tag === 'Fatal' && other.error).toMatchObject({ _tag: 'ServiceFailed', exception: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } })
  })

  it('a 2xx that threw is a malformed response, naming what the SDK said', () => {
    const failure = classify('ListRecords', sdkError('SyntaxError', 'Unexpected token <', 200, 'r-2'))
    expect(failure._tag === 'Fatal' && failure.error).toEqual({
      _tag: 'MalformedResponse',
      operation: 'ListRecords',
      issues: [],
      $metadata: { httpStatusCode: 200, requestId: 'r-2' },
      message: 'Malformed ListRecords response (request id r-2): SyntaxError: Unexpected token <',
    })
  })

  it('only a 2xx is a malformed response: a 3xx that threw is a service failure', () => {
    const tags = [199, 200, 299, 300, 399].map((status) => {
      const failure = classify('ListRecords', sdkError('Whatever', 'odd', status))
      return failure._tag === 'Fatal' ? failure.error._tag : failure._tag
    })
    expect(tags).toEqual(['ServiceFailed', 'MalformedResponse', 'MalformedResponse', 'ServiceFailed', 'ServiceFailed'])
  })

  it('the 409 message counts only from its start', () => {
    expect(classify('UpdateRecords', sdkError('InvalidParameterException', 'Not: Current SyncCount for: k is: 2 not: 1', 400))).toMatchObject({
      _tag: 'Fatal',
      error: { _tag: 'InvalidParameter' },
    })
  })

  it('a thrown value that is no SDK error is a network failure, with what was thrown as its message', () => {
    expect(classify('ListRecords', 'boom')).toEqual({ _tag: 'Transient', reason: 'NetworkError', message: 'boom', from: { exception: 'Unknown', $metadata: {} } })
    expect(classify('ListRecords', null)).toEqual({ _tag: 'Transient', reason: 'NetworkError', message: 'null', from: { exception: 'Unknown', $metadata: {} } })
    expect(classify('ListRecords', 42)).toMatchObject({ _tag: 'Transient', message: '42' })
    // a function has a name, but is no error: its name is not taken for an exception
    const thrownFunction = Object.assign(function ThrottlingException() {}, { $metadata: { httpStatusCode: 400 } })
    expect(classify('ListRecords', thrownFunction)).toMatchObject({ _tag: 'Transient', reason: 'NetworkError', from: { exception: 'Unknown', $metadata: {} } })
    expect(classify('ListRecords', new Error('socket hang up'))).toEqual({
      _tag: 'Transient',
      reason: 'NetworkError',
      message: 'Error: socket hang up',
      from: { exception: 'Error', $metadata: {} },
    })
  })

  it('responseMetadata keeps only members of the right type', () => {
    expect(responseMetadata({ $metadata: { httpStatusCode: '403', requestId: '', attempts: 2 } })).toEqual({ attempts: 2 })
    expect(responseMetadata({ $metadata: { httpStatusCode: 500, requestId: 7, attempts: '2' } })).toEqual({ httpStatusCode: 500 })
    expect(responseMetadata({ $metadata: null })).toEqual({})
    expect(responseMetadata(undefined)).toEqual({})
  })
})

describe('a 409 in a sync', () => {
  const world = useWorld()

  it('without a key name, counts every key it sent as stale', async () => {
    const a = world.device('a')
    await a.put('x', '1')
    await a.put('y', '2')
    world.emulator.faults.failNext('UpdateRecords', { errorType: 'ResourceConflictException', message: 'Conflict', count: 10 })
    const result = await a.sync({ limits: { maxConflictRounds: 2, backoffBaseMs: 1, backoffMaxMs: 1 } })
    expect(E.isLeft(result) && result.left).toMatchObject({
      _tag: 'ConflictRoundsExhausted',
      rounds: 2,
      keys: ['x', 'y'],
      exception: 'ResourceConflictException',
      $metadata: { httpStatusCode: 409 },
    })
    expect(world.calls('UpdateRecords')).toBe(2)
  })

  it('with a key name, counts that key only', async () => {
    const a = world.device('a')
    await a.put('x', '1')
    await a.put('y', '2')
    world.emulator.faults.failNext('UpdateRecords', { errorType: 'ResourceConflictException', message: 'Current SyncCount for: x is: 12 not: 10', count: 10 })
    const result = await a.sync({ limits: { maxConflictRounds: 2, backoffBaseMs: 1, backoffMaxMs: 1 } })
    expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'ConflictRoundsExhausted', keys: ['x'] })
  })
})
