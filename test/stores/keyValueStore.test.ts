// What only the key-value store promises: a crash between any two storage calls leaves the old state or
// the new one, never a mixture, and leaves no garbage once the dataset is written again; a write costs
// the same in a big dataset as in a small one; stores over one storage see each other's writes at
// once, even while the other writes. (The LocalStore laws are checked in contract.test.ts.)
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { type LocalState, LocalStateJson, type SyncCount, setRecords, stateOf } from 'cognito-reconcile'
import { type KeyValueStorage, type LocalStore, keyValueStore, keyedMutex, openDataset } from 'cognito-reconcile/stores'
import { datasetName, mapStorage, recordKey, recordValue, runRight, unwrap } from './harness.js'

const settings = datasetName('settings')
const clock = () => new Date(1_700_000_000_000)

/** A storage over `entries` cut after `limit` calls: each later call throws (a failing storage) or never answers (the process died). */
const cutStorage = (entries: Map<string, string>, limit: number, mode: 'throw' | 'stop') => {
  let calls = 0
  const gate = <A>(run: () => A): A | Promise<A> => {
    calls += 1
    if (calls <= limit) return run()
    if (mode === 'throw') throw new Error(`storage cut after ${limit} calls`)
    return new Promise<A>(() => undefined)
  }
  const storage: KeyValueStorage = {
    getItem: (key) => gate(() => entries.get(key) ?? null),
    setItem: (key, value) => gate(() => void entries.set(key, value)),
    removeItem: (key) => gate(() => void entries.delete(key)),
  }
  return { storage, calls: () => calls, heal: () => (limit = Infinity) }
}

const encode = (state: LocalState): string => JSON.stringify(LocalStateJson.encode(state))

/** The entries the roots of `entries` reach, the roots themselves and the list of datasets: anything else is garbage. */
const reachable = (entries: ReadonlyMap<string, string>, prefix = 'cognito-reconcile/'): ReadonlySet<string> => {
  const found = new Set<string>([`${prefix}datasets`])
  const walk = (name: string | null): void => {
    if (name === null) return
    found.add(name)
    const node = JSON.parse(entries.get(name) ?? 'null') as { c?: ReadonlyArray<string | null> } | null
    if (node === null) throw new Error(`a root reaches ${name}, which the storage does not hold`)
    node.c?.forEach(walk)
  }
  for (const [name, text] of entries) {
    if (!name.startsWith(`${prefix}d/`)) continue
    found.add(name)
    walk((JSON.parse(text) as { top: string | null }).top)
  }
  return found
}

const garbageOf = (entries: ReadonlyMap<string, string>): ReadonlyArray<string> => {
  const live = reachable(entries)
  return [...entries.keys()].filter((name) => !live.has(name))
}

const server = (value: string, syncCount: number) => ({ content: recordValue(value), syncCount: syncCount as SyncCount })

/** A dataset of `n` synced records. */
const synced = (n: number): LocalState => stateOf(Array.from({ length: n }, (_, i) => ({ key: recordKey(`k${i}`), server: server(`v${i}`, i + 1) })), n)

/** The writes cut at every step: each from a state set up first. */
const scenarios: ReadonlyArray<{ readonly name: string; readonly before: LocalState; readonly write: (store: LocalStore) => Promise<unknown> }> = [
  {
    name: 'a put in a dataset of 40 records',
    before: synced(40),
    write: (store) => unwrap(openDataset(store, settings, { clock })).put('k7', 'changed')(),
  },
  {
    name: "a sync's modify: 10 records changed, 5 removed, 3 added, lastSyncCount moved",
    before: synced(40),
    write: (store) =>
      store.modify(settings, (state) => {
        const changed = [...state.records.values()].slice(0, 10).map((record) => ({ ...record, server: server('new', 50) }))
        const removed = [...state.records.values()].slice(10, 15).map((record) => ({ key: record.key }))
        const added = ['n1', 'n2', '__proto__'].map((key) => ({ key: recordKey(key), server: server('added', 51) }))
        return E.right([undefined, { ...setRecords([...changed, ...removed, ...added])(state), lastSyncCount: 51 as SyncCount }] as const)
      })(),
  },
  {
    name: 'a putAll that deletes every record of the dataset',
    before: synced(6),
    write: (store) => store.modify(settings, () => E.right([undefined, stateOf([], 6)] as const))(),
  },
  {
    name: 'the first write of a dataset',
    before: stateOf([], 0),
    write: (store) => unwrap(openDataset(store, settings, { clock })).putAll([['a', '1'], ['b', '']])(),
  },
]

