// The contract suite catches broken stores: each store below has one bug a hand-written store is likely
// to have, and `checkStore` rejects it naming the law it breaks and the counterexample.
import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { describe, expect, it } from 'vitest'
import { pipe } from 'fp-ts/lib/function.js'
import { type DatasetName, type LocalRecord, type LocalState, type RecordKey, LocalStateJson, emptyState, setRecords } from 'cognito-reconcile'
import { type LocalStore, type RecordSlice, type WholeStateStore, applyModify, fromWholeState, keyedMutex, memoryStore, sliceOf } from 'cognito-reconcile/stores'
import { type StoreLaw, StoreLawBroken, checkStore } from 'cognito-reconcile/testkit'

const pause = () => new Promise((resolve) => setTimeout(resolve, 0))

/** A whole-state store over a Map, its `modify` serialised unless `atomic` is false. */
const mapStore = (
  data = new Map<DatasetName, LocalState>(),
  { atomic = true, storeOnLeft = false, keep = (state: LocalState): LocalState => state } = {},
): WholeStateStore => {
  const mutex = keyedMutex()
  const serialise = <A>(dataset: string, task: () => Promise<A>): Promise<A> => (atomic ? mutex.run(dataset, task) : task())
  return {
    read: (dataset) => TE.right(data.get(dataset) ?? emptyState),
    modify: (dataset, f) => () =>
      serialise(dataset, async () => {
        const before = data.get(dataset) ?? emptyState
        // a store that awaits between its read and its write, without a lock, loses updates
        if (!atomic) await pause()
        const result = applyModify(f, before)
        if (E.isRight(result)) data.set(dataset, keep(result.right[1]))
        else if (storeOnLeft) data.set(dataset, { ...before, lastSyncCount: 0 })
        return E.map(([answer]: readonly [unknown, LocalState]) => answer)(result) as never
      }),
    datasets: () => TE.right([...data].filter(([, state]) => state.records.size > 0).map(([name]) => name).sort()),
  }
}

/** `modifyRecords` over a whole-state store, each write through `write` (a correct store uses `setRecords`, after checking the keys). */
const recordsThrough =
  (whole: WholeStateStore, write: (state: LocalState, changed: ReadonlyArray<LocalRecord>) => LocalState): LocalStore['modifyRecords'] =>
  <Err, A>(dataset: DatasetName, keys: ReadonlyArray<RecordKey>, f: (slice: RecordSlice) => E.Either<Err, readonly [A, ReadonlyArray<LocalRecord>]>) =>
    whole.modify(dataset, (state) =>
      pipe(
        applyModify(f, sliceOf(state, keys)),
        E.map(([answer, changed]) => [answer, write(state, changed)] as const),
      ),
    )

type Broken = readonly [bug: string, law: StoreLaw, open: () => LocalStore, reopen?: (store: LocalStore) => LocalStore]

const broken: ReadonlyArray<Broken> = [
  ['a modify that awaits between read and write (not atomic)', 'serialised', () => fromWholeState(mapStore(new Map(), { atomic: false }))],
  ['a modify that writes on a left', 'leftStoresNothing', () => fromWholeState(mapStore(new Map(), { storeOnLeft: true }))],
  [
    'a header whose totals count only the records read (lost running totals)',
    'recordWritesMatchWholeState',
    () => {
      const store = fromWholeState(mapStore())
      return { ...store, readRecords: (dataset, keys) => TE.map((state: LocalState) => sliceOf(setRecords([])({ ...state, records: new Map(keys.flatMap((k) => (state.records.has(k) ? [[k, state.records.get(k)!]] : []))) }), keys))(store.read(dataset)) }
    },
  ],
  [
    'a modifyRecords that writes keys it was not given',
    'refusesOutsideKeys',
    () => {
      const whole = mapStore()
      return { ...fromWholeState(whole), modifyRecords: recordsThrough(whole, (state, changed) => setRecords(changed)(state)) }
    },
  ],
  [
    'a store that keeps records as parsed JSON (dates as numbers)',
    'roundTrip',
    () =>
      fromWholeState(
        mapStore(new Map(), {
          keep: (state) => {
            const json = JSON.parse(JSON.stringify(LocalStateJson.encode(state))) as { records: ReadonlyArray<{ key: string }>; lastSyncCount: number }
            return { records: new Map(json.records.map((record) => [record.key, record as never])), lastSyncCount: json.lastSyncCount } as LocalState
          },
        }),
      ),
  ],
  [
    'a store that hands out the Map it then changes in place',
    'handedOutStatesNeverChange',
    () => {
      const whole = mapStore()
      const inPlace = (state: LocalState, changed: ReadonlyArray<LocalRecord>): LocalState => {
        const records = state.records instanceof Map ? (state.records as Map<string, LocalRecord>) : new Map(state.records)
        for (const record of changed) records.set(record.key, record)
        return { ...state, records }
      }
      return { ...fromWholeState(whole), modifyRecords: recordsThrough(whole, inPlace) }
    },
  ],
  [
    'a second instance that caches what it read (a stale tab)',
    'sharedData',
    () => memoryStore(),
    (first) => {
      const cache = new Map<DatasetName, LocalState>()
      return {
        ...first,
        read: (dataset) => async () => {
          const cached = cache.get(dataset)
          if (cached !== undefined) return E.right(cached)
          const read = await first.read(dataset)()
          if (E.isRight(read)) cache.set(dataset, read.right)
          return read
        },
      }
    },
  ],
  ['a store whose read rejects', 'emptyRead', () => ({ ...memoryStore(), read: () => () => Promise.reject(new Error('disk gone')) })],
]

describe('checkStore catches a broken store', () => {
  it.each(broken.map((bug) => [`${bug[0]}: ${bug[1]}`, bug] as const))('%s', async (_, [, law, open, reopen]) => {
    const error = await checkStore(open, { laws: [law], ...(reopen === undefined ? {} : { reopen }), numRuns: 50 }).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(StoreLawBroken)
    expect(error).toMatchObject({ law })
    expect((error as Error).message).toContain(`breaks the law ${law}`)
  })

  it('names the counterexample: the expected and actual values', async () => {
    const error = await checkStore(() => fromWholeState(mapStore(new Map(), { storeOnLeft: true })), { laws: ['leftStoresNothing'] }).catch((e: unknown) => e)
    expect((error as StoreLawBroken).counterexample).toBe(
      `modify stored something on a left\n  expected lastSyncCount: 42\n  actual lastSyncCount: 0`,
    )
  })

  it("gives fast-check's report for a property law: the counterexample, and the seed to replay it", async () => {
    const open = broken.find(([, law]) => law === 'recordWritesMatchWholeState')?.[2] ?? memoryStore
    const error = await checkStore(open, { laws: ['recordWritesMatchWholeState'], seed: 42 }).catch((e: unknown) => e)
    expect(error).toMatchObject({ law: 'recordWritesMatchWholeState' })
    expect((error as StoreLawBroken).counterexample).toMatch(/seed: 42[\s\S]*Counterexample[\s\S]*the header read with no keys/)
  })
})
