// Rule 7: the UpdateRecords response is applied with compare-and-set.
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import type { SyncCount } from 'cognito-reconcile'
import type { RecordKey, RecordPatch } from 'cognito-reconcile'
import { LocalStateJson, applyRejected, applyUpdate, currentContent, isDirty, patchFor, put } from 'cognito-reconcile'
import { at, clean, dirty, remote, run, state, unwrap } from './fixtures.js'

const pushed = state(4, dirty('k', 'mine', 10, clean('k', 'x', 2)), clean('other', 'o', 3))
const written = [remote('k', 'mine', 5, 11)]

describe('applyUpdate', () => {
  it('clears the pushed edit and advances lastSyncCount when the new count is the listed count + 1', () => {
    const after = applyUpdate({ basis: pushed, listedSyncCount: 4 as SyncCount, written })(pushed)
    expect(isDirty(after.records.get('k'))).toBe(false)
    expect(after.records.get('k')?.server?.syncCount).toBe(5)
    expect(after.lastSyncCount).toBe(5)
    expect(after.records.get('other')).toEqual(pushed.records.get('other'))
  })
  it('keeps lastSyncCount when another writer came in between (the count jumped)', () => {
    const after = applyUpdate({ basis: pushed, listedSyncCount: 4 as SyncCount, written: [remote('k', 'mine', 7)] })(pushed)
    expect(isDirty(after.records.get('k'))).toBe(false)
    expect(after.lastSyncCount).toBe(4)
  })
  it('keeps lastSyncCount when the basis had not caught up with the listing', () => {
    const behind = state(3, ...pushed.records.values())
    const after = applyUpdate({ basis: behind, listedSyncCount: 4 as SyncCount, written })(behind)
    expect(after.lastSyncCount).toBe(3)
  })
  it('keeps a local write made while the request was in flight, rebased on the written version', () => {
    const meanwhile = put('k', 'newer', at(12))(pushed)
    if (E.isLeft(meanwhile)) throw new Error(meanwhile.left.message)
    const after = applyUpdate({ basis: pushed, listedSyncCount: 4 as SyncCount, written })(meanwhile.right)
    const record = after.records.get('k')
    expect(isDirty(record)).toBe(true)
    expect(currentContent(record)).toBe('newer')
    expect(record?.server?.syncCount).toBe(5)
  })
  it('keeps an edit rewritten in flight at the same stamp with other content', () => {
    // put would stamp it a millisecond later; a store read back or another tab can carry the same stamp
    const meanwhile = state(4, dirty('k', 'other', 10, clean('k', 'x', 2)))
    const after = applyUpdate({ basis: pushed, listedSyncCount: 4 as SyncCount, written })(meanwhile)
    expect(after.records.get('k')?.pending).toEqual({ content: 'other', deviceLastModifiedDate: at(10) })
  })
  it('keeps an edit made meanwhile on a written key the basis had clean', () => {
    const meanwhile = unwrap(put('other', 'o2', at(12))(pushed))
    const after = applyUpdate({ basis: pushed, listedSyncCount: 4 as SyncCount, written: [remote('other', 'o', 5)] })(meanwhile)
    expect(after.records.get('other')).toMatchObject({ server: { content: 'o', syncCount: 5 }, pending: { content: 'o2', deviceLastModifiedDate: at(12) } })
  })
  it('takes a written record for a key the basis pushed but the current state no longer has', () => {
    const after = applyUpdate({ basis: pushed, listedSyncCount: 4 as SyncCount, written })(state(4))
    expect(after.records.get('k')).toMatchObject({ server: { content: 'mine', syncCount: 5 } })
    expect(isDirty(after.records.get('k'))).toBe(false)
  })
  it('compares edits by value, not identity: a state read back from a store still clears the pushed edit', () => {
    const readBack = E.getOrElseW(() => expect.fail('decode'))(LocalStateJson.decode(JSON.parse(JSON.stringify(LocalStateJson.encode(pushed)))))
    expect(readBack.records.get('k')).not.toBe(pushed.records.get('k'))
    const after = applyUpdate({ basis: pushed, listedSyncCount: 4 as SyncCount, written })(readBack)
    expect(isDirty(after.records.get('k'))).toBe(false)
  })
  it('keeps an edit rewritten in flight with the same content but a later stamp', () => {
    const meanwhile = put('k', 'mine', at(12))(pushed)
    if (E.isLeft(meanwhile)) throw new Error(meanwhile.left.message)
    const after = applyUpdate({ basis: pushed, listedSyncCount: 4 as SyncCount, written })(meanwhile.right)
    expect(after.records.get('k')?.pending).toEqual({ content: 'mine', deviceLastModifiedDate: at(12) })
  })
  it('changes nothing for an empty answer, even at count 0', () => {
    const fresh = state(0, dirty('k', 'mine', 10))
    expect(applyUpdate({ basis: fresh, listedSyncCount: 0 as SyncCount, written: [] })(fresh)).toEqual(fresh)
  })
  it('takes a written record for a key missing from the basis and the current state', () => {
    const after = applyUpdate({ basis: state(4), listedSyncCount: 4 as SyncCount, written: [remote('new', 'n', 5)] })(state(4))
    expect(after.records.get('new')).toMatchObject({ server: { content: 'n', syncCount: 5 } })
    expect(isDirty(after.records.get('new'))).toBe(false)
  })
  it('is idempotent', () => {
    const once = applyUpdate({ basis: pushed, listedSyncCount: 4 as SyncCount, written })(pushed)
    expect(applyUpdate({ basis: pushed, listedSyncCount: 4 as SyncCount, written })(once)).toEqual(once)
  })
  it('after a push, the next incremental sync has nothing to do', async () => {
    const first = await run(pushed, [], 4)
    const after = applyUpdate({ basis: first.next, listedSyncCount: 4 as SyncCount, written })(first.next)
    const second = await run(after, [remote('k', 'mine', 5, 11)], 5)
    expect(second.patches).toEqual([])
    expect(second.conflicts).toEqual([])
  })
})

