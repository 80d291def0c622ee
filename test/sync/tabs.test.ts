/**
 * Several tabs over one storage, against the emulator over HTTP with the real SDK: a store that offers
 * a `syncLock` gets its syncs serialised across contexts (the sync adapter and the app's API take it);
 * without one (the documented fallback), concurrent syncs interleave but lose nothing.
 */
import { describe, expect, it } from 'vitest'
import { createSyncManager } from '../../src/app/index.js'
import { type CrossContextLock, type LocalStore, keyValueStore, keyedMutex, webLocks } from '../../src/stores/index.js'
import { lastWriterWins } from '../../strategies/index.js'
import { mapStorage } from '../stores/harness.js'
import { alice, contents, dirtyKeys, pool, sdkClient, useWorld } from './harness.js'

const world = useWorld()

/** What Web Locks are to the tabs of one origin: one lock manager they all share, here logging what it grants. */
const sharedLocks = () => {
  const mutex = keyedMutex()
  const granted: Array<string> = []
  const lock: CrossContextLock = {
    run: (name, task, signal) =>
      mutex.run(name, async () => {
        if (signal?.aborted === true) throw signal.reason
        granted.push(name)
        return task()
      }),
  }
  return { lock, granted }
}

/** Tabs of one origin: each its own storage object over the same entries, as each tab has its own `localStorage` object. */
const tabs = (lock: CrossContextLock | false) => {
  const entries = new Map<string, string>()
  return () => keyValueStore({ storage: mapStorage(entries, true), lock })
}

const operations = () => world.emulator.calls().map((call) => call.operation)

describe('two tabs syncing one dataset', () => {
  it('never interleave their syncs when the store offers a syncLock', async () => {
    const { lock, granted } = sharedLocks()
    const tab = tabs(lock)
    const [one, two] = [world.device('browser', { store: tab() }), world.device('browser', { store: tab() })]
    await one.put('theme', 'dark')
    await two.put('volume', '7')
    await Promise.all([one.synced(), two.synced()])
    // the first pushes both edits (one storage); the second finds nothing left to do
    expect(operations()).toEqual(['ListRecords', 'UpdateRecords', 'ListRecords'])
    expect(granted.filter((name) => name.includes('sync/'))).toEqual(['cognito-reconcile/sync/game', 'cognito-reconcile/sync/game'])
    expect(await contents(two)).toEqual({ theme: 'dark', volume: '7' })
  })

  it('without a cross-context lock (the fallback), interleave but lose nothing', async () => {
    const tab = tabs(false)
    const [one, two] = [world.device('browser', { store: tab() }), world.device('browser', { store: tab() })]
    expect(one.store.syncLock).toBeUndefined()
    await one.put('theme', 'dark')
    await two.put('volume', '7')
    await Promise.all([one.synced(), two.synced()])
    expect(operations().slice(0, 2)).toEqual(['ListRecords', 'ListRecords'])
    await one.synced()
    const other = world.device('other-device')
    await other.synced()
    expect(await contents(other)).toEqual({ theme: 'dark', volume: '7' })
    expect(dirtyKeys(await one.state())).toEqual([])
  })

  it('a sync cancelled while another tab holds the lock fails Aborted at once, and never runs', async () => {
    const { lock } = sharedLocks()
    const tab = tabs(lock)
    const [one, two] = [world.device('browser', { store: tab() }), world.device('browser', { store: tab() })]
    let release = () => {}
    const held = lock.run('cognito-reconcile/sync/game', () => new Promise<void>((resolve) => (release = resolve)))
    const controller = new AbortController()
    const waiting = two.sync({ signal: controller.signal })
    controller.abort('user left')
    expect(await waiting).toMatchObject({ _tag: 'Left', left: { _tag: 'Aborted', reason: 'user left' } })
    release()
    await held
    await one.synced()
    expect(operations()).toEqual(['ListRecords'])
  })

  it('a cross-context lock that fails (a lock manager refusing) is a StoreFailed naming the dataset, and nothing is called or changed', async () => {
    for (const [refusal, said] of [
      [new Error('the lock manager refused'), 'the lock manager refused'],
      ['NotAllowedError', 'NotAllowedError'],
    ] as const) {
      // writes take their own lock, which works; only the sync's is refused
      const lock: CrossContextLock = { run: (name, task) => (name.includes('/sync/') ? Promise.reject(refusal) : task()) }
      const tab = world.device('browser', { store: tabs(lock)() })
      await tab.put('theme', 'dark')
      const result = await tab.sync()
      expect(result).toEqual({
        _tag: 'Left',
        left: { _tag: 'StoreFailed', message: `The cross-context lock of dataset game failed: ${said}`, cause: refusal },
      })
      expect(dirtyKeys(await tab.state())).toEqual(['theme'])
    }
    expect(operations()).toEqual([])
  })

  it("the app's manager takes the store's syncLock", async () => {
    const { lock, granted } = sharedLocks()
    const client = sdkClient(world.emulator.endpoint)
    const store: LocalStore = tabs(lock)()
    const manager = createSyncManager({ client, store, identityPoolId: pool, identityId: alice, deviceId: 'browser', strategy: lastWriterWins })
    await manager.dataset('settings').put('theme', 'dark')
    await manager.dataset('settings').sync()
    client.destroy()
    expect(granted).toContain('cognito-reconcile/sync/settings')
  })
})

describe('webLocks', () => {
  it('asks navigator.locks for the name, passing the signal, and answers the task', async () => {
    const requests: Array<{ name: string; signal: AbortSignal | undefined }> = []
    const locks = webLocks({ request: (name, options, callback) => (requests.push({ name, signal: options.signal }), callback()) })
    const signal = new AbortController().signal
    expect(await locks?.run('n', async () => 'done', signal)).toBe('done')
    expect(requests).toEqual([{ name: 'n', signal }])
  })

  it('is undefined where the platform has no navigator.locks (Node 20, React Native)', () => {
    const platform = (globalThis as { navigator?: { locks?: unknown } }).navigator?.locks
    expect(webLocks() === undefined).toBe(platform === undefined)
  })
})
