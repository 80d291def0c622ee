// What only the IndexedDB store promises (the LocalStore laws are checked in contract.test.ts, on
// fake-indexeddb here and in Chromium by test/browser): durability across connections, nothing of a
// transaction cut off by a closing tab, typed failures for corrupt entries, a write that reads and
// writes only its keys and the header, and the lock between tabs.
import * as E from 'fp-ts/lib/Either.js'
import { IDBDatabase, IDBFactory, IDBKeyRange, IDBObjectStore } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import { type SyncCount, stateOf } from 'cognito-reconcile'
import { indexedDbStore } from 'cognito-reconcile/indexeddb'
import { openDataset, usage } from 'cognito-reconcile/stores'
import { datasetName, recordKey, recordValue, runRight, unwrap } from './harness.js'

const settings = datasetName('settings')
const clock = () => new Date(1_700_000_000_000)

const synced = (n: number) =>
  stateOf(
    Array.from({ length: n }, (_, i) => ({ key: recordKey(`k${i}`), server: { content: recordValue(`v${i}`), syncCount: (i + 1) as SyncCount } })),
    n,
  )

/** Runs `during` with every transaction begun meanwhile recorded, as the browser knows them when a tab closes. */
const recordingTransactions = async <A>(during: (transactions: Array<{ abort: () => void }>) => Promise<A>): Promise<A> => {
  const prototype = IDBDatabase.prototype as unknown as { transaction: (...args: Array<unknown>) => { abort: () => void } }
  const original = prototype.transaction
  const transactions: Array<{ abort: () => void }> = []
  prototype.transaction = function (this: unknown, ...args: Array<unknown>) {
    const tx = original.apply(this, args)
    transactions.push(tx)
    return tx
  }
  try {
    return await during(transactions)
  } finally {
    prototype.transaction = original
  }
}

describe('indexedDbStore', () => {
  it('keeps every record across connections', async () => {
    const indexedDB = new IDBFactory()
    const first = indexedDbStore({ indexedDB, IDBKeyRange })
    await runRight(first.modify(settings, () => E.right([undefined, synced(5)] as const)))
    await runRight(unwrap(openDataset(first, settings, { clock })).put('k1', 'edited'))
    first.close()
    const again = indexedDbStore({ indexedDB, IDBKeyRange })
    const state = await runRight(again.read(settings))
    expect(state.records.get('k1')?.pending?.content).toBe('edited')
    expect(state.lastSyncCount).toBe(5)
    expect(await runRight(again.datasets())).toEqual([settings])
    again.close()
  })

  it('loses nothing and shows nothing of a transaction cut off when its tab closes', async () => {
    const indexedDB = new IDBFactory()
    const tab = indexedDbStore({ indexedDB, IDBKeyRange })
    await runRight(tab.modify(settings, () => E.right([undefined, synced(20)] as const)))
    // the tab closes while a sync step's writes are in flight: the browser aborts its transaction
    const cut = await recordingTransactions((transactions) =>
      tab.modify(settings, (state) => {
        queueMicrotask(() => transactions.forEach((tx) => tx.abort()))
        return E.right([undefined, { ...stateOf([], 0), lastSyncCount: (state.lastSyncCount + 1) as SyncCount }] as const)
      })(),
    )
    expect(cut).toMatchObject(E.left({ _tag: 'StoreFailed', message: expect.stringContaining('aborted') }))
    const reloaded = indexedDbStore({ indexedDB, IDBKeyRange })
    expect(await reloaded.read(settings)()).toEqual(E.right(synced(20)))
    expect((await runRight(reloaded.readRecords(settings, []))).header).toEqual({ lastSyncCount: 20, usage: usage(synced(20)) })
    tab.close()
    reloaded.close()
  })

  it('a put reads and writes only its record and the header, whatever the size of the dataset', async () => {
    const store = indexedDbStore({ indexedDB: new IDBFactory(), IDBKeyRange })
    await runRight(store.modify(settings, () => E.right([undefined, synced(1024)] as const)))
    const calls: Array<string> = []
    const prototype = IDBObjectStore.prototype as unknown as Record<string, (...args: ReadonlyArray<unknown>) => unknown>
    const originals = Object.fromEntries(['get', 'getAll', 'put', 'delete', 'openCursor'].map((method) => [method, prototype[method]]))
    for (const [method, original] of Object.entries(originals))
      prototype[method] = function (this: unknown, ...args: ReadonlyArray<unknown>) {
        calls.push(method)
        return original?.apply(this, [...args])
      }
    try {
      await runRight(unwrap(openDataset(store, settings, { clock })).put('k5', 'changed'))
    } finally {
      Object.assign(prototype, originals)
    }
    expect(calls.sort()).toEqual(['get', 'get', 'put', 'put'])
    store.close()
  })

  it('answers StoreFailed for a corrupt record, and writes nothing over it', async () => {
    const indexedDB = new IDBFactory()
    const store = indexedDbStore({ indexedDB, IDBKeyRange })
    await runRight(unwrap(openDataset(store, settings, { clock })).put('a', '1'))
    store.close()
    // another program writes a record of the wrong shape
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.open('cognito-reconcile', 1)
      request.onsuccess = () => {
        const tx = request.result.transaction(['records'], 'readwrite')
        tx.objectStore('records').put({ key: 'a', pending: { content: 7 } }, ['settings', 'a'])
        tx.oncomplete = () => (request.result.close(), resolve())
        tx.onerror = () => reject(tx.error)
      }
    })
    const again = indexedDbStore({ indexedDB, IDBKeyRange })
    expect(await again.read(settings)()).toMatchObject(E.left({ _tag: 'StoreFailed', message: expect.stringContaining('Corrupt IndexedDB entry in records, dataset settings') }))
    expect(await unwrap(openDataset(again, settings, { clock })).put('a', '2')()).toMatchObject(E.left({ _tag: 'StoreFailed' }))
    again.close()
  })

  it('answers StoreFailed, saying what to do, where there is no IndexedDB', async () => {
    const store = indexedDbStore()
    expect(await store.read(settings)()).toMatchObject(E.left({ _tag: 'StoreFailed', message: expect.stringContaining('pass one as the indexedDB option') }))
  })

  it('offers the lock it is given as its syncLock, under its database name; none with lock: false', async () => {
    const names: Array<string> = []
    const store = indexedDbStore({ indexedDB: new IDBFactory(), IDBKeyRange, name: 'app', lock: { run: (name, task) => (names.push(name), task()) } })
    await store.syncLock?.run('settings', async () => undefined)
    expect(names).toEqual(['app/sync/settings'])
    expect(indexedDbStore({ indexedDB: new IDBFactory(), IDBKeyRange, lock: false }).syncLock).toBeUndefined()
  })
})
