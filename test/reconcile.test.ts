// One example per rule of reconcile (see the doc comment of src/reconcile.ts).
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import { describe, expect, it } from 'vitest'
import type { Conflict, RemoteRecord, SyncStrategy } from 'cognito-reconcile'
import { currentContent, isDirty, reconcile, reconcileTask } from 'cognito-reconcile'
import { custom, customAsync, keepLocal, lastWriterWins, localWins, remoteWins, takeRemote, resolveWith } from 'cognito-reconcile/strategies'
import { at, clean, dirty, remote, run, state } from './fixtures.js'

describe('rule 1: remote changes are adopted without a patch', () => {
  it('adopts a key absent here', async () => {
    const result = await run(state(0), [remote('k', 'v', 1)], 1)
    expect(result.patches).toEqual([])
    expect(result.adopted.map((r) => r.Key)).toEqual(['k'])
    expect(result.confirmed).toEqual([])
    expect(currentContent(result.next.records.get('k'))).toBe('v')
    expect(result.next.lastSyncCount).toBe(1)
    expect(result.mustPush).toBe(false)
  })
  it('adopts a newer version of a clean key', async () => {
    const result = await run(state(1, clean('k', 'old', 1)), [remote('k', 'new', 2)], 2)
    expect(currentContent(result.next.records.get('k'))).toBe('new')
    expect(result.next.records.get('k')?.server?.syncCount).toBe(2)
  })
  it('turns a remote tombstone into a clean local tombstone', async () => {
    const result = await run(state(1, clean('k', 'old', 1)), [remote('k', null, 2)], 2)
    const record = result.next.records.get('k')
    expect(record?.server).toMatchObject({ content: null, syncCount: 2 })
    expect(isDirty(record)).toBe(false)
  })
})

describe('rule 2: an edit whose server version is unchanged is pushed with its base SyncCount', () => {
  it('pushes an edit absent from the incremental listing with its base count', async () => {
    const base = clean('k', 'old', 3)
    const result = await run(state(5, dirty('k', 'new', 10, base)), [], 5)
    expect(result.patches).toEqual([{ Op: 'replace', Key: 'k', Value: 'new', SyncCount: 3, DeviceLastModifiedDate: at(10) }])
    expect(result.mustPush).toBe(true)
  })
  it('pushes a never-synced key with SyncCount 0, and a delete as remove', async () => {
    const result = await run(state(0, dirty('new', '', 10), dirty('gone', null, 11, clean('gone', 'x', 2))), [], 2)
    expect(result.patches).toEqual([
      { Op: 'remove', Key: 'gone', SyncCount: 2, DeviceLastModifiedDate: at(11) },
      { Op: 'replace', Key: 'new', Value: '', SyncCount: 0, DeviceLastModifiedDate: at(10) },
    ])
  })
  it('pushes an edit listed with the same SyncCount as its base', async () => {
    const base = clean('k', 'old', 3)
    const result = await run(state(0, dirty('k', 'new', 10, base)), [remote('k', 'old', 3)], 3)
    expect(result.patches.map((p) => [p.Key, p.SyncCount])).toEqual([['k', 3]])
    expect(result.conflicts).toEqual([])
  })
  it('settles an edit back to the server content instead of pushing it', async () => {
    const base = clean('k', 'same', 3)
    const result = await run(state(3, dirty('k', 'same', 10, base)), [remote('k', 'same', 3)], 3)
    expect(result.patches).toEqual([])
    expect(isDirty(result.next.records.get('k'))).toBe(false)
    // the listed version is the one already known: nothing remote was adopted
    expect(result.adopted).toEqual([])
  })
  it('drops an edit back to the server content, keeping the server version', async () => {
    const base = clean('k', 'same', 3)
    const result = await run(state(3, dirty('k', 'same', 10, base)), [], 3)
    expect(result.patches).toEqual([])
    expect(result.next.records.get('k')).toEqual(base)
  })
  it('drops a local delete of a key the server never had: nothing to push', async () => {
    const result = await run(state(0, dirty('temp', null, 10)), [], 0)
    expect(result.patches).toEqual([])
    expect(result.next.records.has('temp')).toBe(false)
  })
})

