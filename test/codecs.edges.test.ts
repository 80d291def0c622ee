// The codecs at the edges their rules draw: what is refused just outside, what is taken just inside.
import * as E from 'fp-ts/lib/Either.js'
import type * as t from 'io-ts'
import { describe, expect, it } from 'vitest'
import { ClientContext, DatasetName, DateFromEpochMillis, DeviceId, IdentityId, LocalStateJson, OfficialClientRecordKey, RecordKey, RecordPatch, decodeWith, issuesOf, patchFor, recordKeyOf } from 'cognito-reconcile'
import { JsonStringSet, jsonSetUnion, lastWriterWins } from 'cognito-reconcile/strategies'

const ok = (result: E.Either<unknown, unknown>) => E.isRight(result)

/** What a decode failure says it found: the rendered value, and the hint in parentheses if any. */
const got = (codec: t.Decoder<unknown, unknown>, input: unknown): ReadonlyArray<string> => {
  const result = codec.decode(input)
  return E.isLeft(result) ? issuesOf(result.left).map((issue) => issue.got) : ['decoded']
}

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
  it('is: a valid Date, the type it decodes to; the refusal states the rule', () => {
    expect([new Date(5), new Date(-8.64e15)].map((u) => DateFromEpochMillis.is(u))).toEqual([true, true])
    expect([new Date(Number.NaN), 5, '5', null].map((u) => DateFromEpochMillis.is(u))).toEqual([false, false, false, false])
    const result = decodeWith(DateFromEpochMillis, 'device date')('5')
    expect(E.isLeft(result) && result.left.message).toBe('Invalid device date: must be a date in epoch milliseconds; got "5"')
  })
  it('so a stored state with such a date is refused, not read as an Invalid Date', () => {
    expect(ok(LocalStateJson.decode({ records: [{ key: 'k', pending: { content: 'v', deviceLastModifiedDate: 1e17 } }], lastSyncCount: 0 }))).toBe(false)
  })
})

