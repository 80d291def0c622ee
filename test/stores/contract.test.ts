// The laws of LocalStore (src/stores/LocalStore.ts), one suite run against every store.
import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  type LocalRecord,
  type LocalState,
  type RecordKey,
  type SyncCount,
  LocalStateJson,
  emptyState,
  put,
  remove,
  setRecord,
  setRecords,
  stateOf,
} from 'cognito-reconcile'
import { localRecord, localState, recordKey as anyKey, syncCount } from 'cognito-reconcile/testkit'
import { openDataset } from '../../src/stores/dataset.js'
import { usage } from '../../src/stores/limits.js'
import type { LocalStore, RecordSlice } from '../../src/stores/LocalStore.js'
import { sliceOf } from '../../src/stores/records.js'
import { type StoreFactory, datasetName, recordKey, recordValue, runRight, storeFactories, unwrap } from './harness.js'

const settings = datasetName('settings')

/** Sets the whole state of `dataset`, answering nothing. */
const replace = (store: LocalStore, dataset = settings) => (state: LocalState) => store.modify(dataset, () => E.right([undefined, state] as const))

const millis = 1_700_000_123_456

// Keys that break object-backed stores, and one a UTF-8 text column would mangle.
const awkwardKeys = ['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'a"b\\c', '😀', '\ud800', 'x'.repeat(1024)]

const awkwardState: LocalState = stateOf(
  [
    ...awkwardKeys.map((key, i): LocalRecord => ({ key: recordKey(key), server: { content: recordValue(`v${i}`), syncCount: (i + 1) as SyncCount } })),
    { key: recordKey('empty'), server: { content: recordValue(''), syncCount: 3 as SyncCount } },
    {
      key: recordKey('tombstone'),
      server: {
        content: null,
        syncCount: 4 as SyncCount,
        lastModifiedDate: new Date(millis),
        lastModifiedBy: 'device-a',
        deviceLastModifiedDate: new Date(millis + 1),
      },
    },
    { key: recordKey('pending-empty'), pending: { content: recordValue(''), deviceLastModifiedDate: new Date(millis + 7) } },
    {
      key: recordKey('pending-delete'),
      server: { content: recordValue('was'), syncCount: 2 as SyncCount },
      pending: { content: null, deviceLastModifiedDate: new Date(millis + 999) },
    },
  ],
  42,
)

const storeContract = (factory: StoreFactory) =>
  describe(`${factory.name} keeps the LocalStore laws`, () => {
    let store: LocalStore
    let dispose: () => void
    beforeEach(() => {
      ;({ store, dispose } = factory.open())
    })
    afterEach(() => dispose())

    it('reads a dataset never written as emptyState, and lists no datasets', async () => {
      expect(await store.read(settings)()).toEqual(E.right(emptyState))
      expect(await store.datasets()()).toEqual(E.right([]))
    })

    it('stores the state a right gives and answers its value', async () => {
      const answer = await store.modify(settings, () => E.right(['answer', awkwardState] as const))()
      expect(answer).toEqual(E.right('answer'))
      expect(await store.read(settings)()).toEqual(E.right(awkwardState))
    })

    it('round-trips awkward keys, empty strings apart from tombstones, and dates to the millisecond', async () => {
      await runRight(replace(store)(awkwardState))
      const read = await runRight(store.read(settings))
      expect(LocalStateJson.encode(read)).toEqual(LocalStateJson.encode(awkwardState))
      expect(read.records.get('empty')?.server?.content).toBe('')
      expect(read.records.get('tombstone')?.server?.content).toBeNull()
      expect(read.records.get('pending-empty')?.pending?.content).toBe('')
      expect(read.records.get('tombstone')?.server?.deviceLastModifiedDate?.getTime()).toBe(millis + 1)
      expect(read.records.get('__proto__')?.server?.content).toBe('v0')
      expect(read.records.get('\ud800')?.server?.content).toBe('v6')
    })

    it('stores nothing on a left, and answers the left', async () => {
      await runRight(replace(store)(awkwardState))
      const answer = await store.modify(settings, () => E.left('refused'))()
      expect(answer).toEqual(E.left('refused'))
      expect(await store.read(settings)()).toEqual(E.right(awkwardState))
    })

    it('stores nothing when the function throws, and answers StoreFailed', async () => {
      await runRight(replace(store)(awkwardState))
      const answer = await store.modify(settings, () => {
        throw new Error('bug')
      })()
      expect(answer).toMatchObject(E.left({ _tag: 'StoreFailed' }))
      expect(await store.read(settings)()).toEqual(E.right(awkwardState))
    })

    it('deletes the records a new state no longer holds', async () => {
      await runRight(replace(store)(awkwardState))
      const fewer = stateOf([...awkwardState.records.values()].slice(0, 2), 43)
      await runRight(replace(store)(fewer))
      expect(await store.read(settings)()).toEqual(E.right(fewer))
    })

    it('lands every one of many concurrent modifies (no lost update)', async () => {
      const increment = (state: LocalState): E.Either<never, readonly [number, LocalState]> => {
        const count = Number(state.records.get('counter')?.server?.content ?? '0') + 1
        const record: LocalRecord = { key: recordKey('counter'), server: { content: recordValue(String(count)), syncCount: count as SyncCount } }
        return E.right([count, { ...setRecord(record)(state), lastSyncCount: count as SyncCount }])
      }
      const answers = await Promise.all(Array.from({ length: 200 }, () => runRight(store.modify(settings, increment))))
      expect([...answers].sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1))
      const final = await runRight(store.read(settings))
      expect(final.lastSyncCount).toBe(200)
      expect(final.records.get('counter')?.server?.content).toBe('200')
    })

    it('keeps datasets apart, and lists those that hold a record in name order', async () => {
      const other = datasetName('other.eu-west-1:0f6a')
      await runRight(replace(store, other)(awkwardState))
      await runRight(replace(store, datasetName('synced-but-empty'))({ records: new Map(), lastSyncCount: 5 as SyncCount }))
      expect(await store.read(settings)()).toEqual(E.right(emptyState))
      expect(await store.datasets()()).toEqual(E.right([other]))
      await runRight(replace(store)(awkwardState))
      expect(await store.datasets()()).toEqual(E.right([other, settings]))
    })

    // The app API over the store behaves exactly as the pure core: puts and removes in any order,
    // with a clock that may go backwards, give the state the core's own put/remove give.
    it('gives the state the core gives for any sequence of puts and removes', async () => {
      const key = fc.oneof(fc.constantFrom('a', 'b', '__proto__', 'constructor', ''), fc.string({ maxLength: 3 }))
      const op = fc.oneof(
        fc.record({ kind: fc.constant('put' as const), key, value: fc.oneof(fc.constant(''), fc.string({ maxLength: 5 })), at: fc.nat(1000) }),
        fc.record({ kind: fc.constant('remove' as const), key, at: fc.nat(1000) }),
      )
      let run = 0
      await fc.assert(
        fc.asyncProperty(fc.array(op, { maxLength: 15 }), async (ops) => {
          run += 1
          let now = 0
          const dataset = unwrap(openDataset(store, `run-${run}`, { clock: () => new Date(now) }))
          let model = emptyState
          for (const step of ops) {
            now = step.at
            const date = new Date(step.at)
            const expected = step.kind === 'put' ? put(step.key, step.value, date)(model) : remove(step.key, date)(model)
            const actual = await (step.kind === 'put' ? dataset.put(step.key, step.value) : dataset.remove(step.key))()
            expect(E.isRight(actual)).toBe(E.isRight(expected))
            if (E.isRight(expected)) model = expected.right
          }
          expect(LocalStateJson.encode(await runRight(dataset.state()))).toEqual(LocalStateJson.encode(model))
        }),
      )
    })
  })

