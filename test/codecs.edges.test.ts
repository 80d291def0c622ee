// The codecs at the edges their rules draw: what is refused just outside, what is taken just inside.
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { DateFromEpochMillis, IdentityId, LocalStateJson, RecordPatch, patchFor } from 'cognito-reconcile'
import { JsonStringSet, jsonSetUnion, lastWriterWins } from 'cognito-reconcile/strategies'

const ok = (result: E.Either<unknown, unknown>) => E.isRight(result)

describe('JsonStringSet and jsonSetUnion', () => {
  it('take a JSON array of strings only', () => {
    expect(JsonStringSet.decode('["b","a","b"]')).toEqual(E.right(new Set(['b', 'a'])))
    expect(ok(JsonStringSet.decode('[]'))).toBe(true)
    expect(['[1]', '["a",2]', '[null]', '[["a"]]', '{"a":1}', '"a"', 'not json', ''].filter((text) => ok(JsonStringSet.decode(text)))).toEqual([])
    expect(JsonStringSet.is(new Set(['a'])) && !JsonStringSet.is(new Set([1])) && !JsonStringSet.is(['a'])).toBe(true)
  })
  it('a set holding a non-string is no set to merge: the fallback decides', () => {
    const local = { content: '["a",1]', deviceLastModifiedDate: new Date(2) }
    const remote = { content: '["b"]', deviceLastModifiedDate: new Date(1) }
    const decision = jsonSetUnion().decide({ key: 'tags', local, remote } as never)
    expect(decision).toEqual(lastWriterWins.decide({ key: 'tags', local, remote } as never))
    expect(decision._tag === 'Some' && decision.value.resolution._tag).toBe('KeepLocal')
  })
})

describe('DateFromEpochMillis', () => {
  it('takes the epoch milliseconds a Date can hold, and encodes back to them', () => {
    for (const ms of [0, -1, 1.5, 8.64e15, -8.64e15]) {
      const decoded = DateFromEpochMillis.decode(ms)
      expect(E.isRight(decoded) && decoded.right.getTime()).toBe(Math.trunc(ms))
    }
    expect(DateFromEpochMillis.encode(new Date(42))).toBe(42)
  })
  it('refuses what is no date: non-finite numbers, numbers past what a Date holds, and non-numbers', () => {
    expect([Infinity, -Infinity, Number.NaN, 8.64e15 + 1, -8.64e15 - 1, 1e17, '5', null, new Date(5)].filter((u) => ok(DateFromEpochMillis.decode(u)))).toEqual([])
  })
  it('so a stored state with such a date is refused, not read as an Invalid Date', () => {
    expect(ok(LocalStateJson.decode({ records: [{ key: 'k', pending: { content: 'v', deviceLastModifiedDate: 1e17 } }], lastSyncCount: 0 }))).toBe(false)
  })
})

describe('IdentityId', () => {
  it('is the whole string: region:GUID, with nothing before or after', () => {
    expect(ok(IdentityId.decode('us-east-1:0f2a-77'))).toBe(true)
    expect(['x us-east-1:0f2a', 'us-east-1:0f2a x', 'us-east-1:0f2a\n', ' us-east-1:0f2a', 'us-east-1:', ':0f2a', 'us east-1:0f2a', 'us-east-1:0f2a:0f2a'].filter((id) => ok(IdentityId.decode(id)))).toEqual([])
  })
  it('is 1–55 characters', () => {
    const id = (length: number) => `us-east-1:${'a'.repeat(length - 'us-east-1:'.length)}`
    expect(ok(IdentityId.decode(id(55))) && !ok(IdentityId.decode(id(56)))).toBe(true)
  })
})

describe('RecordPatch', () => {
  it('takes the patches the adapter builds: a replace with its value, a remove without one', () => {
    const replace = patchFor('k' as never, 'v', 3 as never, new Date(9))
    const remove = patchFor('k' as never, null, 3 as never, new Date(9))
    expect(RecordPatch.decode(replace)).toEqual(E.right(replace))
    expect(RecordPatch.decode(remove)).toEqual(E.right(remove))
    expect(remove).not.toHaveProperty('Value')
  })
  it('refuses another operation, a bad key, count or value, and an invalid date', () => {
    const good = { Op: 'replace', Key: 'k', Value: 'v', SyncCount: 0 }
    expect(ok(RecordPatch.decode(good))).toBe(true)
    const bad = [
      { ...good, Op: 'update' },
      { ...good, Key: '' },
      { ...good, SyncCount: -1 },
      { ...good, Value: 'v'.repeat(1_048_576) },
      { ...good, DeviceLastModifiedDate: new Date(Number.NaN) },
      { Op: 'remove', Key: 'k' },
    ]
    expect(bad.filter((patch) => ok(RecordPatch.decode(patch)))).toEqual([])
  })
})