describe('IdentityId', () => {
  it('names the mistake it recognises, and only that one', () => {
    expect(got(IdentityId, 'us-east-1')).toEqual(['"us-east-1" (no ":" between region and GUID)'])
    expect(got(IdentityId, '0f9a3c5e')).toEqual(['"0f9a3c5e" (no ":" between region and GUID)'])
    expect(got(IdentityId, '')).toEqual(['"" (empty)'])
    expect(got(IdentityId, `us-east-1:${'a'.repeat(46)}`)).toEqual([`"us-east-1:${'a'.repeat(46)}" (56 characters)`])
    expect(got(IdentityId, 'us-east-1:0F2A')).toEqual(['"us-east-1:0F2A" (the GUID must be in lowercase hex)'])
    // a colon, but not region:GUID as a whole: no hint rather than a wrong one
    for (const id of ['us-east-1:xyz', 'us east-1:0F2A', 'us-east-1:0F2A x', 'us-east-1:0F2A\n']) expect(got(IdentityId, id)).toEqual([JSON.stringify(id)])
  })
  it('recognises a user pool id of any region, the whole of it and nothing around it', () => {
    const userPool = 'this is a Cognito user pool id; Cognito Sync takes the identity pool id, region:GUID, from the Identity pools page of the Cognito console'
    // a region of two hyphens and one of three, a number of two digits
    for (const id of ['us-east-1_AbC123', 'eu-central-1_x', 'us-gov-west-1_AbC123', 'ap-southeast-12_9z']) expect(got(IdentityId, id)).toEqual([`${JSON.stringify(id)} (${userPool})`])
    // something before it or after it: not a user pool id, so no colon is what is wrong
    for (const id of ['Xus-east-1_AbC123', 'us-east-1_AbC123!', 'us-east-1_', 'us-east_AbC123']) expect(got(IdentityId, id)).toEqual([`${JSON.stringify(id)} (no ":" between region and GUID)`])
  })
  it('says the rule, the mistake, and what to pass instead', () => {
    const result = decodeWith(IdentityId, 'identity pool id')('us-east-1')
    expect(E.isLeft(result) && result.left.message).toBe(
      'Invalid identity pool id: must be region:GUID, 1–55 characters matching [\\w-]+:[0-9a-f-]+ (for example us-east-1:0f9a3c5e-2b4d-4c6e-8f10-1a2b3c4d5e6f); got "us-east-1" (no ":" between region and GUID). Pass the identity pool id and the identity id from Cognito Identity (GetId), not a user pool id or a user name.',
    )
  })
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

describe('the hints of the string codecs', () => {
  it('a value that is no string at all gets the rule and no hint, never a throw', () => {
    const codecs: ReadonlyArray<t.Decoder<unknown, unknown>> = [DatasetName, DeviceId, IdentityId, RecordKey, OfficialClientRecordKey]
    for (const codec of codecs) {
      expect([5, null, undefined, {}, true].map((input) => got(codec, input)), codec.name).toEqual([['5'], ['null'], ['nothing'], ['{}'], ['true']])
    }
  })
  it('at exactly the longest length, the hint names the character, not the length', () => {
    expect(got(DatasetName, `${'d'.repeat(127)} `)).toEqual([`"${'d'.repeat(59)}… (a space is not allowed)`])
    expect(got(OfficialClientRecordKey, `${'k'.repeat(127)}ä`)).toEqual([`"${'k'.repeat(59)}… ("ä" is not allowed)`])
  })
})

describe('OfficialClientRecordKey and recordKeyOf', () => {
  const inside = ['k', 'settings.theme', 'us-east-1:0f2a_x-y', 'k'.repeat(128)]
  const outside = ['', 'k'.repeat(129), 'k'.repeat(1025), 'my key', 'ä', 'a/b', '😀', 5, null, undefined, ['k']]
  it('take 1–128 characters of [a-zA-Z0-9_.:-] and refuse everything else, as decode and as is', () => {
    expect(inside.filter((key) => !ok(OfficialClientRecordKey.decode(key)) || !OfficialClientRecordKey.is(key))).toEqual([])
    expect(inside.map((key) => OfficialClientRecordKey.decode(key))).toEqual(inside.map(E.right))
    expect(outside.filter((key) => ok(OfficialClientRecordKey.decode(key)))).toEqual([])
    expect(outside.filter((key) => OfficialClientRecordKey.is(key))).toEqual([])
  })
  it('every key of the official clients is a RecordKey, and a RecordKey past their rule is not theirs', () => {
    expect(inside.every((key) => RecordKey.is(key))).toBe(true)
    expect(['k'.repeat(129), 'my key', 'ä'].filter((key) => RecordKey.is(key) && !OfficialClientRecordKey.is(key))).toHaveLength(3)
  })
  it('the refusal says what to do: keep to the official rule, or choose the service\'s', () => {
    const result = decodeWith(OfficialClientRecordKey, 'record key')('my key')
    expect(E.isLeft(result) && result.left.message).toBe(
      `Invalid record key: must be 1–128 characters of [a-zA-Z0-9_.:-] (the official clients' key rule, keyRule 'officialClients'); got "my key" (a space is not allowed). Use letters, digits and _ . : - only, at most 128 of them, or keyRule 'service' if no device runs an official client.`,
    )
  })
  it("recordKeyOf('service') takes any 1–1,024 characters; recordKeyOf('officialClients') only the official clients' keys", () => {
    for (const key of ['my key', 'ä', 'k'.repeat(1024)]) {
      expect(ok(recordKeyOf('service').decode(key)) && !ok(recordKeyOf('officialClients').decode(key))).toBe(true)
    }
    expect(ok(recordKeyOf('service').decode('settings')) && ok(recordKeyOf('officialClients').decode('settings'))).toBe(true)
    expect(ok(recordKeyOf('service').decode('')) || ok(recordKeyOf('officialClients').decode(''))).toBe(false)
  })
})

describe('ClientContext', () => {
  const base64Of = (text: string): string => Buffer.from(text, 'utf8').toString('base64')
  it('takes a JSON object, UTF-8, base64-encoded with padding', () => {
    const taken = [base64Of('{}'), base64Of('{"client":{"app_title":"game"}}'), base64Of('{"a":1}'), base64Of('{"title":"Spiel für Zwei"}')]
    expect(taken.filter((context) => !ok(ClientContext.decode(context)) || !ClientContext.is(context))).toEqual([])
  })
  it('refuses what is not base64, JSON that is not an object, and bytes that are not UTF-8; is answers false for each', () => {
    const object = base64Of('{"a":1}')
    expect(object.endsWith('=')).toBe(true)
    const refused = [
      '',
      '{"a":1}',
      object.replace(/=+$/, ''), // padding missing
      `${object.slice(0, 4)} ${object.slice(4)}`, // a space inside
      `${object}\n`,
      base64Of('[]'),
      base64Of('null'),
      base64Of('1'),
      base64Of('"s"'),
      base64Of('true'),
      base64Of('hello'), // base64, but no JSON
      Buffer.from('{"a":"\xff"}', 'latin1').toString('base64'), // a JSON object in Latin-1, not UTF-8
    ]
    expect(refused.filter((context) => ok(ClientContext.decode(context)))).toEqual([])
    expect(refused.map((context) => ClientContext.is(context))).toEqual(refused.map(() => false))
  })
  it('the refusal says what to do', () => {
    const result = decodeWith(ClientContext, 'client context')('{"a":1}')
    expect(E.isLeft(result) && result.left.message).toBe(
      `Invalid client context: must be a JSON object, UTF-8, base64-encoded; got "{\\"a\\":1}". Encode it as the SDKs do: Buffer.from(JSON.stringify(context)).toString('base64'), or btoa for ASCII JSON.`,
    )
  })
})