describe('rule 3: equal content on a newer remote is not a conflict', () => {
  it('adopts the remote count and marks the record clean (no endless 409 loop)', async () => {
    const base = clean('k', 'old', 1)
    const result = await run(state(1, dirty('k', 'v', 10, base)), [remote('k', 'v', 4)], 4)
    expect(result.patches).toEqual([])
    expect(result.conflicts).toEqual([])
    expect(result.next.records.get('k')).toMatchObject({ server: { content: 'v', syncCount: 4 } })
    expect(isDirty(result.next.records.get('k'))).toBe(false)
  })
  it('treats two tombstones as equal', async () => {
    const result = await run(state(1, dirty('k', null, 10, clean('k', 'x', 1))), [remote('k', null, 2)], 2)
    expect(result.patches).toEqual([])
    expect(result.conflicts).toEqual([])
  })
  it('sends other content to the strategy', async () => {
    const result = await run(state(1, dirty('k', 'mine', 10, clean('k', 'x', 1))), [remote('k', 'theirs', 2, 5)], 2)
    expect(result.conflicts).toHaveLength(1)
    expect(result.conflicts[0]).toMatchObject({ conflict: { key: 'k', local: { content: 'mine' }, remote: { content: 'theirs' }, base: { content: 'x' } }, decidedBy: 'lastWriterWins' })
  })
})

describe('rule 4: resolutions', () => {
  const local = state(1, dirty('k', 'mine', 10, clean('k', 'x', 1)))
  it('keep local pushes the local content with the remote SyncCount and its own date', async () => {
    const result = await run(local, [remote('k', 'theirs', 4)], 4, localWins)
    expect(result.patches).toEqual([{ Op: 'replace', Key: 'k', Value: 'mine', SyncCount: 4, DeviceLastModifiedDate: at(10) }])
    expect(result.next.records.get('k')).toMatchObject({ server: { content: 'theirs', syncCount: 4 }, pending: { content: 'mine' } })
  })
  it('keep local of a delete pushes a remove: a resolved delete stays a delete', async () => {
    const result = await run(state(1, dirty('k', null, 10, clean('k', 'x', 1))), [remote('k', 'theirs', 4)], 4, localWins)
    expect(result.patches).toEqual([{ Op: 'remove', Key: 'k', SyncCount: 4, DeviceLastModifiedDate: at(10) }])
  })
  it('take remote adopts the remote version with no patch', async () => {
    const result = await run(local, [remote('k', 'theirs', 4)], 4, remoteWins)
    expect(result.patches).toEqual([])
    expect(currentContent(result.next.records.get('k'))).toBe('theirs')
    expect(isDirty(result.next.records.get('k'))).toBe(false)
  })
  it('write pushes new content stamped causally after both sides', async () => {
    const merged = custom('merge', (c) => resolveWith(`${c.local.content}|${c.remote.content}`))
    const result = await run(local, [remote('k', 'theirs', 4, 50)], 4, merged, at(20))
    // the remote side was written at 50, after this device's clock (20): the new write orders after it
    expect(result.patches).toEqual([{ Op: 'replace', Key: 'k', Value: 'mine|theirs', SyncCount: 4, DeviceLastModifiedDate: new Date(at(50).getTime() + 1) }])
    expect(result.conflicts[0]?.decidedBy).toBe('merge')
  })
  it('write of a delete pushes a remove; write of the remote content pushes nothing', async () => {
    const deleting = await run(local, [remote('k', 'theirs', 4)], 4, custom('delete', () => resolveWith(null)))
    expect(deleting.patches.map((p) => p.Op)).toEqual(['remove'])
    const agreeing = await run(local, [remote('k', 'theirs', 4)], 4, custom('agree', () => resolveWith('theirs')))
    expect(agreeing.patches).toEqual([])
    expect(isDirty(agreeing.next.records.get('k'))).toBe(false)
  })
  it('an async strategy runs through the same pipeline', async () => {
    const asked: string[] = []
    const ask = customAsync('ask', async (c) => {
      asked.push(c.key)
      return c.key === 'a' ? keepLocal : takeRemote
    })
    const result = await run(state(1, dirty('b', 'mine', 10, clean('b', 'x', 1)), dirty('a', 'mine', 10, clean('a', 'x', 1))), [remote('b', 'theirs', 3), remote('a', 'theirs', 2)], 3, ask)
    expect(asked).toEqual(['a', 'b'])
    // each conflict gets its own decision back: a keeps local and is pushed, b takes the remote version
    expect(result.patches.map((p) => p.Key)).toEqual(['a'])
    expect(result.unresolved).toEqual([])
    expect(result.conflicts.map((c) => [c.conflict.key, c.resolution._tag])).toEqual([['a', 'KeepLocal'], ['b', 'TakeRemote']])
    expect(currentContent(result.next.records.get('b'))).toBe('theirs')
    expect(isDirty(result.next.records.get('b'))).toBe(false)
  })
})