/** Sets up `before` in fresh entries, and the state the scenario's write leads to. */
const setUp = async (scenario: (typeof scenarios)[number]) => {
  const entries = new Map<string, string>()
  const store = keyValueStore({ storage: mapStorage(entries), leafCapacity: 4, lock: false })
  await runRight(store.modify(settings, () => E.right([undefined, scenario.before] as const)))
  const base = new Map(entries)
  const after = keyValueStore({ storage: mapStorage(new Map(base)), leafCapacity: 4, lock: false })
  await scenario.write(after)
  return { base, old: encode(scenario.before), next: encode(await runRight(after.read(settings))) }
}

describe('keyValueStore cut at every storage call', () => {
  describe.each(['stop', 'throw'] as const)('when the storage %s', (mode) => {
    it.each(scenarios.map((scenario) => [scenario.name, scenario] as const))('%s leaves the old state or the new, then recovers', async (_, scenario) => {
      const { base, old, next } = await setUp(scenario)
      const seen = new Set<string>()
      for (let limit = 0; ; limit++) {
        const entries = new Map(base)
        const cut = cutStorage(entries, limit, mode)
        const store = keyValueStore({ storage: cut.storage, leafCapacity: 4, lock: false })
        let outcome: unknown = 'pending'
        const running = scenario.write(store).then((answer) => (outcome = answer))
        while (outcome === 'pending' && cut.calls() <= limit) await new Promise((resolve) => setTimeout(resolve, 0))
        if (mode === 'throw') await running
        const done = cut.calls() <= limit
        // reopened (the app started again, or the same store once the storage works again)
        if (mode === 'throw') cut.heal()
        const reopened = mode === 'throw' ? store : keyValueStore({ storage: mapStorage(entries), leafCapacity: 4, lock: false })
        const state = encode(await runRight(reopened.read(settings)))
        expect([old, next], `cut after ${limit} calls`).toContain(state)
        if (typeof outcome === 'object' && outcome !== null && E.isRight(outcome as E.Either<unknown, unknown>)) expect(state, `acknowledged, cut after ${limit} calls`).toBe(next)
        seen.add(state === old ? 'old' : 'new')
        // the next write lands on what is there, and leaves no garbage behind
        await runRight(unwrap(openDataset(reopened, settings, { clock })).put('after', 'x'))
        const final = await runRight(reopened.read(settings))
        expect(final.records.get('after')?.pending?.content).toBe('x')
        expect(encode(setRecords([{ key: recordKey('after') }])(final))).toBe(state)
        expect(garbageOf(entries), `cut after ${limit} calls`).toEqual([])
        expect(await runRight(reopened.datasets())).toEqual([settings])
        if (done) break
      }
      // the cuts fell both before and after the switch of the root
      expect(seen).toEqual(new Set(['old', 'new']))
    })
  })
})

