// Rule 8: local writes are stamped causally, and validated.
import * as E from 'fp-ts/lib/Either.js'
import { test } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { DecodeError, LocalState } from 'cognito-reconcile'
import { causalStamp, currentContent, emptyState, put, putAll, remove, removeAll } from 'cognito-reconcile'
import { date, localState, recordKey, recordValue } from 'cognito-reconcile/testkit'
import { at, clean, state, unwrap } from './fixtures.js'

describe('local writes', () => {
  it('stamp with the device clock when it is ahead of the version they replace', () => {
    const next = unwrap(put('k', 'v', at(50))(state(1, clean('k', 'x', 1, 10))))
    expect(next.records.get('k')?.pending?.deviceLastModifiedDate).toEqual(at(50))
  })
  it('order after the version they replace even when the device clock is behind', () => {
    const next = unwrap(put('k', 'v', at(5))(state(1, clean('k', 'x', 1, 10))))
    expect(next.records.get('k')?.pending?.deviceLastModifiedDate.getTime()).toBe(at(10).getTime() + 1)
  })
  it('order a second write after the first one made in the same millisecond', () => {
    const once = unwrap(put('k', 'a', at(5))(emptyState))
    const twice = unwrap(put('k', 'b', at(5))(once))
    expect(twice.records.get('k')?.pending?.deviceLastModifiedDate.getTime()).toBe(at(5).getTime() + 1)
  })
  it('keep the server version the edit started from', () => {
    const base = clean('k', 'x', 3)
    const next = unwrap(remove('k', at(20))(state(3, base)))
    expect(next.records.get('k')).toEqual({ ...base, pending: { content: null, deviceLastModifiedDate: at(20) } })
    expect(currentContent(next.records.get('k'))).toBeNull()
  })
  it('store the empty string as a value, never as a delete', () => {
    expect(currentContent(unwrap(put('k', '', at(0))(emptyState)).records.get('k'))).toBe('')
  })
  it('keep keys such as __proto__ as data', () => {
    const next = unwrap(put('__proto__', 'p', at(0))(emptyState))
    expect(currentContent(next.records.get('__proto__'))).toBe('p')
    expect(Object.getPrototypeOf({})).toBe(Object.prototype)
  })
  it('refuse keys and values outside the service limits with a readable error', () => {
    const tooLong = put('k', 'x'.repeat(1_048_576), at(0))(emptyState)
    expect(tooLong).toMatchObject(E.left({ _tag: 'DecodeError', what: 'record value' }))
    expect(put('', 'x', at(0))(emptyState)).toMatchObject(
      E.left({ message: 'Invalid record key: must be 1–1,024 characters (the service limit); got "" (empty). Use a non-empty key of at most 1,024 characters.' }),
    )
    expect(E.isLeft(remove('k'.repeat(1025), at(0))(emptyState))).toBe(true)
  })
  it('causalStamp is at least now and after every given date', () => {
    expect(causalStamp(at(1), [at(3), undefined, at(2)]).getTime()).toBe(at(3).getTime() + 1)
    expect(causalStamp(at(9), [])).toEqual(at(9))
  })
})

describe('batch writes', () => {
  const entry = fc.tuple(recordKey, recordValue)
  test.prop([localState(), fc.array(entry, { maxLength: 8 }), date])('putAll equals one put after another', (s, entries, now) => {
    const oneByOne = entries.reduce((acc, [key, value]) => E.chain(put(key, value, now))(acc), E.right(s) as E.Either<DecodeError, LocalState>)
    expect(putAll(entries, now)(s)).toEqual(oneByOne)
  })
  test.prop([localState(), fc.array(recordKey, { maxLength: 8 }), date])('removeAll equals one remove after another', (s, keys, now) => {
    const oneByOne = keys.reduce((acc, key) => E.chain(remove(key, now))(acc), E.right(s) as E.Either<DecodeError, LocalState>)
    expect(removeAll(keys, now)(s)).toEqual(oneByOne)
  })
  it('writes nothing when one entry is invalid', () => {
    const result = putAll([['ok', 'v'], ['', 'x']], at(1))(emptyState)
    expect(E.isLeft(result) && result.left.message).toMatch(/record key/)
  })
})
