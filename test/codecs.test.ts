// The service's limits, at their edges, and decode failures as readable values.
import * as E from 'fp-ts/lib/Either.js'
import type * as t from 'io-ts'
import { PathReporter } from 'io-ts/lib/PathReporter.js'
import { describe, expect, it } from 'vitest'
import {
  type LocalRecord,
  ClientContext,
  Content,
  CounterText,
  DatasetName,
  DateFromEpochMillis,
  DeviceId,
  IdentityId,
  Listing,
  LocalRecordJson,
  LocalStateJson,
  OfficialClientRecordKey,
  RecordKey,
  RecordPatch,
  RecordValue,
  RemoteRecord,
  SyncCount,
  ValidDate,
  decodeErrorFrom,
  decodeWith,
  issuesOf,
  stateOf,
} from 'cognito-reconcile'

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
  it('a decode failure says where (as the input names it, no intersection or union indices), which rule and what was found', () => {
    const result = decodeWith(Listing, 'listing')({ records: [{ Key: 'k', SyncCount: 1 }, { Key: 'k', SyncCount: -2, Value: 7 }], datasetSyncCount: 1 })
    expect(result).toMatchObject(E.left({ _tag: 'DecodeError', what: 'listing' }))
    if (E.isLeft(result)) {
      expect(result.left.issues).toEqual([
        { path: 'records.1.SyncCount', expected: 'SyncCount', rule: 'be a non-negative integer', got: '-2' },
        { path: 'records.1.Value', expected: 'RecordValue', rule: 'be at most 1,048,575 characters (1 MB − 1, the service limit)', got: '7' },
      ])
      expect(result.left.message).toMatch(/^Invalid listing: at records\.1\.SyncCount: must be a non-negative integer; got -2; at records\.1\.Value: /)
    }
  })
  it('a value no member of a union takes breaks the union\'s rule, once', () => {
    const result = decodeWith(LocalStateJson, 'local state')({ records: [{ key: 'k', server: { content: 5, syncCount: 1 } }], lastSyncCount: 1 })
    expect(E.isLeft(result) && result.left.issues.filter((issue) => issue.path.endsWith('content'))).toEqual([
      { path: 'records.0.server.content', expected: 'Content', rule: 'be a value of at most 1,048,575 characters, or null for a deleted record', got: '5' },
    ])
  })
  describe('each limit is stated with what to do', () => {
    const message = (codec: t.Decoder<unknown, unknown>, what: string, input: unknown): string => {
      const result = codec.decode(input)
      return E.isLeft(result) ? decodeErrorFrom(what, result.left).message : 'decoded'
    }
    it.each([
      ['a dataset name with a space', DatasetName, 'dataset name', 'my dataset', 'Invalid dataset name: must be 1–128 characters of [a-zA-Z0-9_.:-]; got "my dataset" (a space is not allowed). Use letters, digits and _ . : - only (no spaces), at most 128 of them.'],
      ['a dataset name too long', DatasetName, 'dataset name', 'd'.repeat(129), '(129 characters)'],
      ['a key too long', RecordKey, 'record key', 'k'.repeat(1025), 'must be 1–1,024 characters (the service limit); got "kkk'],
      ['a key too long, its size', RecordKey, 'record key', 'k'.repeat(1025), 'kkk… (1,025 characters). Use a non-empty key'],
      ['a key the official clients refuse', OfficialClientRecordKey, 'record key', 'ä', `must be 1–128 characters of [a-zA-Z0-9_.:-] (the official clients' key rule, keyRule 'officialClients'); got "ä" ("ä" is not allowed)`],
      ['a value over 1 MB', RecordValue, 'record value', 'v'.repeat(1_048_576), '(1,048,576 characters). Split the value over several keys (the whole dataset holds at most 1 MB)'],
      ['an empty device id', DeviceId, 'device id', '', 'Invalid device id: must be 1–256 characters; got "" (empty). Pass a stable id'],
      ['a user pool id as identity pool id', IdentityId, 'identity pool id', 'us-east-1_AbC123', 'got "us-east-1_AbC123" (this is a Cognito user pool id; Cognito Sync takes the identity pool id, region:GUID'],
      ['an identity id in upper case', IdentityId, 'identity id', 'us-east-1:23EC4050-6AEA', '(the GUID must be in lowercase hex)'],
    ] as const)('%s', (_case, codec, what, input, expected) => {
      expect(message(codec, what, input)).toContain(expected)
    })
  })
  it('a listing with an invalid date is refused rather than compared as NaN', () => {
    expect(ok(Listing.decode({ records: [{ Key: 'k', SyncCount: 1, LastModifiedDate: new Date(Number.NaN) }], datasetSyncCount: 1 }))).toBe(false)
  })
  it('LocalStateJson round-trips through JSON and refuses junk', () => {
    const state = stateOf([{ key: 'k', server: { content: null, syncCount: 2, lastModifiedDate: new Date(7) }, pending: { content: '', deviceLastModifiedDate: new Date(8), sent: { content: 'x', deviceLastModifiedDate: new Date(6) } } } as LocalRecord], 2)
    expect(LocalStateJson.decode(JSON.parse(JSON.stringify(LocalStateJson.encode(state))))).toEqual(E.right(state))
    expect(ok(LocalStateJson.decode({ records: [{ key: '' }], lastSyncCount: 0 }))).toBe(false)
  })
  it('a listing needs both its records and its sync count: either missing is refused where it is missing', () => {
    const missing = (input: unknown) => {
      const result = Listing.decode(input)
      return E.isLeft(result) ? issuesOf(result.left).map((issue) => `${issue.path}: ${issue.rule}`) : ['decoded']
    }
    expect(missing({ datasetSyncCount: 1 })).toEqual(['records: be ReadonlyArray<RemoteRecord>'])
    expect(missing({ records: [] })).toEqual(['datasetSyncCount: be a non-negative integer'])
    expect(Listing.is({ datasetSyncCount: 1 }) || Listing.is({ records: [] })).toBe(false)
    expect(missing({ records: [], datasetSyncCount: 0 })).toEqual(['decoded'])
  })
})

