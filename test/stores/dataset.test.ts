// The app's read/write API (src/stores/dataset.ts): typed validation, the service's limits, causal
// stamps, and writes that are never lost to a modify running at the same time.
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type LocalRecord, type LocalState, type SyncCount, emptyState, isDirty, setRecord, stateOf } from 'cognito-reconcile'
import { type Dataset, openDataset } from '../../src/stores/dataset.js'
import { checkLimits, usage } from '../../src/stores/limits.js'
import type { LocalStore } from '../../src/stores/LocalStore.js'
import { memoryStore } from '../../src/stores/memoryStore.js'
import { recordKey, recordValue, runRight, storeFactories, unwrap } from './harness.js'

const future = new Date('2100-01-01T00:00:00.000Z')
const today = new Date('2024-06-01T12:00:00.000Z')

const serverRecord = (key: string, content: string | null, syncCount: number, date?: Date): LocalRecord => ({
  key: recordKey(key),
  server: {
    content: content === null ? null : recordValue(content),
    syncCount: syncCount as SyncCount,
    ...(date !== undefined && { deviceLastModifiedDate: date }),
  },
})

/** What a sync's write-back does to a pushed record: the pending edit becomes the server version. */
const acknowledge = (record: LocalRecord, syncCount: number): LocalRecord => ({
  key: record.key,
  server: { content: record.pending?.content ?? null, syncCount: syncCount as SyncCount },
})

const setState = (store: LocalStore, dataset: Dataset, state: LocalState) => runRight(store.modify(dataset.name, () => E.right([undefined, state] as const)))

