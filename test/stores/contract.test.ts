// The laws of LocalStore (src/stores/LocalStore.ts), one suite run against every store.
import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  type LocalRecord,
  type LocalState,
    type SyncCount,
  LocalStateJson,
  emptyState,
  put,
  remove,
  setRecord,
  stateOf,
} from 'cognito-reconcile'
import { openDataset } from '../../src/stores/dataset.js'
import type { LocalStore } from '../../src/stores/LocalStore.js'
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

storeFactories.forEach(storeContract)
