// RemoteRecord and Listing, the codecs objectCodec and readonlyArrayOf write out: `is` and `decode` agree
// on every input, optional fields may be absent but not wrong, and a failure names each field it broke.
import { test } from '@fast-check/vitest'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { describe, expect, it } from 'vitest'
import { Listing, RemoteRecord, issuesOf } from 'cognito-reconcile'
import { objectCodec, readonlyArrayOf } from '../src/objectCodec.js'

const pathsOf = (result: E.Either<Parameters<typeof issuesOf>[0], unknown>): ReadonlyArray<string> =>
  E.isLeft(result) ? issuesOf(result.left).map((issue) => `${issue.path} ${issue.expected}`) : ['decoded']

const good = { Key: 'k', SyncCount: 1 }

describe('RemoteRecord (objectCodec)', () => {
  const taken: ReadonlyArray<object> = [
    good,
    { ...good, Value: '' },
    { Key: 'k', SyncCount: 0, Value: 'v', LastModifiedDate: new Date(1), LastModifiedBy: 'me', DeviceLastModifiedDate: new Date(2) },
    { ...good, Value: undefined }, // an optional field present as undefined is absent
    { ...good, Extra: 1 }, // fields no codec names are left alone
  ]
  const refused: ReadonlyArray<unknown> = [
    null,
    undefined,
    5,
    'k',
    [],
    [good],
    {},
    { Key: 'k' }, // a required field absent
    { SyncCount: 1 },
    { ...good, Key: undefined },
    { ...good, Key: '' }, // a required field wrong, the other right
    { ...good, SyncCount: -1 },
    { ...good, Value: 5 }, // an optional field present and wrong
    { ...good, Value: null },
    { ...good, LastModifiedDate: new Date(Number.NaN) },
    { ...good, LastModifiedBy: 7 },
    { ...good, DeviceLastModifiedDate: 3 },
  ]
  it('takes a record with its required fields and any of its optional ones, as decode and as is', () => {
    expect(taken.map((record) => RemoteRecord.decode(record))).toEqual(taken.map(E.right))
    expect(taken.map((record) => RemoteRecord.is(record))).toEqual(taken.map(() => true))
  })
  it('refuses a record with a required field absent or wrong, or an optional one wrong, and what is no object; is answers false', () => {
    expect(refused.filter((record) => E.isRight(RemoteRecord.decode(record)))).toEqual([])
    expect(refused.map((record) => RemoteRecord.is(record))).toEqual(refused.map(() => false))
  })
  it('a failure names every field it broke, at the field', () => {
    expect(pathsOf(RemoteRecord.decode({ Key: '', SyncCount: -1, Value: 5, LastModifiedBy: 'me' }))).toEqual(['Key RecordKey', 'SyncCount SyncCount', 'Value RecordValue'])
    expect(pathsOf(RemoteRecord.decode({}))).toEqual(['Key RecordKey', 'SyncCount SyncCount'])
  })
  it('what is no object fails as a whole, not field by field', () => {
    for (const input of [5, 'k', null, undefined, [good]]) expect(pathsOf(RemoteRecord.decode(input))).toEqual([' RemoteRecord'])
  })
})

describe('Listing (readonlyArrayOf)', () => {
  const listing = (records: unknown) => ({ records, datasetSyncCount: 3 })
  it('takes an array of records, the empty one included, as decode and as is', () => {
    for (const input of [listing([]), listing([good]), listing([good, { ...good, Key: 'j', Value: 'v' }])]) {
      expect(Listing.decode(input)).toEqual(E.right(input))
      expect(Listing.is(input)).toBe(true)
    }
  })
  it('refuses records that are no array, or an array with any record refused; is answers false', () => {
    const refused = [listing(good), listing('kk'), listing(null), listing({ length: 0 }), listing([{ ...good, Key: '' }]), listing([good, { ...good, SyncCount: -1 }]), listing([good, 5])]
    expect(refused.filter((input) => E.isRight(Listing.decode(input)))).toEqual([])
    expect(refused.map((input) => Listing.is(input))).toEqual(refused.map(() => false))
  })
  it('a failure names each refused record by its index, and records that are no array as a whole', () => {
    expect(pathsOf(Listing.decode(listing([{ ...good, SyncCount: -1 }, good, { Key: '', SyncCount: 1 }])))).toEqual([
      'records.0.SyncCount SyncCount',
      'records.2.Key RecordKey',
    ])
    for (const records of ['kk', {}, null]) expect(pathsOf(Listing.decode(listing(records)))).toEqual(['records ReadonlyArray<RemoteRecord>'])
  })
})

describe('objectCodec and readonlyArrayOf decide as the io-ts combinators they write out', () => {
  const Item = objectCodec<{ a: string; b?: number }>('Item', [
    ['a', t.string, false],
    ['b', t.number, true],
  ])
  const IoTsItem = t.intersection([t.type({ a: t.string }), t.partial({ b: t.number })])
  const Items = readonlyArrayOf(Item)
  const IoTsItems = t.readonlyArray(IoTsItem)
  /** Plain objects with or without `a` and `b`, right or wrong, and anything else. */
  const item = fc.record({ a: fc.oneof(fc.string(), fc.integer(), fc.constant(undefined)), b: fc.oneof(fc.integer(), fc.string(), fc.constant(undefined)) }, { requiredKeys: [] })
  const input = fc.oneof(item, fc.array(item, { maxLength: 3 }), fc.array(fc.anything(), { maxLength: 2 }), fc.anything())
  const fieldIssues = (result: E.Either<t.Errors, unknown>): ReadonlyArray<string> =>
    E.isLeft(result) ? issuesOf(result.left).filter((issue) => issue.path !== '' && !/^\d+$/.test(issue.path)).map((issue) => `${issue.path} ${issue.rule}`) : []

  test.prop([input])('the same inputs taken, by decode and by is; the same field issues', (u) => {
    expect(E.isRight(Item.decode(u))).toBe(E.isRight(IoTsItem.decode(u)))
    expect(Item.is(u)).toBe(IoTsItem.is(u))
    expect(fieldIssues(Item.decode(u))).toEqual(fieldIssues(IoTsItem.decode(u)))
    expect(Items.decode(u)).toEqual(E.isRight(IoTsItems.decode(u)) ? E.right(u) : expect.objectContaining({ _tag: 'Left' }))
    expect(Items.is(u)).toBe(IoTsItems.is(u))
    expect(fieldIssues(Items.decode(u))).toEqual(fieldIssues(IoTsItems.decode(u)))
  })
  it('an array of items decodes to itself, the empty one included', () => {
    for (const items of [[], [{ a: 'x' }], [{ a: 'x', b: 1 }, { a: 'y' }]]) expect(Items.decode(items)).toEqual(E.right(items))
  })
})