/** One step of a random history, over both levels of the interface. */
type Step =
  | { readonly kind: 'records'; readonly keys: ReadonlyArray<RecordKey>; readonly changed: ReadonlyArray<LocalRecord> }
  | { readonly kind: 'whole'; readonly state: LocalState }
  | { readonly kind: 'put'; readonly key: RecordKey; readonly value: string | null }

const step: fc.Arbitrary<Step> = fc.oneof(
  // raw record writes, empty records (deletes) included, within the keys given
  fc
    .array(fc.oneof({ weight: 4, arbitrary: localRecord(anyKey) }, { weight: 1, arbitrary: anyKey.map((key): LocalRecord => ({ key })) }), { maxLength: 4 })
    .chain((changed) =>
      fc.array(anyKey, { maxLength: 2 }).map((extra) => ({ kind: 'records' as const, keys: [...changed.map((record) => record.key), ...extra], changed })),
    ),
  // what a sync does: a whole new state, sharing some records with the current one
  localState(5).map((state) => ({ kind: 'whole' as const, state })),
  fc.record({ kind: fc.constant('put' as const), key: anyKey, value: fc.option(fc.string({ maxLength: 6 }), { nil: null }) }),
)

const recordLevelContract = (factory: StoreFactory) =>
  describe(`${factory.name} keeps the record-level laws`, () => {
    let store: LocalStore
    let dispose: () => void
    beforeEach(() => {
      ;({ store, dispose } = factory.open())
    })
    afterEach(() => dispose())

    const slice = (keys: ReadonlyArray<RecordKey>, dataset = settings): Promise<RecordSlice> => runRight(store.readRecords(dataset, keys))

    it('reads a dataset never written as no records and a zero header', async () => {
      expect(await slice([recordKey('k')])).toEqual({ header: { lastSyncCount: 0, usage: { records: 0, bytes: 0 } }, records: new Map() })
    })

    // Laws 3 and 4: a record-level write is the whole-state write of its records, and the header's totals
    // always equal what `usage` counts from the records, whichever level wrote last.
    it('agrees with a whole-state model over any history of record writes, puts and whole states', async () => {
      let run = 0
      await fc.assert(
        fc.asyncProperty(fc.array(step, { maxLength: 8 }), syncCount, async (steps, lastSyncCount) => {
          run += 1
          const dataset = datasetName(`run-${run}`)
          const app = unwrap(openDataset(store, dataset, { clock: () => new Date(millis) }))
          let model: LocalState = { ...emptyState, lastSyncCount }
          await runRight(store.modify(dataset, () => E.right([undefined, model] as const)))
          for (const next of steps) {
            if (next.kind === 'records') {
              await runRight(store.modifyRecords(dataset, next.keys, () => E.right([undefined, next.changed] as const)))
              model = setRecords(next.changed)(model)
            } else if (next.kind === 'whole') {
              // keep a few current records as they are, by reference, as a sync does
              const kept = [...model.records.values()].filter((_, i) => i % 2 === 0)
              const state = stateOf([...kept, ...next.state.records.values()], next.state.lastSyncCount)
              await runRight(store.modify(dataset, () => E.right([undefined, state] as const)))
              model = state
            } else {
              const expected = next.value === null ? remove(next.key, new Date(millis))(model) : put(next.key, next.value, new Date(millis))(model)
              const actual = await (next.value === null ? app.remove(next.key) : app.put(next.key, next.value))()
              expect(E.isRight(actual)).toBe(E.isRight(expected))
              if (E.isRight(expected)) model = expected.right
            }
            const keys = [...[...model.records.values()].map((record) => record.key), recordKey('never-written')]
            const read = await runRight(store.read(dataset))
            expect(LocalStateJson.encode(read)).toEqual(LocalStateJson.encode(model))
            const current = await slice(keys, dataset)
            expect(current.header).toEqual({ lastSyncCount: model.lastSyncCount, usage: usage(model) })
            expect(encodeRecords(current.records)).toEqual(encodeRecords(sliceOf(model, keys).records))
          }
        }),
        { numRuns: factory.name === 'sqliteStore' ? 40 : 100 },
      )
    })

    it('stores nothing on a left or a throw, and answers it', async () => {
      await runRight(replace(store)(awkwardState))
      const key = recordKey('empty')
      const change: LocalRecord = { key, pending: { content: null, deviceLastModifiedDate: new Date(millis) } }
      expect(await store.modifyRecords(settings, [key], () => E.left('refused'))()).toEqual(E.left('refused'))
      const thrown = await store.modifyRecords(settings, [key], () => {
        throw new Error('bug')
      })()
      expect(thrown).toMatchObject(E.left({ _tag: 'StoreFailed' }))
      expect(await store.read(settings)()).toEqual(E.right(awkwardState))
      expect((await slice([key])).header.usage).toEqual(usage(awkwardState))
      // and the same write, answered right, lands
      await runRight(store.modifyRecords(settings, [key], () => E.right([undefined, [change]] as const)))
      expect((await runRight(store.read(settings))).records.get('empty')).toEqual(change)
    })

    it('refuses a record outside the keys it was given, storing none of the others', async () => {
      const inside: LocalRecord = { key: recordKey('a'), pending: { content: recordValue('v'), deviceLastModifiedDate: new Date(millis) } }
      const outside: LocalRecord = { ...inside, key: recordKey('b') }
      const answer = await store.modifyRecords(settings, [inside.key], () => E.right([undefined, [inside, outside]] as const))()
      expect(answer).toMatchObject(E.left({ _tag: 'StoreFailed', message: expect.stringContaining('"b"') }))
      expect(await store.read(settings)()).toEqual(E.right(emptyState))
    })

    it('lands every one of many concurrent record writes and whole-state modifies', async () => {
      const counter = recordKey('counter')
      const bump = (slice: RecordSlice) => {
        const count = Number(slice.records.get(counter)?.pending?.content ?? '0') + 1
        return E.right([count, [{ key: counter, pending: { content: recordValue(String(count)), deviceLastModifiedDate: new Date(millis) } }]] as const)
      }
      const tick = (state: LocalState) => E.right([undefined, { ...state, lastSyncCount: (state.lastSyncCount + 1) as SyncCount }] as const)
      await Promise.all(Array.from({ length: 100 }, () => Promise.all([runRight(store.modifyRecords(settings, [counter], bump)), runRight(store.modify(settings, tick))])))
      const final = await runRight(store.read(settings))
      expect(final.records.get('counter')?.pending?.content).toBe('100')
      expect(final.lastSyncCount).toBe(100)
      expect((await slice([counter])).header).toEqual({ lastSyncCount: 100, usage: { records: 1, bytes: 7 + 3 } })
    })

    // Law 6: a store that changes records in place must copy before changing a state it handed out.
    it('never changes a state it handed out', async () => {
      const app = unwrap(openDataset(store, settings, { clock: () => new Date(millis) }))
      await runRight(app.put('a', '1'))
      const read = await runRight(store.read(settings))
      const given: Array<LocalState> = []
      await runRight(store.modify(settings, (state) => (given.push(state), E.right([undefined, state] as const))))
      const before = [read, ...given].map((state) => JSON.stringify(LocalStateJson.encode(state)))
      await runRight(app.putAll([['a', '2'], ['b', '3']]))
      await runRight(app.remove('a'))
      expect([read, ...given].map((state) => JSON.stringify(LocalStateJson.encode(state)))).toEqual(before)
      expect(currentOf(await runRight(store.read(settings)))).toEqual({ a: null, b: '3' })
    })
  })

const encodeRecords = (records: ReadonlyMap<string, LocalRecord>) => LocalStateJson.encode({ records, lastSyncCount: 0 as SyncCount })

const currentOf = (state: LocalState): Record<string, string | null> =>
  Object.fromEntries([...state.records].map(([key, record]) => [key, record.pending?.content ?? record.server?.content ?? null]))

storeFactories.forEach(storeContract)
storeFactories.forEach(recordLevelContract)
