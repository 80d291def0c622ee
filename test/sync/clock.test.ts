/**
 * The fast-clock clamp where it matters: in a real reconcile, and in a real sync whose server clock is
 * behind a device's. A device whose clock runs years ahead stamps its edits in the future; the server
 * stores them at its own time, and `lastWriterWins` takes the earlier of the two, so the fast device
 * does not win every later conflict.
 */
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { reconcile, stateOf } from '../../src/index.js'
import { lastWriterWins } from '../../strategies/index.js'
import { contents, useWorld } from './harness.js'

const serverNow = 1_700_000_000_000
const minute = 60_000
const years = 10 * 365 * 24 * 60 * minute

describe('inside reconcile', () => {
  const local = stateOf([{ key: 'k', pending: { content: 'mine', deviceLastModifiedDate: new Date(serverNow + minute) } }], 0)
  const listing = (remote: { LastModifiedDate?: Date }) => ({
    records: [{ Key: 'k', Value: 'theirs', SyncCount: 1, DeviceLastModifiedDate: new Date(serverNow + years), LastModifiedBy: 'fast-device', ...remote }],
    datasetSyncCount: 1,
  })

  it('a remote edit stamped in the future counts from when the server stored it: a later local edit wins', () => {
    const result = reconcile(lastWriterWins)({ local, listing: listing({ LastModifiedDate: new Date(serverNow) }), now: new Date(serverNow + 2 * minute) })
    expect(E.isRight(result) && result.right.conflicts.map((c) => [c.conflict.key, c.resolution._tag])).toEqual([['k', 'KeepLocal']])
    expect(E.isRight(result) && result.right.patches.map((p) => [p.Key, p.Value, p.SyncCount])).toEqual([['k', 'mine', 1]])
    // the server version kept beside the edit is the one the server described
    expect(E.isRight(result) && result.right.next.records.get('k')?.server).toEqual({
      content: 'theirs',
      syncCount: 1,
      lastModifiedDate: new Date(serverNow),
      lastModifiedBy: 'fast-device',
      deviceLastModifiedDate: new Date(serverNow + years),
    })
  })

  it('without a server date there is nothing to clamp to: the device date stands', () => {
    const result = reconcile(lastWriterWins)({ local, listing: listing({}), now: new Date(serverNow + 2 * minute) })
    expect(E.isRight(result) && result.right.conflicts.map((c) => c.resolution._tag)).toEqual(['TakeRemote'])
  })
})

describe('in a sync, with the server clock behind a device', () => {
  const world = useWorld({ clock: { now: () => serverNow } })

  it('the fast device does not win a later edit of another device', async () => {
    const fast = world.device('fast', { clock: () => new Date(serverNow + years) })
    const slow = world.device('slow', { clock: () => new Date(serverNow + minute) })
    await fast.put('k', 'from the future')
    await fast.synced()
    await slow.put('k', 'a minute later')
    const report = await slow.synced()
    expect(report.conflicts.map((c) => [c.conflict.key, c.resolution._tag, c.decidedBy])).toEqual([['k', 'KeepLocal', 'lastWriterWins']])
    expect(report.pushed).toEqual(['k'])
    await fast.synced()
    expect([await contents(fast), await contents(slow)]).toEqual([{ k: 'a minute later' }, { k: 'a minute later' }])
  })
})