describe('keyValueStore', () => {
  it('writes a constant number of entries and bytes per put, whatever the size of the dataset', async () => {
    const costs: Array<{ readonly records: number; readonly calls: number; readonly written: number; readonly stored: number }> = []
    for (const records of [16, 256, 1024]) {
      const entries = new Map<string, string>()
      const base = mapStorage(entries)
      let calls = 0
      let written = 0
      const counted: KeyValueStorage = {
        getItem: (key) => (calls++, base.getItem(key)),
        setItem: (key, value) => (calls++, (written += key.length + value.length), base.setItem(key, value)),
        removeItem: (key) => (calls++, base.removeItem(key)),
      }
      const store = keyValueStore({ storage: counted, lock: false })
      await runRight(store.modify(settings, () => E.right([undefined, synced(records)] as const)))
      const dataset = unwrap(openDataset(store, settings, { clock }))
      await runRight(dataset.put('k3', 'warm'))
      ;[calls, written] = [0, 0]
      await runRight(dataset.put('k5', 'changed'))
      const stored = [...entries].reduce((n, [key, value]) => n + key.length + value.length, 0)
      costs.push({ records, calls, written, stored })
    }
    const [small, , big] = costs as [(typeof costs)[number], (typeof costs)[number], (typeof costs)[number]]
    expect(big.stored).toBeGreaterThan(40 * small.stored)
    expect(big.calls).toBeLessThanOrEqual(small.calls + 8)
    expect(big.written).toBeLessThan(4 * small.written + 2000)
    expect(big.written).toBeLessThan(big.stored / 20)
  })

  it('reads a consistent state while another tab writes, never half of a write', async () => {
    const entries = new Map<string, string>()
    const lock = keyedMutex()
    const tab = () => keyValueStore({ storage: mapStorage(entries, true), leafCapacity: 1, lock: { run: (name, task) => lock.run(name, task) } })
    const [writer, reader] = [tab(), tab()]
    await runRight(writer.modify(settings, () => E.right([undefined, synced(64)] as const)))
    const dataset = unwrap(openDataset(writer, settings, { clock }))
    await runRight(dataset.putAll([['k1', 'start'], ['k40', 'start'], ['k63', 'start']]))
    let writing = true
    const writes = (async () => {
      for (let i = 0; i < 40; i++) await runRight(dataset.putAll([['k1', `${i}`], ['k40', `${i}`], ['k63', `${i}`]]))
      writing = false
    })()
    const reads: Array<string> = []
    while (writing) {
      const state = await runRight(reader.read(settings))
      const values = ['k1', 'k40', 'k63'].map((key) => state.records.get(key)?.pending?.content ?? state.records.get(key)?.server?.content)
      reads.push(values.join(','))
      expect(new Set(values).size, `one read saw ${values.join(', ')}`).toBe(1)
    }
    await writes
    expect(new Set(reads).size).toBeGreaterThan(2)
  })

  it('answers StoreFailed naming a corrupt entry, and writes nothing over it', async () => {
    const storage = mapStorage()
    const store = keyValueStore({ storage, lock: false })
    await runRight(unwrap(openDataset(store, settings, { clock })).put('a', '1'))
    const root = 'cognito-reconcile/d/settings'
    const good = storage.entries.get(root) ?? ''
    storage.entries.set(root, '{"v":1,"gen":"one"}')
    const read = await store.read(settings)()
    expect(read).toMatchObject(E.left({ _tag: 'StoreFailed', message: expect.stringContaining(`Corrupt key-value entry "${root}"`) }))
    const write = await unwrap(openDataset(store, settings, { clock })).put('b', '2')()
    expect(write).toMatchObject(E.left({ _tag: 'StoreFailed' }))
    expect(storage.entries.get(root)).toBe('{"v":1,"gen":"one"}')
    // a root that reaches a node the storage lost
    storage.entries.set(root, good)
    const top = (JSON.parse(good) as { top: string }).top
    storage.entries.delete(top)
    const lost = await keyValueStore({ storage: mapStorage(storage.entries), lock: false }).read(settings)()
    expect(lost).toMatchObject(E.left({ _tag: 'StoreFailed', message: expect.stringContaining('reaches an entry the storage does not hold') }))
  })

  it('answers StoreFailed when the storage rejects, and loses nothing written before', async () => {
    const entries = new Map<string, string>()
    const cut = cutStorage(entries, Infinity, 'throw')
    const full: KeyValueStorage = { ...cut.storage, setItem: (key, value) => (value.includes('big') ? Promise.reject(new Error('QuotaExceededError')) : cut.storage.setItem(key, value)) }
    const store = keyValueStore({ storage: full, lock: false })
    const dataset = unwrap(openDataset(store, settings, { clock }))
    await runRight(dataset.put('a', '1'))
    expect(await dataset.put('b', 'big')()).toMatchObject(E.left({ _tag: 'StoreFailed', message: expect.stringContaining('QuotaExceededError') }))
    expect([...(await runRight(store.read(settings))).records.keys()]).toEqual(['a'])
    expect(garbageOf(entries)).toEqual([])
  })

  it('keeps apart the datasets of two prefixes in one storage', async () => {
    const storage = mapStorage()
    const [one, two] = [keyValueStore({ storage, prefix: 'app1/' }), keyValueStore({ storage, prefix: 'app2/' })]
    await runRight(unwrap(openDataset(one, settings, { clock })).put('a', '1'))
    expect(await runRight(two.read(settings))).toEqual(stateOf([], 0))
    expect(await runRight(two.datasets())).toEqual([])
  })
})
