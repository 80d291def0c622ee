// The check of a state where it enters the sync (src/stores/validate.ts): a type guard, no encoding,
// that refuses exactly what decoding the state's JSON refuses, and a misplaced record besides.
import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type LocalState, LocalStateJson, stateOf } from 'cognito-reconcile'
import { localState } from 'cognito-reconcile/testkit'
import { checkState, isWellFormed } from '../../src/stores/validate.js'

/** The check the sync made before: the state's JSON decodes; and, besides, each record is under its own key. */
const roundTrips = (state: LocalState): boolean => {
  try {
    return E.isRight(LocalStateJson.decode(LocalStateJson.encode(state))) && [...state.records].every(([key, record]) => record.key === key)
  } catch {
    return false
  }
}

/** What a broken store might hand over: one field of one record replaced by junk. */
const junk = fc.constantFrom<unknown>(undefined, null, -1, 1.5, '', '2024-01-01', 'x'.repeat(1025), new Date(Number.NaN), {}, 7)
const corrupted = fc.tuple(localState(4), fc.constantFrom('key', 'server', 'pending', 'server.content', 'server.syncCount', 'server.lastModifiedDate', 'server.lastModifiedBy', 'pending.content', 'pending.deviceLastModifiedDate', 'pending.sent'), junk).map(([state, path, value]) => {
  const [first] = state.records.values()
  if (first === undefined) return state
  const [field, inner] = path.split('.') as [string, string | undefined]
  const target: Record<string, unknown> = { ...first }
  if (inner === undefined) target[field] = value
  else if (typeof target[field] === 'object' && target[field] !== null) target[field] = { ...(target[field] as object), [inner]: value }
  const records = new Map(state.records)
  records.set(first.key, target as never)
  return { ...state, records }
})

describe('checkState', () => {
  it('accepts exactly the states whose JSON decodes, with every record under its own key', () => {
    fc.assert(
      fc.property(fc.oneof(localState(), corrupted), (state) => {
        expect(isWellFormed(state)).toBe(roundTrips(state))
        expect(E.isRight(checkState(state))).toBe(roundTrips(state))
      }),
      { numRuns: 500 },
    )
  })

  it('answers the state itself, not a copy', () => {
    const state = stateOf([{ key: 'k', server: { content: 'v', syncCount: 1 } }] as never, 1)
    expect(checkState(state)).toEqual(E.right(state))
    expect(E.isRight(checkState(state)) && checkState(state)).toMatchObject({ right: state })
  })

  it.each([
    ['dates stored as text, as a JSON-backed store might', { records: new Map([['k', { key: 'k', pending: { content: 'v', deviceLastModifiedDate: '2024-01-01' } }]]), lastSyncCount: 0 }, 'deviceLastModifiedDate'],
    ['records in a plain object', { records: { k: { key: 'k' } }, lastSyncCount: 0 }, ''],
    ['a record under another key', { records: new Map([['j', { key: 'k', server: { content: 'v', syncCount: 1 } }]]), lastSyncCount: 0 }, ''],
    ['a negative lastSyncCount', { records: new Map(), lastSyncCount: -1 }, 'lastSyncCount'],
  ])('refuses %s with a DecodeError saying where', (_, state, path) => {
    const result = checkState(state as never)
    expect(result).toMatchObject(E.left({ _tag: 'DecodeError', what: 'local state' }))
    if (E.isLeft(result)) expect(result.left.issues.some((issue) => issue.path.includes(path))).toBe(true)
  })
})