describe('openDataset', () => {
  let store: LocalStore
  let settings: Dataset
  beforeEach(() => {
    store = memoryStore()
    settings = unwrap(openDataset(store, 'settings', { clock: () => today }))
  })

  describe('validation', () => {
    it.each(['', 'no spaces', 'x'.repeat(129), 'slash/name'])('refuses the dataset name %j with a DecodeError', (name) => {
      expect(openDataset(store, name)).toMatchObject(E.left({ _tag: 'DecodeError', what: 'dataset name' }))
    })

    it('refuses a bad key or value with a DecodeError, and stores nothing', async () => {
      const refusals = [
        [await settings.put('', 'v')(), 'record key'],
        [await settings.put('k'.repeat(1025), 'v')(), 'record key'],
        [await settings.put('k', 'v'.repeat(1_048_576))(), 'record value'],
        [await settings.remove('')(), 'record key'],
        [await settings.get('')(), 'record key'],
      ] as const
      for (const [result, what] of refusals) expect(result).toMatchObject(E.left({ _tag: 'DecodeError', what }))
      expect(await settings.state()()).toEqual(E.right(emptyState))
    })
    it("keyRule 'officialClients' refuses the writes of keys the official clients cannot read, and reads any key", async () => {
      const strict = unwrap(openDataset(store, 'settings', { clock: () => today, keyRule: 'officialClients' }))
      for (const key of ['ä', 'a b', 'k'.repeat(129)]) {
        const refused = await strict.put(key, 'v')()
        expect(refused).toMatchObject(E.left({ _tag: 'DecodeError', what: 'record key' }))
        expect(E.isLeft(refused) && refused.left.message).toMatch(/official clients/)
        expect(await strict.putAll([['ok', 'v'], [key, 'v']])()).toMatchObject(E.left({ _tag: 'DecodeError' }))
        expect(await strict.remove(key)()).toMatchObject(E.left({ _tag: 'DecodeError' }))
      }
      expect(await settings.state()()).toEqual(E.right(emptyState))
      // the default, the service's rule, takes them; the strict dataset still reads them
      expect(await settings.put('ä', 'v')()).toEqual(E.right(undefined))
      expect(await strict.get('ä')()).toEqual(E.right(O.some('v')))
      expect(await strict.put('Settings.theme:v2_x-y', 'dark')()).toEqual(E.right(undefined))
    })
  })

  describe('reads', () => {
    it('gets the empty string apart from a deleted or unknown key', async () => {
      await runRight(settings.put('empty', ''))
      await runRight(settings.put('gone', 'x'))
      await runRight(settings.remove('gone'))
      expect(await settings.get('empty')()).toEqual(E.right(O.some('')))
      expect(await settings.get('gone')()).toEqual(E.right(O.none))
      expect(await settings.get('never')()).toEqual(E.right(O.none))
    })

    it('lists the live records in key order, pending edits over server versions', async () => {
      await setState(store, settings, stateOf([serverRecord('b', 'server', 1), serverRecord('dead', null, 2), serverRecord('a', 'old', 3)], 3))
      for (const key of ['__proto__', 'B']) await runRight(settings.put(key, key))
      await runRight(settings.put('a', 'new'))
      expect(await settings.list()()).toEqual(
        E.right([
          { key: 'B', value: 'B' },
          { key: '__proto__', value: '__proto__' },
          { key: 'a', value: 'new' },
          { key: 'b', value: 'server' },
        ]),
      )
    })
  })

  describe('limits', () => {
    const fill = async (count: number): Promise<void> => {
      for (let i = 0; i < count; i++) await runRight(settings.put(`key-${i}`, 'v'))
    }

    it('accepts 1024 live records and refuses the 1025th with LimitExceeded, storing nothing', async () => {
      await fill(1024)
      const before = await runRight(settings.state())
      const refused = await settings.put('one-more', 'v')()
      expect(refused).toMatchObject(E.left({ _tag: 'LimitExceeded', limit: 'records', max: 1024, actual: 1025 }))
      // the message states the limit and what to do
      expect(E.isLeft(refused) && refused.left.message).toMatch(/1,025 live records; the service allows 1,024 per dataset\. Remove records/)
      expect(await runRight(settings.state())).toBe(before)
      // a new value for a live key, and a key freed by a delete, are fine
      expect(E.isRight(await settings.put('key-0', 'new value')())).toBe(true)
      await runRight(settings.remove('key-1'))
      expect(E.isRight(await settings.put('one-more', 'v')())).toBe(true)
    })

    it('does not count tombstones, but counts server versions', async () => {
      const records = Array.from({ length: 1024 }, (_, i) => serverRecord(`server-${i}`, i % 2 === 0 ? 'v' : null, i + 1))
      await setState(store, settings, stateOf(records, 1024))
      await fill(512)
      expect(usage(await runRight(settings.state())).records).toBe(1024)
      expect(await settings.put('over', 'v')()).toMatchObject(E.left({ _tag: 'LimitExceeded', limit: 'records' }))
    })

    it('counts 1 MB as UTF-8 bytes of keys and values, not UTF-16 units', async () => {
      // '€' is one UTF-16 unit and three UTF-8 bytes: 1 + 3 × 349,525 = 1,048,576 bytes exactly
      await runRight(settings.put('k', '€'.repeat(349_525)))
      expect(usage(await runRight(settings.state()))).toEqual({ records: 1, bytes: 1_048_576 })
      const tooBig = await settings.put('é', '')()
      expect(tooBig).toMatchObject(E.left({ _tag: 'LimitExceeded', limit: 'bytes', max: 1_048_576, actual: 1_048_578 }))
      expect(E.isLeft(tooBig) && tooBig.left.message).toMatch(/1,048,578 bytes .* allows 1,048,576 \(1 MB\) per dataset\. Remove or shorten values/)
      // '😀' is two units and four bytes: 524,288 units, within a value's length, but 1,048,577 bytes
      expect(await settings.put('k', '😀'.repeat(262_144))()).toMatchObject(E.left({ _tag: 'LimitExceeded', limit: 'bytes', actual: 1_048_577 }))
      expect(E.isRight(await settings.put('k', '😀'.repeat(262_143))())).toBe(true)
    })

    it('checks a state on its own, before any network call', () => {
      const full = stateOf(
        Array.from({ length: 1025 }, (_, i) => serverRecord(`k${i}`, '', i + 1)),
        0,
      )
      expect(checkLimits(full)).toMatchObject(E.left({ _tag: 'LimitExceeded', limit: 'records', actual: 1025 }))
      expect(checkLimits(emptyState)).toEqual(E.right(emptyState))
    })
  })

  describe('batch writes', () => {
    it('writes many keys in one step, removes for null, and the last write of a repeated key wins', async () => {
      await runRight(settings.put('gone', 'x'))
      await runRight(settings.putAll([['a', '1'], ['b', ''], ['gone', null], ['a', '2']]))
      expect(await settings.list()()).toEqual(E.right([{ key: 'a', value: '2' }, { key: 'b', value: '' }]))
      // stamped causally one after the other, as single writes would be
      expect((await runRight(settings.state())).records.get('a')?.pending?.deviceLastModifiedDate).toEqual(new Date(today.getTime() + 1))
    })

    it('stores nothing when one key or value is bad', async () => {
      for (const entries of [[['a', '1'], ['', '2']], [['a', '1'], ['b', 'v'.repeat(1_048_576)]], [['a', '1'], ['k'.repeat(1025), null]]] as const) {
        expect(await settings.putAll(entries)()).toMatchObject(E.left({ _tag: 'DecodeError' }))
      }
      expect(await settings.state()()).toEqual(E.right(emptyState))
    })

    it('checks the limits once, on the result: 1024 records in one call, not 1025', async () => {
      const entries = (count: number) => Array.from({ length: count }, (_, i) => [`key-${i}`, 'v'] as const)
      expect(await settings.putAll(entries(1025))()).toMatchObject(E.left({ _tag: 'LimitExceeded', limit: 'records', actual: 1025 }))
      expect(await settings.state()()).toEqual(E.right(emptyState))
      // a batch that removes as it adds is judged by where it ends
      await runRight(settings.putAll(entries(1024)))
      expect(E.isRight(await settings.putAll([['key-0', null], ['one-more', 'v']])())).toBe(true)
    })

    it('never refuses a write that grows no total, even in a dataset over a quota', async () => {
      const over = stateOf(Array.from({ length: 1025 }, (_, i) => serverRecord(`k${i}`, 'vv', i + 1)), 1025)
      await setState(store, settings, over)
      expect(E.isRight(await settings.put('k0', 'v')())).toBe(true)
      expect(E.isRight(await settings.remove('k1')())).toBe(true)
      expect(await settings.put('new', 'v')()).toMatchObject(E.left({ _tag: 'LimitExceeded', limit: 'records' }))
    })
  })

  describe('pending keys', () => {
    it('lists the keys with an unsynced edit in key order, deletes included, and tells one key', async () => {
      await setState(store, settings, stateOf([serverRecord('clean', 'v', 1), serverRecord('b', 'v', 1)], 1))
      await runRight(settings.putAll([['z', '1'], ['b', null], ['__proto__', '']]))
      expect(await settings.pendingKeys()()).toEqual(E.right(['__proto__', 'b', 'z']))
      expect(await settings.isPending('b')()).toEqual(E.right(true))
      expect(await settings.isPending('clean')()).toEqual(E.right(false))
      expect(await settings.isPending('never')()).toEqual(E.right(false))
      expect(await settings.isPending('')()).toMatchObject(E.left({ _tag: 'DecodeError', what: 'record key' }))
    })
  })

  describe('causal stamps', () => {
    it('stamps a put after a remote version dated in the future', async () => {
      await setState(store, settings, stateOf([serverRecord('score', '10', 5, future)], 5))
      await runRight(settings.put('score', '11'))
      const record = (await runRight(settings.state())).records.get('score')
      expect(record?.pending?.deviceLastModifiedDate.getTime()).toBe(future.getTime() + 1)
      expect(record?.server?.syncCount).toBe(5)
    })

    it('stamps a later write after an earlier one even when the clock goes back', async () => {
      let now = today
      const dataset = unwrap(openDataset(store, 'clock', { clock: () => now }))
      await runRight(dataset.put('k', 'first'))
      now = new Date(today.getTime() - 60_000)
      await runRight(dataset.remove('k'))
      expect((await runRight(dataset.state())).records.get('k')?.pending).toEqual({ content: null, deviceLastModifiedDate: new Date(today.getTime() + 1) })
    })
  })
})