describe('applyUpdate and versions sent without an answer', () => {
  it('an edit made while the request was in flight no longer doubts what was sent', async () => {
    const first = await run(state(4, dirty('k', 'mine', 10)), [], 4)
    const meanwhile = put('k', 'newer', at(12))(first.next)
    if (E.isLeft(meanwhile)) throw new Error(meanwhile.left.message)
    expect(meanwhile.right.records.get('k')?.pending?.sent).toBeDefined()
    const after = applyUpdate({ basis: first.next, listedSyncCount: 4 as SyncCount, written: [remote('k', 'mine', 5, 10)] })(meanwhile.right)
    expect(after.records.get('k')?.pending).toEqual({ content: 'newer', deviceLastModifiedDate: at(12) })
  })
})

describe('applyRejected', () => {
  const sent = { content: 'mine', deviceLastModifiedDate: at(10) }
  const doubted = state(4, { ...dirty('k', 'mine', 10, clean('k', 'x', 2)), pending: { ...sent, sent } }, clean('other', 'o', 3))
  const refusal = (patch: RecordPatch) => applyRejected([patch])(doubted)
  const key = 'k' as RecordKey

  it('forgets the sent version of the edit a refused patch carried, keeping the edit and its base', () => {
    const after = refusal(patchFor(key, 'mine', 2 as SyncCount, at(10)))
    expect(after.records.get('k')).toEqual({ key: 'k', server: doubted.records.get('k')?.server, pending: { content: 'mine', deviceLastModifiedDate: at(10) } })
    expect(applyRejected([patchFor(key, 'mine', 2 as SyncCount, at(10))])(after)).toEqual(after)
  })
  it('leaves the doubt when the refused patch carried other content or another stamp: that was not what is remembered as sent', () => {
    expect(refusal(patchFor(key, 'theirs', 2 as SyncCount, at(10)))).toBe(doubted)
    expect(refusal(patchFor(key, null, 2 as SyncCount, at(10)))).toBe(doubted)
    expect(refusal(patchFor(key, 'mine', 2 as SyncCount, at(11)))).toBe(doubted)
    expect(refusal({ Op: 'replace', Key: key, Value: 'mine' as never, SyncCount: 2 as SyncCount })).toBe(doubted)
  })
  it('answers the state itself for a patch of a key it does not have, or of a record with nothing sent', () => {
    expect(refusal(patchFor('gone' as RecordKey, 'mine', 2 as SyncCount, at(10)))).toBe(doubted)
    expect(refusal(patchFor('other' as RecordKey, 'o', 3 as SyncCount, at(0)))).toBe(doubted)
    const unsent = state(4, dirty('k', 'mine', 10))
    expect(applyRejected([patchFor(key, 'mine', 0 as SyncCount, at(10))])(unsent)).toBe(unsent)
  })
})