describe('rule 5: every remote change is folded in before patches are built', () => {
  it('adopts non-conflicting remote changes alongside a conflict and advances lastSyncCount', async () => {
    const local = state(1, dirty('k', 'mine', 10, clean('k', 'x', 1)), clean('other', 'o', 1))
    const result = await run(local, [remote('k', 'theirs', 2), remote('other', 'o2', 3), remote('fresh', 'f', 3)], 3, localWins)
    expect(result.adopted.map((r) => r.Key)).toEqual(['fresh', 'other'])
    expect(currentContent(result.next.records.get('other'))).toBe('o2')
    expect(result.next.lastSyncCount).toBe(3)
  })
  it('keeps the newest of a key listed twice across pages', async () => {
    const result = await run(state(0), [remote('k', 'late', 5), remote('k', 'early', 2)], 5)
    expect(currentContent(result.next.records.get('k'))).toBe('late')
  })
})

describe('rule 7: sync counts that go backwards are reported, never merged', () => {
  it('reports a record whose remote SyncCount is below the local base and leaves it alone', async () => {
    const local = state(5, dirty('k', 'mine', 10, clean('k', 'x', 5)))
    const result = await run(local, [remote('k', 'reset', 1)], 6)
    expect(result.regressions).toEqual([{ _tag: 'RecordRegressed', key: 'k', localSyncCount: 5, remoteSyncCount: 1 }])
    expect(result.patches).toEqual([])
    expect(result.next.records.get('k')).toEqual(local.records.get('k'))
    expect(result.next.lastSyncCount).toBe(5)
  })
  it('merges nothing when the dataset count itself went back', async () => {
    const local = state(9, clean('k', 'x', 9))
    const result = await run(local, [remote('k', 'other', 1)], 1)
    expect(result.regressions).toEqual([{ _tag: 'DatasetRegressed', lastSyncCount: 9, datasetSyncCount: 1 }])
    expect(result.next).toEqual(local)
    expect(result.adopted).toEqual([])
    expect(result.confirmed).toEqual([])
  })
})