describe.each(storeFactories)('writes while a modify is in flight, over $name', (factory) => {
  let store: LocalStore
  let dispose: () => void
  let settings: Dataset
  beforeEach(() => {
    ;({ store, dispose } = factory.open())
    settings = unwrap(openDataset(store, 'settings'))
  })
  afterEach(() => dispose())

  it('never loses a put made while a sync waits on the network', async () => {
    await runRight(settings.put('k', 'pushed'))
    const pushed = await runRight(settings.state())
    // the network answers once the put has landed: the write-back meets the record it changed (a
    // timer here could fire first, and the test would pass without the put between the two)
    const during = runRight(settings.put('k', 'written during the sync'))
    let changedMeanwhile: boolean | undefined
    // the sync's write-back, compare-and-set: only a record still as it was pushed becomes clean
    const writeBack = during.then(() =>
      runRight(
        store.modify(settings.name, (state) => {
          const sent = pushed.records.get('k')
          const now = state.records.get('k')
          changedMeanwhile = now !== sent
          const next = sent !== undefined && now === sent ? setRecord(acknowledge(sent, 1))(state) : state
          return E.right([undefined, { ...next, lastSyncCount: 1 as SyncCount }] as const)
        }),
      ),
    )
    await writeBack
    expect(changedMeanwhile).toBe(true)
    const after = await runRight(settings.state())
    expect(await settings.get('k')()).toEqual(E.right(O.some('written during the sync')))
    expect(isDirty(after.records.get('k'))).toBe(true)
    expect(after.lastSyncCount).toBe(1)
  })

  it('lands every put issued between concurrent modifies', async () => {
    const bump = (state: LocalState) => E.right([undefined, { ...state, lastSyncCount: (state.lastSyncCount + 1) as SyncCount }] as const)
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => Promise.all([runRight(store.modify(settings.name, bump)), runRight(settings.put(`key-${i}`, `value-${i}`))])),
    )
    const after = await runRight(settings.state())
    expect(after.lastSyncCount).toBe(50)
    expect(usage(after).records).toBe(50)
  })
})
