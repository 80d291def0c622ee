// Rule 7: the UpdateRecords response is applied with compare-and-set.
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import type { SyncCount } from 'cognito-reconcile'
import { LocalStateJson, applyUpdate, currentContent, isDirty, put } from 'cognito-reconcile'
import { at, clean, dirty, remote, run, state } from './fixtures.js'

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