describe('every exported codec names itself: the name io-ts reporters print, and the expected of a refusal', () => {
  // refused by the codec's own check, at the top of the input
  const refusingThemselves = [
    ['DatasetName', DatasetName, 'a b'],
    ['RecordKey', RecordKey, ''],
    ['RecordValue', RecordValue, 5],
    ['SyncCount', SyncCount, -1],
    ['Content', Content, 5],
    ['ValidDate', ValidDate, new Date(Number.NaN)],
    ['DateFromEpochMillis', DateFromEpochMillis, '5'],
    ['DeviceId', DeviceId, ''],
    ['IdentityId', IdentityId, 'us-east-1_AbC123'],
    ['OfficialClientRecordKey', OfficialClientRecordKey, 'ä'],
    ['ClientContext', ClientContext, '{}'],
    ['RemoteRecord', RemoteRecord, 5],
    ['Listing', Listing, 5],
    ['LocalState', LocalStateJson, 5],
    ['CounterText', CounterText, '[]'],
  ] as const
  // intersections: their members refuse, each under the intersection's name
  const intersections = [
    ['RecordPatch', RecordPatch, 5],
    ['LocalRecord', LocalRecordJson, 5],
  ] as const
  it.each([...refusingThemselves, ...intersections])('%s', (name, codec: t.Decoder<unknown, unknown>, refused) => {
    expect(codec.name).toBe(name)
    const report = PathReporter.report(codec.decode(refused))
    expect(report.length).toBeGreaterThan(0)
    for (const line of report) expect(line).toMatch(new RegExp(`^Invalid value .* supplied to : ${name}(/|$)`))
  })
  it.each(refusingThemselves)('%s, as the expected of its refusal', (name, codec: t.Decoder<unknown, unknown>, refused) => {
    const result = codec.decode(refused)
    expect(E.isLeft(result) && issuesOf(result.left).map((issue) => [issue.path, issue.expected])).toEqual([['', name]])
  })
})
