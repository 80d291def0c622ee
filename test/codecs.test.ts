// The service's limits, at their edges, and decode failures as readable values.
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { type LocalRecord, DatasetName, DeviceId, IdentityId, Listing, LocalStateJson, RecordKey, RecordValue, SyncCount, decodeWith, stateOf } from 'cognito-reconcile'

const ok = (result: E.Either<unknown, unknown>) => E.isRight(result)

describe('codecs', () => {
  it('DatasetName: 1–128 of [a-zA-Z0-9_.:-], the colon of merged datasets included', () => {
    expect(ok(DatasetName.decode('game.us-east-1:0000-aaaa'))).toBe(true)
    expect(ok(DatasetName.decode('d'.repeat(128)))).toBe(true)
    expect([DatasetName.decode('d'.repeat(129)), DatasetName.decode(''), DatasetName.decode('a b'), DatasetName.decode('ä')].some(ok)).toBe(false)
  })
  it('RecordKey: 1–1024 characters of anything', () => {
    expect(ok(RecordKey.decode('__proto__')) && ok(RecordKey.decode('k'.repeat(1024)))).toBe(true)
    expect(ok(RecordKey.decode('')) || ok(RecordKey.decode('k'.repeat(1025)))).toBe(false)
  })
  it('RecordValue: up to 1,048,575 characters, the empty string included', () => {
    expect(ok(RecordValue.decode('')) && ok(RecordValue.decode('v'.repeat(1_048_575)))).toBe(true)
    expect(ok(RecordValue.decode('v'.repeat(1_048_576))) || ok(RecordValue.decode(null))).toBe(false)
  })
  it('SyncCount: non-negative safe integers', () => {
    expect(ok(SyncCount.decode(0)) && ok(SyncCount.decode(Number.MAX_SAFE_INTEGER))).toBe(true)
    expect([-1, 1.5, Number.NaN, Infinity, '1'].map((n) => SyncCount.decode(n)).some(ok)).toBe(false)
  })
  it('DeviceId and IdentityId follow the service model', () => {
    expect(ok(DeviceId.decode('d'.repeat(256))) && !ok(DeviceId.decode('d'.repeat(257)))).toBe(true)
    expect(ok(IdentityId.decode('us-east-1:0f2a-77')) && !ok(IdentityId.decode('us-east-1:XYZ'))).toBe(true)
  })
  it('a decode failure says where, what was expected and what was found', () => {
    const result = decodeWith(Listing, 'ListRecords response')({ records: [{ Key: 'k', SyncCount: -2 }], datasetSyncCount: 1 })
    expect(result).toMatchObject(E.left({ _tag: 'DecodeError', what: 'ListRecords response' }))
    if (E.isLeft(result)) {
      expect(result.left.issues).toContainEqual({ path: 'records.0.0.SyncCount', expected: 'SyncCount', got: '-2' })
      expect(result.left.message).toContain('at records.0.0.SyncCount: expected SyncCount, got -2')
    }
  })
  it('a listing with an invalid date is refused rather than compared as NaN', () => {
    expect(ok(Listing.decode({ records: [{ Key: 'k', SyncCount: 1, LastModifiedDate: new Date(Number.NaN) }], datasetSyncCount: 1 }))).toBe(false)
  })
  it('LocalStateJson round-trips through JSON and refuses junk', () => {
    const state = stateOf([{ key: 'k', server: { content: null, syncCount: 2, lastModifiedDate: new Date(7) }, pending: { content: '', deviceLastModifiedDate: new Date(8), sent: { content: 'x', deviceLastModifiedDate: new Date(6) } } } as LocalRecord], 2)
    expect(LocalStateJson.decode(JSON.parse(JSON.stringify(LocalStateJson.encode(state))))).toEqual(E.right(state))
    expect(ok(LocalStateJson.decode({ records: [{ key: '' }], lastSyncCount: 0 }))).toBe(false)
  })
})
