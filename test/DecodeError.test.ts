// Decode failures as issues and messages: what a codec without a rule says, what an error without a
// context says, how refused values are rendered, one issue per place and rule, and each fix once.
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { describe, expect, it } from 'vitest'
import { Listing, SyncCount, ValidDate, decodeErrorFrom, decodeErrorOf, decodeWith, issuesOf, renderIssues } from 'cognito-reconcile'

const errorsOf = (codec: t.Decoder<unknown, unknown>, input: unknown): t.Errors => {
  const result = codec.decode(input)
  return E.isLeft(result) ? result.left : []
}
const messageOf = (codec: t.Decoder<unknown, unknown>, what: string, input: unknown): string => decodeErrorFrom(what, errorsOf(codec, input)).message

describe('a codec without a rule', () => {
  it("states what io-ts's own types hold", () => {
    expect(messageOf(t.string, 'name', 5)).toBe('Invalid name: must be text; got 5')
    expect(messageOf(t.number, 'count', 'five')).toBe('Invalid count: must be a number; got "five"')
    expect(messageOf(t.boolean, 'flag', 1)).toBe('Invalid flag: must be true or false; got 1')
    expect(messageOf(t.null, 'nothing', 0)).toBe('Invalid nothing: must be null; got 0')
  })
  it('and any other codec by its name', () => {
    expect(issuesOf(errorsOf(t.literal('low'), 'max'))).toEqual([{ path: '', expected: '"low"', rule: 'be "low"', got: '"max"' }])
  })
})

describe('an error without a context, as a hand-written validate may return', () => {
  const Bare = new t.Type<string, string, unknown>('Bare', t.string.is, (u) => t.failure(u, []), t.identity)
  it('is still an issue: of an unknown codec, which must be valid', () => {
    expect(issuesOf(errorsOf(Bare, 1))).toEqual([{ path: '', expected: 'unknown', rule: 'be valid', got: '1' }])
    const result = decodeWith(Bare, 'bare input')(1)
    expect(E.isLeft(result) && result.left.message).toBe('Invalid bare input: must be valid; got 1')
  })
})

describe('what was found instead', () => {
  const got = (input: unknown): string => issuesOf(errorsOf(t.null, input)).map((issue) => issue.got).join()
  it('an invalid date by name, a date as ISO text, nothing as nothing', () => {
    expect(messageOf(ValidDate, 'date', new Date(Number.NaN))).toBe('Invalid date: must be a valid date; got Invalid Date')
    expect(got(new Date(0))).toBe('1970-01-01T00:00:00.000Z')
    expect(got(undefined)).toBe('nothing')
  })
  it('a number JSON would write as null (NaN, the infinities) as itself: null is a value of its own, a deleted record', () => {
    expect([Number.NaN, Infinity, -Infinity, -0, 1e21, 1.5].map(got)).toEqual(['NaN', 'Infinity', '-Infinity', '0', '1e+21', '1.5'])
    expect(messageOf(SyncCount, 'sync count', Number.NaN)).toBe('Invalid sync count: must be a non-negative integer; got NaN')
  })
  it('a value JSON cannot write, by its kind, never a throw', () => {
    const circular: Record<string, unknown> = {}
    circular.self = circular
    expect(got(circular)).toBe('[object Object]')
    expect(got(BigInt(10))).toBe('[object BigInt]')
  })
  it('a long value cut after 60 characters', () => {
    expect(got('x'.repeat(100))).toBe(`"${'x'.repeat(59)}…`)
    expect(got('x'.repeat(58))).toBe(`"${'x'.repeat(58)}"`)
  })
})

describe('issues', () => {
  it('of a member of an intersection are the member\'s, one per member, at the place of the whole', () => {
    const Both = t.intersection([t.type({ a: t.string }), t.type({ b: t.number })])
    expect(issuesOf(errorsOf(Both, null))).toEqual([
      { path: '', expected: '{ a: string }', rule: 'be { a: string }', got: 'null' },
      { path: '', expected: '{ b: number }', rule: 'be { b: number }', got: 'null' },
    ])
    expect(issuesOf(errorsOf(Both, { a: 1, b: 'x' })).map((issue) => `${issue.path} ${issue.rule}`)).toEqual(['a be text', 'b be a number'])
  })
  it('are one per place and rule: the same rule at two places is two issues, the same error twice is one', () => {
    const errors = errorsOf(Listing, { records: [{ Key: 'k', SyncCount: -1 }, { Key: 'k', SyncCount: -2 }], datasetSyncCount: 1 })
    const paths = ['records.0.SyncCount', 'records.1.SyncCount']
    expect(issuesOf(errors).map((issue) => issue.path)).toEqual(paths)
    expect(issuesOf([...errors, ...errors]).map((issue) => issue.path)).toEqual(paths)
  })
  it('render as "at <path>: must <rule>; got <value>", the path left out for the input itself', () => {
    expect(renderIssues([{ path: 'a.b', expected: 'X', rule: 'be x', got: '1' }, { path: '', expected: 'Y', rule: 'be y', got: '2' }])).toBe('at a.b: must be x; got 1; must be y; got 2')
  })
})

describe('the fixes of a message', () => {
  it('follow the issues, each once, after a full stop and separated by a space', () => {
    const message = messageOf(Listing, 'listing', { records: [{ Key: '', SyncCount: 1, Value: 'v'.repeat(1_048_576) }, { Key: '', SyncCount: 1 }], datasetSyncCount: 1 })
    const fixes = 'Use a non-empty key of at most 1,024 characters. Split the value over several keys (the whole dataset holds at most 1 MB), or keep large data elsewhere and store a reference to it.'
    expect(message).toMatch(/^Invalid listing: at records\.0\.Key: .*; at records\.0\.Value: .*; at records\.1\.Key: must be 1–1,024 characters \(the service limit\); got "" \(empty\)\. /)
    expect(message.endsWith(`got "" (empty). ${fixes}`)).toBe(true)
  })
  it('are left out where no rule has one', () => {
    expect(messageOf(SyncCount, 'sync count', -1)).toBe('Invalid sync count: must be a non-negative integer; got -1')
    expect(decodeErrorOf('level', [{ path: 'audio', expected: 'Level', rule: "be 'low' or 'high'", got: 'max' }]).message).toBe(`Invalid level: at audio: must be 'low' or 'high'; got "max"`)
    expect(decodeErrorOf('level', [{ path: '', expected: 'Level', rule: 'be a level', got: 9 }], 'Pick one.').message).toBe('Invalid level: must be a level; got 9. Pick one.')
  })
})