describe('strategies that fail or decline', () => {
  const local = state(1, dirty('k', 'mine', 10, clean('k', 'x', 1)))
  const listing = { records: [remote('k', 'theirs', 2)], datasetSyncCount: 2 }
  it('a throwing strategy is a typed StrategyFailed, not an exception', () => {
    const result = reconcile(custom('boom', () => { throw new Error('no') }))({ local, listing, now: at(0) })
    expect(result).toMatchObject(E.left({ _tag: 'StrategyFailed', key: 'k', strategy: 'boom' }))
  })
  it('a rejected async strategy is a typed StrategyFailed', async () => {
    const result = await run(local, listing.records, 2, customAsync('reject', () => Promise.reject(new Error('offline')))).catch((e: Error) => e.message)
    expect(result).toMatch(/strategy reject failed on key k: Error: offline/)
  })
  it('content over the value limit is refused as a StrategyFailed', () => {
    const huge = custom('huge', () => resolveWith('x'.repeat(1_048_576)))
    expect(reconcile(huge)({ local, listing, now: at(0) })).toMatchObject(E.left({ _tag: 'StrategyFailed', strategy: 'huge' }))
  })
  it('an answer that is not a decision is refused', () => {
    const junk = { ...lastWriterWins, name: 'junk', decide: () => ({ _tag: 'Some', value: { resolution: { _tag: 'Maybe' } } }) as never }
    const result = reconcile(junk)({ local, listing, now: at(0) })
    expect(result).toMatchObject(E.left({ _tag: 'StrategyFailed', strategy: 'junk' }))
    expect(E.isLeft(result) && result.left.message).toMatch(/^strategy junk answered no valid decision on key k: Invalid decision: /)
  })
  it('each way an answer can be malformed is refused with where it went wrong and what it must be', () => {
    const answering = (answer: unknown) => {
      const result = reconcile({ ...lastWriterWins, name: 'junk', decide: () => answer as never })({ local, listing, now: at(0) })
      return E.isLeft(result) ? result.left.message.replace(/^strategy junk answered no valid decision on key k: Invalid decision: /, '') : 'accepted'
    }
    const some = (value: unknown) => ({ _tag: 'Some', value })
    expect(answering(5)).toBe('must be none or some decision; got 5')
    expect(answering(some(3))).toBe('at value: must be { resolution, decidedBy }; got 3')
    expect(answering(some({ resolution: { _tag: 'Maybe' }, decidedBy: 'x' }))).toBe('at value.resolution: must be keepLocal, takeRemote or resolveWith(content); got {"_tag":"Maybe"}')
    expect(answering(some({ resolution: resolveWith('x'.repeat(1_048_576)), decidedBy: 'x' }))).toMatch(/^at value\.resolution\.content: must be null or at most 1,048,575 characters; got "x+…$/)
    expect(answering(some({ resolution: keepLocal, decidedBy: 3 }))).toBe('at value.decidedBy: must be text; got 3')
    expect(answering(some({ resolution: keepLocal, decidedBy: 'x' }))).toBe('accepted')
  })
  it('a throwing strategy is reported with what it threw, by reconcile and by reconcileTask', async () => {
    const boom = custom('boom', () => { throw new Error('no') })
    const expected = { _tag: 'StrategyFailed', key: 'k', strategy: 'boom', message: 'strategy boom failed on key k: Error: no' }
    expect(reconcile(boom)({ local, listing, now: at(0) })).toMatchObject(E.left(expected))
    expect(await reconcileTask(boom)({ local, listing, now: at(0) })()).toMatchObject(E.left(expected))
  })
  it('the first failure ends the reconciliation: no later conflict is put to the strategy', async () => {
    const two = state(1, dirty('a', 'mine', 10, clean('a', 'x', 1)), dirty('b', 'mine', 10, clean('b', 'x', 1)))
    const input = { local: two, listing: { records: [remote('a', 'theirs', 2), remote('b', 'theirs', 2)], datasetSyncCount: 2 }, now: at(0) }
    const asked: string[] = []
    const junk = () => ({ _tag: 'Some', value: 'not a decision' }) as never
    const throwing = custom('throwing', (c) => { asked.push(c.key); throw new Error('no') })
    const malformed = { ...custom('malformed', (c) => { asked.push(c.key); return junk() }) }
    const malformedAsync = customAsync('malformedAsync', async (c) => { asked.push(c.key); return junk() })
    const rejecting = customAsync('rejecting', (c) => { asked.push(c.key); return Promise.reject(new Error('no')) })
    for (const strategy of [throwing, malformed]) {
      asked.length = 0
      expect(E.isLeft(reconcile(strategy)(input))).toBe(true)
      expect([strategy.name, ...asked]).toEqual([strategy.name, 'a'])
    }
    for (const strategy of [throwing, malformed, malformedAsync, rejecting]) {
      asked.length = 0
      expect(await reconcileTask(strategy)(input)()).toMatchObject(E.left({ _tag: 'StrategyFailed', key: 'a', strategy: strategy.name }))
      expect(asked).toEqual(['a'])
    }
  })
  it('a declined conflict does not stop the pass: later keys are still reconciled', () => {
    const declines = { ...lastWriterWins, name: 'declines', decide: () => ({ _tag: 'None' }) as never }
    const result = reconcile(declines)({ local, listing: { records: [...listing.records, remote('z', 'new', 2)], datasetSyncCount: 2 }, now: at(0) })
    expect(E.isRight(result) && result.right.adopted.map((r) => r.Key)).toEqual(['z'])
    expect(E.isRight(result) && currentContent(result.right.next.records.get('z'))).toBe('new')
  })
  it('answers the state itself when the listing changes nothing', () => {
    const synced = state(2, clean('k', 'v', 2))
    const result = reconcile(lastWriterWins)({ local: synced, listing: { records: [], datasetSyncCount: 2 }, now: at(0) })
    expect(E.isRight(result) && result.right.next).toBe(synced)
  })
  it('a declined conflict stays pending and holds lastSyncCount back', () => {
    const declines = { ...lastWriterWins, name: 'declines', decide: () => ({ _tag: 'None' }) as never }
    const result = reconcile(declines)({ local, listing, now: at(0) })
    expect(E.isRight(result) && result.right.unresolved.map((c) => c.key)).toEqual(['k'])
    expect(E.isRight(result) && result.right.next.lastSyncCount).toBe(1)
    expect(E.isRight(result) && result.right.next.records.get('k')).toEqual(local.records.get('k'))
  })
})

describe('rule 6: a version sent without an answer', () => {
  // the device pushed k = v (never on the server before); the answer was lost
  const pushed = async () => (await run(state(3, dirty('k', 'v', 10)), [], 3)).next
  it('is remembered on the pushed edit', async () => {
    expect((await pushed()).records.get('k')?.pending?.sent).toEqual({ content: 'v', deviceLastModifiedDate: at(10) })
  })
  it('is recognised when listed: confirmed, no conflict, the record clean', async () => {
    const result = await run(await pushed(), [remote('k', 'v', 4, 10)], 4, remoteWins)
    expect(result.confirmed).toEqual(['k'])
    expect(result.conflicts).toEqual([])
    expect(result.patches).toEqual([])
    expect(isDirty(result.next.records.get('k'))).toBe(false)
  })
  it('bases an edit made since on the landed version: a later delete is pushed, not taken for a no-op', async () => {
    const afterDelete = dirty('k', null, 11)
    const local = state(3, { ...afterDelete, pending: { ...afterDelete.pending!, sent: { content: 'v', deviceLastModifiedDate: at(10) } } })
    const result = await run(local, [remote('k', 'v', 4, 10)], 4, remoteWins)
    expect(result.patches).toEqual([{ Op: 'remove', Key: 'k', SyncCount: 4, DeviceLastModifiedDate: at(11) }])
    expect(result.conflicts).toEqual([])
    expect(result.confirmed).toEqual(['k'])
  })
  it.each([
    ['other content at the same date', remote('k', 'other', 4, 10)],
    ['the same content at another date', remote('k', 'v', 4, 12)],
    ['the same content without a device date', { Key: 'k', Value: 'v', SyncCount: 4 } as RemoteRecord],
  ])('is not taken for one listed with %s', async (_, listed) => {
    const afterDelete = dirty('k', null, 11)
    const local = state(3, { ...afterDelete, pending: { ...afterDelete.pending!, sent: { content: 'v', deviceLastModifiedDate: at(10) } } })
    const result = await run(local, [listed], 4, remoteWins)
    expect(result.confirmed).toEqual([])
    expect(result.conflicts.map((c) => c.conflict.key)).toEqual(['k'])
  })
  it('allows a millisecond of rounding in the listed device date', async () => {
    const result = await run(await pushed(), [{ ...remote('k', 'v', 4), DeviceLastModifiedDate: new Date(at(10).getTime() + 1) }], 4, remoteWins)
    expect(result.confirmed).toEqual(['k'])
  })
  it('did not land when the key is not listed: the edit is judged on its own again', async () => {
    const afterDelete = dirty('k', null, 11)
    const local = state(3, { ...afterDelete, pending: { ...afterDelete.pending!, sent: { content: 'v', deviceLastModifiedDate: at(10) } } })
    const result = await run(local, [], 3)
    expect(result.patches).toEqual([])
    expect(result.next.records.has('k')).toBe(false)
  })
  it('cannot be told when another version is listed: the edit competes instead of being dropped', async () => {
    const afterDelete = dirty('k', null, 11)
    const local = state(3, { ...afterDelete, pending: { ...afterDelete.pending!, sent: { content: 'v', deviceLastModifiedDate: at(10) } } })
    const result = await run(local, [remote('k', 'w', 5, 9)], 5, lastWriterWins)
    expect(result.confirmed).toEqual([])
    expect(result.conflicts.map((c) => [c.conflict.key, c.resolution._tag])).toEqual([['k', 'KeepLocal']])
    expect(result.patches.map((p) => [p.Op, p.SyncCount])).toEqual([['remove', 5]])
  })
})

describe('an asynchronous strategy', () => {
  it('gives the reconciliation a synchronous one gives, over every rule at once', async () => {
    const local = state(
      3,
      clean('adopted', 'old', 1),
      dirty('settled', 'v', 10, clean('settled', 'old', 2)),
      dirty('pushed', 'mine', 10, clean('pushed', 'x', 2)),
      dirty('dropped', 'same', 10, clean('dropped', 'same', 2)),
      dirty('conflicted', 'mine', 10, clean('conflicted', 'x', 1)),
      dirty('declined', 'mine', 10, clean('declined', 'x', 1)),
      clean('regressed', 'v', 3),
    )
    const records = [remote('adopted', 'new', 4), remote('settled', 'v', 2), remote('conflicted', 'theirs', 4), remote('declined', 'theirs', 4), remote('regressed', 'w', 2), remote('fresh', 'f', 4)]
    const input = { local, listing: { records, datasetSyncCount: 4 }, now: at(100) }
    const decide = (c: Conflict) => (c.key === 'declined' ? O.none : lastWriterWins.decide(c))
    const sync = reconcile({ effect: 'sync', name: 'either', laws: [], decide })(input)
    const async = await reconcileTask({ effect: 'async', name: 'either', laws: [], decide: (c) => async () => decide(c) })(input)()
    expect(async).toEqual(sync)
    expect(E.isRight(sync) && [sync.right.adopted.length, sync.right.patches.length, sync.right.unresolved.length, sync.right.regressions.length]).toEqual([2, 2, 1, 1])
  })
  const either = (decide: SyncStrategy['decide']) => ({
    sync: { effect: 'sync', name: 'either', laws: [], decide } as const,
    async: { effect: 'async', name: 'either', laws: [], decide: (c: Conflict) => async () => decide(c) } as const,
  })
  it('confirms a sent version the listing holds, as a synchronous one does', async () => {
    const edit = dirty('sent', 'v', 10, clean('sent', 'old', 1))
    const local = state(1, { ...edit, pending: { ...edit.pending!, sent: { content: 'v', deviceLastModifiedDate: at(10) } } })
    const input = { local, listing: { records: [remote('sent', 'v', 2, 10)], datasetSyncCount: 2 }, now: at(100) }
    const { sync, async } = either(lastWriterWins.decide)
    const expected = reconcile(sync)(input)
    expect(E.isRight(expected) && expected.right.confirmed).toEqual(['sent'])
    expect(await reconcileTask(async)(input)()).toEqual(expected)
  })
  it('merges nothing when the dataset count went back, as a synchronous one does', async () => {
    const input = { local: state(9, clean('k', 'x', 9), dirty('d', 'mine', 10)), listing: { records: [remote('k', 'other', 1)], datasetSyncCount: 1 }, now: at(100) }
    const { sync, async } = either(lastWriterWins.decide)
    const expected = reconcile(sync)(input)
    expect(expected).toEqual(E.right(expect.objectContaining({ regressions: [{ _tag: 'DatasetRegressed', lastSyncCount: 9, datasetSyncCount: 1 }], patches: [], adopted: [], confirmed: [], next: input.local })))
    expect(await reconcileTask(async)(input)()).toEqual(expected)
  })
})
