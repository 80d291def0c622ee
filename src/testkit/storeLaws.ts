/**
 * The store contract suite: the laws the sync and the app rely on for a `LocalStore`
 * (`cognito-reconcile/stores`), as one plain async function, so that any store (yours over
 * expo-sqlite, op-sqlite, a key-value storage, IndexedDB) is checked the way ours are. It imports no
 * test framework and nothing of Node: it runs under vitest, jest, mocha, `node:test`, or in a browser
 * page, and rejects with a `StoreLawBroken` naming the law and the counterexample.
 *
 * @since 0.3.0
 */
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { DatasetName, RecordKey, RecordValue, type SyncCount } from '../codecs.js'
import { type LocalRecord, type LocalState, LocalStateJson, emptyState, setRecord, setRecords, stateOf } from '../LocalRecord.js'
import { put, remove } from '../LocalWrite.js'
import { openDataset } from '../stores/dataset.js'
import { usage } from '../stores/limits.js'
import type { LocalStore, RecordSlice } from '../stores/LocalStore.js'
import { sliceOf } from '../stores/records.js'
import { localRecord, localState, recordKey as anyKey, syncCount } from './arbitraries.js'

// data

/**
 * The laws `checkStore` checks, each a name you can pass to `StoreCheckOptions.laws`; `storeLaws`
 * says what each one means.
 *
 * @since 0.3.0
 */
export type StoreLaw =
  | 'emptyRead'
  | 'modifyStores'
  | 'roundTrip'
  | 'leftStoresNothing'
  | 'deletesDroppedRecords'
  | 'serialised'
  | 'datasetsApart'
  | 'appMatchesCore'
  | 'recordWritesMatchWholeState'
  | 'recordWriteAllOrNothing'
  | 'refusesOutsideKeys'
  | 'serialisedRecordWrites'
  | 'handedOutStatesNeverChange'
  | 'sharedData'

/**
 * A store broke `law`; `counterexample` is the input that shows it (for a property, fast-check's
 * report with its seed and path to replay it).
 *
 * @since 0.3.0
 */
export class StoreLawBroken extends Error {
  override readonly name = 'StoreLawBroken'
  constructor(
    readonly law: StoreLaw,
    readonly counterexample: string,
  ) {
    super(`The store breaks the law ${law} (${lawText(law)}):\n${counterexample}`)
  }
}

/** @since 0.3.0 */
export interface StoreCheckOptions<S extends LocalStore = LocalStore> {
  /** The laws to check; all of them by default (`sharedData` only when `reopen` is given). */
  readonly laws?: ReadonlyArray<StoreLaw>
  /** Runs of each property law; 100 by default, fewer for a slow store. */
  readonly numRuns?: number
  /** fast-check's seed, to replay a failure. */
  readonly seed?: number
  /** Called with every store `open` gave, once its law is checked: close a file, delete a database. */
  readonly dispose?: (store: S) => void | Promise<void>
  /**
   * Another store over the same data as `store`, opened while `store` stays open: a second connection
   * to the same file, a second instance over the same storage (a second tab). Checks `sharedData`.
   */
  readonly reopen?: (store: S) => S | Promise<S>
}

// the laws

const lawTexts: Record<StoreLaw, string> = {
  emptyRead: 'a dataset never written reads as emptyState, with no records and a zero header, and no dataset is listed',
  modifyStores: 'modify stores the state a right gives and answers its value',
  roundTrip: 'awkward keys, the empty string apart from a tombstone, and dates to the millisecond read back as written',
  leftStoresNothing: 'modify stores nothing on a left or a throw, and answers it (a throw as StoreFailed)',
  deletesDroppedRecords: 'a state without a record deletes it',
  serialised: 'concurrent modifies of one dataset behave as if one ran after the other: none is lost',
  datasetsApart: 'datasets are kept apart, and datasets() lists those holding a record, in name order',
  appMatchesCore: "puts and removes through openDataset give the state the core's put and remove give",
  recordWritesMatchWholeState:
    'modifyRecords is the whole-state write of its records, readRecords agrees with read, and header.usage always equals usage(read(d))',
  recordWriteAllOrNothing: 'modifyRecords stores nothing on a left or a throw, and answers it',
  refusesOutsideKeys: 'modifyRecords refuses a record outside its keys with StoreFailed, storing none of the others',
  serialisedRecordWrites: 'concurrent modifyRecords and modify calls of one dataset lose nothing',
  handedOutStatesNeverChange: 'a state handed out by read or to f never changes afterwards',
  sharedData: 'what one store writes, another over the same data reads next, and concurrent writes through both lose nothing',
}

const lawText = (law: StoreLaw): string => lawTexts[law]

/**
 * Every law, with what it means, in the order `checkStore` checks them.
 *
 * @example
 * import { storeLaws } from 'cognito-reconcile/testkit'
 * assert.ok(storeLaws.some(({ law }) => law === 'serialised'))
 *
 * @since 0.3.0
 */
export const storeLaws: ReadonlyArray<{ readonly law: StoreLaw; readonly meaning: string }> = (Object.keys(lawTexts) as Array<StoreLaw>).map((law) => ({
  law,
  meaning: lawTexts[law],
}))

// checking helpers: no test framework, plain throws of StoreLawBroken

const show = (value: unknown): string => {
  if (value instanceof Error) return `${value.name}: ${value.message}`
  const text = JSON.stringify(value, (_, v: unknown) => (v instanceof Map ? Object.fromEntries(v) : v))
  return text === undefined ? String(value) : text.length > 2000 ? `${text.slice(0, 2000)}…` : text
}

const encodeState = (state: LocalState): string => JSON.stringify(LocalStateJson.encode(state))
const encodeRecords = (records: ReadonlyMap<string, LocalRecord>): string => encodeState({ records, lastSyncCount: 0 as SyncCount })

/** A check of one law: throws `StoreLawBroken` for it. */
interface Check {
  readonly law: StoreLaw
  readonly fail: (what: string, details?: Record<string, unknown>) => never
  readonly equal: (what: string, actual: string, expected: string) => void
  /** Runs a store call: its right, or a failure naming the call. */
  readonly right: <A>(what: string, task: TE.TaskEither<unknown, A>) => Promise<A>
}

const checkOf = (law: StoreLaw): Check => {
  const fail = (what: string, details: Record<string, unknown> = {}): never => {
    throw new StoreLawBroken(law, [what, ...Object.entries(details).map(([name, value]) => `  ${name}: ${show(value)}`)].join('\n'))
  }
  return {
    law,
    fail,
    equal: (what, actual, expected) => {
      if (actual !== expected) fail(what, { expected: JSON.parse(expected) as unknown, actual: JSON.parse(actual) as unknown })
    },
    right: async <A>(what: string, task: TE.TaskEither<unknown, A>): Promise<A> => {
      let result: E.Either<unknown, A>
      try {
        result = await task()
      } catch (cause) {
        return fail(`${what} rejected instead of answering a Left (a store's TaskEither never rejects)`, { rejection: cause })
      }
      if (E.isLeft(result)) return fail(`${what} answered a Left`, { left: result.left })
      return result.right
    },
  }
}

const decoded = <A>(result: E.Either<unknown, A>): A => {
  if (E.isLeft(result)) throw new Error('a fixture of the store laws does not decode')
  return result.right
}
const name = (s: string): DatasetName => decoded(DatasetName.decode(s))
const key = (s: string): RecordKey => decoded(RecordKey.decode(s))
const value = (s: string): RecordValue => decoded(RecordValue.decode(s))

const settings = name('settings')
const millis = 1_700_000_123_456

// Keys that break object-backed stores, and one a UTF-8 text column would mangle.
const awkwardKeys = ['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'a"b\\c', '😀', '\ud800', 'x'.repeat(1024)]

const awkwardState: LocalState = stateOf(
  [
    ...awkwardKeys.map((k, i): LocalRecord => ({ key: key(k), server: { content: value(`v${i}`), syncCount: (i + 1) as SyncCount } })),
    { key: key('empty'), server: { content: value(''), syncCount: 3 as SyncCount } },
    {
      key: key('tombstone'),
      server: { content: null, syncCount: 4 as SyncCount, lastModifiedDate: new Date(millis), lastModifiedBy: 'device-a', deviceLastModifiedDate: new Date(millis + 1) },
    },
    { key: key('pending-empty'), pending: { content: value(''), deviceLastModifiedDate: new Date(millis + 7) } },
    {
      key: key('pending-delete'),
      server: { content: value('was'), syncCount: 2 as SyncCount },
      pending: { content: null, deviceLastModifiedDate: new Date(millis + 999), sent: { content: value('half'), deviceLastModifiedDate: new Date(millis + 5) } },
    },
  ],
  42,
)

/** Sets the whole state of `dataset`. */
const replace = (store: LocalStore, dataset: DatasetName, state: LocalState) => store.modify(dataset, () => E.right([undefined, state] as const))

const readState = async (check: Check, store: LocalStore, dataset: DatasetName = settings): Promise<LocalState> => check.right(`read(${dataset})`, store.read(dataset))

/** What differs between two states: the records of the keys that differ, and the lastSyncCount if it does. */
const stateDiff = (actual: LocalState, expected: LocalState): Record<string, unknown> => {
  const records = (state: LocalState) => new Map((LocalStateJson.encode(state) as { records: ReadonlyArray<{ key: string }> }).records.map((record) => [record.key, record]))
  const [a, e] = [records(actual), records(expected)]
  const keys = [...new Set([...a.keys(), ...e.keys()])].filter((k) => JSON.stringify(a.get(k)) !== JSON.stringify(e.get(k)))
  return {
    ...(actual.lastSyncCount === expected.lastSyncCount ? {} : { 'expected lastSyncCount': expected.lastSyncCount, 'actual lastSyncCount': actual.lastSyncCount }),
    ...Object.fromEntries(keys.flatMap((k) => [[`expected ${short(k)}`, e.get(k) ?? 'absent'], [`actual ${short(k)}`, a.get(k) ?? 'absent']])),
  }
}

const short = (s: string): string => JSON.stringify(s.length > 40 ? `${s.slice(0, 20)}…(${s.length} characters)` : s)

const expectState = async (check: Check, store: LocalStore, expected: LocalState, what: string, dataset: DatasetName = settings): Promise<void> => {
  const actual = await readState(check, store, dataset)
  if (encodeState(actual) !== encodeState(expected)) check.fail(what, stateDiff(actual, expected))
}

/** What a store holds as the app sees it: each key's current content. */
const currentOf = (state: LocalState): string =>
  JSON.stringify([...state.records].map(([k, r]) => [k, r.pending?.content ?? r.server?.content ?? null]).sort())

const emptyHeader = { lastSyncCount: 0, usage: { records: 0, bytes: 0 } }

/** The counter the concurrency laws increment, as a server version (whole states) or a pending edit (records). */
const counter = key('counter')
const increment = (state: LocalState): E.Either<never, readonly [number, LocalState]> => {
  const count = Number(state.records.get(counter)?.server?.content ?? '0') + 1
  const record: LocalRecord = { key: counter, server: { content: value(String(count)), syncCount: count as SyncCount } }
  return E.right([count, { ...setRecord(record)(state), lastSyncCount: count as SyncCount }])
}
const bump = (slice: RecordSlice) => {
  const count = Number(slice.records.get(counter)?.pending?.content ?? '0') + 1
  return E.right([count, [{ key: counter, pending: { content: value(String(count)), deviceLastModifiedDate: new Date(millis) } }]] as const)
}
const tick = (state: LocalState) => E.right([undefined, { ...state, lastSyncCount: (state.lastSyncCount + 1) as SyncCount }] as const)

/** One step of a random history, over both levels of the interface. */
type Step =
  | { readonly kind: 'records'; readonly keys: ReadonlyArray<RecordKey>; readonly changed: ReadonlyArray<LocalRecord> }
  | { readonly kind: 'whole'; readonly state: LocalState }
  | { readonly kind: 'put'; readonly key: RecordKey; readonly value: string | null }

const step: fc.Arbitrary<Step> = fc.oneof(
  // raw record writes, empty records (deletes) included, within the keys given
  fc
    .array(fc.oneof({ weight: 4, arbitrary: localRecord(anyKey) }, { weight: 1, arbitrary: anyKey.map((k): LocalRecord => ({ key: k })) }), { maxLength: 4 })
    .chain((changed) => fc.array(anyKey, { maxLength: 2 }).map((extra): Step => ({ kind: 'records', keys: [...changed.map((record) => record.key), ...extra], changed }))),
  // what a sync does: a whole new state, sharing some records with the current one
  localState(5).map((state): Step => ({ kind: 'whole', state })),
  fc.record({ kind: fc.constant('put' as const), key: anyKey, value: fc.option(fc.string({ maxLength: 6 }), { nil: null }) }),
)

type PutOrRemove = { readonly kind: 'put'; readonly key: string; readonly value: string; readonly at: number } | { readonly kind: 'remove'; readonly key: string; readonly at: number }

const appKey = fc.oneof(fc.constantFrom('a', 'b', '__proto__', 'constructor', ''), fc.string({ maxLength: 3 }))
const putOrRemove: fc.Arbitrary<PutOrRemove> = fc.oneof(
  fc.record({ kind: fc.constant('put' as const), key: appKey, value: fc.oneof(fc.constant(''), fc.string({ maxLength: 5 })), at: fc.nat(1000) }),
  fc.record({ kind: fc.constant('remove' as const), key: appKey, at: fc.nat(1000) }),
)

interface Context {
  readonly store: LocalStore
  readonly check: Check
  /** Another store over the same data, and how to get rid of it, when the options say how to open one. */
  readonly reopen: (() => Promise<{ readonly other: LocalStore; readonly dispose: () => Promise<void> }>) | undefined
  /** fast-check's parameters from the options. */
  readonly parameters: fc.Parameters<unknown>
}

/** Runs a property, turning fast-check's report into a `StoreLawBroken` of the law. */
const property = async <T>(context: Context, arbitrary: fc.Arbitrary<T>, holds: (value: T) => Promise<void>): Promise<void> => {
  try {
    await fc.assert(fc.asyncProperty(arbitrary, holds), context.parameters as fc.Parameters<[T]>)
  } catch (error) {
    if (error instanceof StoreLawBroken || !(error instanceof Error)) throw error
    // fast-check keeps the property's own failure as the cause: the law's message, with its values
    const cause: unknown = error.cause
    const found = cause instanceof StoreLawBroken ? `\n${cause.counterexample}` : cause instanceof Error ? `\n${show(cause)}` : ''
    throw new StoreLawBroken(context.check.law, `${error.message.replace(/\n\nHint: .*$/s, '')}${found}`)
  }
}

const laws: Record<StoreLaw, (context: Context) => Promise<void>> = {
  emptyRead: async ({ store, check }) => {
    await expectState(check, store, emptyState, 'read of a dataset never written is not emptyState')
    const slice = await check.right('readRecords', store.readRecords(settings, [key('k')]))
    check.equal('readRecords of a dataset never written', JSON.stringify({ header: slice.header, records: encodeRecords(slice.records) }), JSON.stringify({ header: emptyHeader, records: encodeRecords(new Map()) }))
    check.equal('datasets() of a new store', JSON.stringify(await check.right('datasets()', store.datasets())), '[]')
  },
  modifyStores: async ({ store, check }) => {
    const answer = await check.right('modify', store.modify(settings, () => E.right(['answer', awkwardState] as const)))
    if (answer !== 'answer') check.fail('modify answered another value than its function gave', { expected: 'answer', actual: answer })
    await expectState(check, store, awkwardState, 'read after modify gives another state than the one stored')
  },
  roundTrip: async ({ store, check }) => {
    await check.right('modify', replace(store, settings, awkwardState))
    await expectState(check, store, awkwardState, 'the state read back differs from the state written')
    const read = await readState(check, store)
    const record = (k: string) => read.records.get(k)
    if (record('empty')?.server?.content !== '') check.fail("an empty string came back as something else", { record: record('empty') })
    if (record('tombstone')?.server?.content !== null) check.fail('a tombstone came back as something else', { record: record('tombstone') })
    if (!(record('tombstone')?.server?.deviceLastModifiedDate instanceof Date)) check.fail('a date came back as something other than a Date', { record: record('tombstone') })
  },
  leftStoresNothing: async ({ store, check }) => {
    await check.right('modify', replace(store, settings, awkwardState))
    const left = await store.modify(settings, () => E.left('refused'))()
    if (E.isRight(left) || left.left !== 'refused') check.fail('modify did not answer the left its function gave', { answer: left })
    await expectState(check, store, awkwardState, 'modify stored something on a left')
    const thrown = await store.modify(settings, () => {
      throw new Error('bug')
    })()
    if (E.isRight(thrown) || (thrown.left as { _tag?: unknown })._tag !== 'StoreFailed') check.fail('modify did not answer StoreFailed when its function threw', { answer: thrown })
    await expectState(check, store, awkwardState, 'modify stored something when its function threw')
  },
  deletesDroppedRecords: async ({ store, check }) => {
    await check.right('modify', replace(store, settings, awkwardState))
    const fewer = stateOf([...awkwardState.records.values()].slice(0, 2), 43)
    await check.right('modify', replace(store, settings, fewer))
    await expectState(check, store, fewer, 'records dropped from the state are still there')
  },
  serialised: async ({ store, check }) => {
    const answers = await Promise.all(Array.from({ length: 200 }, () => check.right('modify', store.modify(settings, increment))))
    const sorted = [...answers].sort((a, b) => a - b)
    if (sorted.some((answer, i) => answer !== i + 1)) check.fail('200 concurrent increments did not each see the one before', { answers: sorted })
    const final = await readState(check, store)
    if (final.lastSyncCount !== 200 || final.records.get(counter)?.server?.content !== '200') check.fail('200 concurrent increments left another count', { state: LocalStateJson.encode(final) })
  },
  datasetsApart: async ({ store, check }) => {
    const other = name('other.eu-west-1:0f6a')
    await check.right('modify', replace(store, other, awkwardState))
    await check.right('modify', replace(store, name('synced-but-empty'), { records: new Map(), lastSyncCount: 5 as SyncCount }))
    await expectState(check, store, emptyState, 'a write to another dataset changed this one')
    check.equal('datasets() after writing one dataset (and syncing an empty one)', JSON.stringify(await check.right('datasets()', store.datasets())), JSON.stringify([other]))
    await check.right('modify', replace(store, settings, awkwardState))
    check.equal('datasets() after writing two', JSON.stringify(await check.right('datasets()', store.datasets())), JSON.stringify([other, settings]))
  },
  appMatchesCore: async (context) => {
    const { store, check } = context
    let run = 0
    await property(context, fc.array(putOrRemove, { maxLength: 15 }), async (ops) => {
      run += 1
      let now = 0
      const opened = openDataset(store, `app-${run}`, { clock: () => new Date(now) })
      if (E.isLeft(opened)) return check.fail('openDataset refused a valid name', { error: opened.left })
      const dataset = opened.right
      let model = emptyState
      for (const op of ops) {
        now = op.at
        const date = new Date(op.at)
        const expected = op.kind === 'put' ? put(op.key, op.value, date)(model) : remove(op.key, date)(model)
        const actual = await (op.kind === 'put' ? dataset.put(op.key, op.value) : dataset.remove(op.key))()
        if (E.isRight(actual) !== E.isRight(expected)) check.fail(`${op.kind} of ${JSON.stringify(op.key)} answered otherwise than the core`, { expected, actual })
        if (E.isRight(expected)) model = expected.right
      }
      await expectState(check, store, model, 'the state after the writes differs from the core', dataset.name)
    })
  },
  recordWritesMatchWholeState: async (context) => {
    const { store, check } = context
    let run = 0
    await property(context, fc.tuple(fc.array(step, { maxLength: 8 }), syncCount), async ([steps, lastSyncCount]) => {
      run += 1
      const dataset = name(`records-${run}`)
      const opened = openDataset(store, dataset, { clock: () => new Date(millis) })
      if (E.isLeft(opened)) return check.fail('openDataset refused a valid name', { error: opened.left })
      const app = opened.right
      let model: LocalState = { ...emptyState, lastSyncCount }
      await check.right('modify', replace(store, dataset, model))
      for (const next of steps) {
        if (next.kind === 'records') {
          await check.right('modifyRecords', store.modifyRecords(dataset, next.keys, () => E.right([undefined, next.changed] as const)))
          model = setRecords(next.changed)(model)
        } else if (next.kind === 'whole') {
          // keep a few current records as they are, by reference, as a sync does
          const kept = [...model.records.values()].filter((_, i) => i % 2 === 0)
          const state = stateOf([...kept, ...next.state.records.values()], next.state.lastSyncCount)
          await check.right('modify', replace(store, dataset, state))
          model = state
        } else {
          const expected = next.value === null ? remove(next.key, new Date(millis))(model) : put(next.key, next.value, new Date(millis))(model)
          const actual = await (next.value === null ? app.remove(next.key) : app.put(next.key, next.value))()
          if (E.isRight(actual) !== E.isRight(expected)) check.fail('a put or remove answered otherwise than the core', { expected, actual })
          if (E.isRight(expected)) model = expected.right
        }
        const keys = [...[...model.records.values()].map((record) => record.key), key('never-written')]
        await expectState(check, store, model, `read after a ${next.kind} step differs from the model`, dataset)
        const slice = await check.right('readRecords', store.readRecords(dataset, keys))
        check.equal(`the header after a ${next.kind} step differs from the records' lastSyncCount and usage`, JSON.stringify(slice.header), JSON.stringify({ lastSyncCount: model.lastSyncCount, usage: usage(model) }))
        check.equal(`readRecords after a ${next.kind} step differs from read`, encodeRecords(slice.records), encodeRecords(sliceOf(model, keys).records))
        // the header is the dataset's, whichever keys are read
        const none = await check.right('readRecords', store.readRecords(dataset, []))
        check.equal(`the header read with no keys after a ${next.kind} step differs from usage(read(d))`, JSON.stringify(none.header), JSON.stringify(slice.header))
      }
    })
  },
  recordWriteAllOrNothing: async ({ store, check }) => {
    await check.right('modify', replace(store, settings, awkwardState))
    const k = key('empty')
    const change: LocalRecord = { key: k, pending: { content: null, deviceLastModifiedDate: new Date(millis) } }
    const left = await store.modifyRecords(settings, [k], () => E.left('refused'))()
    if (E.isRight(left) || left.left !== 'refused') check.fail('modifyRecords did not answer the left its function gave', { answer: left })
    const thrown = await store.modifyRecords(settings, [k], () => {
      throw new Error('bug')
    })()
    if (E.isRight(thrown) || (thrown.left as { _tag?: unknown })._tag !== 'StoreFailed') check.fail('modifyRecords did not answer StoreFailed when its function threw', { answer: thrown })
    await expectState(check, store, awkwardState, 'modifyRecords stored something on a left or a throw')
    const slice = await check.right('readRecords', store.readRecords(settings, [k]))
    check.equal('the header changed on a left or a throw', JSON.stringify(slice.header.usage), JSON.stringify(usage(awkwardState)))
    // and the same write, answered right, lands
    await check.right('modifyRecords', store.modifyRecords(settings, [k], () => E.right([undefined, [change]] as const)))
    await expectState(check, store, setRecord(change)(awkwardState), 'a record write answered right did not land')
  },
  refusesOutsideKeys: async ({ store, check }) => {
    const inside: LocalRecord = { key: key('a'), pending: { content: value('v'), deviceLastModifiedDate: new Date(millis) } }
    const outside: LocalRecord = { ...inside, key: key('b') }
    const answer = await store.modifyRecords(settings, [inside.key], () => E.right([undefined, [inside, outside]] as const))()
    if (E.isRight(answer) || (answer.left as { _tag?: unknown })._tag !== 'StoreFailed') check.fail('modifyRecords accepted a record outside its keys', { answer })
    await expectState(check, store, emptyState, 'a refused record write stored something')
  },
  serialisedRecordWrites: async ({ store, check }) => {
    await Promise.all(
      Array.from({ length: 100 }, () => Promise.all([check.right('modifyRecords', store.modifyRecords(settings, [counter], bump)), check.right('modify', store.modify(settings, tick))])),
    )
    const final = await readState(check, store)
    if (final.records.get(counter)?.pending?.content !== '100' || final.lastSyncCount !== 100)
      check.fail('100 record writes interleaved with 100 whole-state ones lost some', { state: LocalStateJson.encode(final) })
    const slice = await check.right('readRecords', store.readRecords(settings, [counter]))
    check.equal('the header after concurrent writes', JSON.stringify(slice.header), JSON.stringify({ lastSyncCount: 100, usage: { records: 1, bytes: 7 + 3 } }))
  },
  handedOutStatesNeverChange: async ({ store, check }) => {
    const opened = openDataset(store, settings, { clock: () => new Date(millis) })
    if (E.isLeft(opened)) return check.fail('openDataset refused a valid name', { error: opened.left })
    const app = opened.right
    await check.right('put', app.put('a', '1'))
    const read = await readState(check, store)
    const given: Array<LocalState> = []
    await check.right('modify', store.modify(settings, (state) => (given.push(state), E.right([undefined, state] as const))))
    const before = [read, ...given].map(encodeState)
    await check.right('putAll', app.putAll([['a', '2'], ['b', '3']]))
    await check.right('remove', app.remove('a'))
    check.equal('a state handed out changed after later writes', JSON.stringify([read, ...given].map(encodeState)), JSON.stringify(before))
    check.equal('the writes after it did not land', currentOf(await readState(check, store)), JSON.stringify([['a', null], ['b', '3']]))
  },
  sharedData: async (context) => {
    const { store, check, reopen } = context
    if (reopen === undefined) return
    const { other, dispose } = await reopen()
    try {
      await check.right('modify', replace(store, settings, awkwardState))
      await expectState(check, other, awkwardState, 'another store over the same data does not read what the first wrote', settings)
      const opened = openDataset(other, settings, { clock: () => new Date(millis) })
      if (E.isLeft(opened)) return check.fail('openDataset refused a valid name', { error: opened.left })
      await check.right('put', opened.right.put('empty', 'filled'))
      const seen = (await readState(check, store)).records.get('empty')?.pending?.content
      if (seen !== 'filled') check.fail('a put through the second store is not seen by the next read through the first', { seen })
      const slice = await check.right('readRecords', store.readRecords(settings, [key('empty')]))
      check.equal('the first store reads a stale header after a write through the second', JSON.stringify(slice.header), JSON.stringify({ lastSyncCount: 42, usage: usage(await readState(check, other)) }))
      const counts = name('counts')
      await Promise.all(Array.from({ length: 50 }, (_, i) => check.right('modify', (i % 2 === 0 ? store : other).modify(counts, increment))))
      const final = await readState(check, other, counts)
      if (final.records.get(counter)?.server?.content !== '50') check.fail('50 increments through two stores over the same data lost some', { state: LocalStateJson.encode(final) })
    } finally {
      await dispose()
    }
  },
}

/**
 * Checks the laws of `LocalStore` against the stores `open` gives: each law on a store of its own
 * (`open` must give an empty one each time; `dispose` gets rid of it). Resolves when every law holds;
 * rejects with a `StoreLawBroken` naming the first law that fails and the counterexample. With
 * `reopen`, it also checks that two stores over the same data see each other's writes at once.
 *
 * A framework-agnostic plain function: use it from any test runner, or a browser page. It needs
 * `fast-check` (a peer dependency of the testkit).
 *
 * @example
 * import { checkStore, StoreLawBroken } from 'cognito-reconcile/testkit'
 * import { memoryStore } from 'cognito-reconcile/stores'
 * import * as E from 'fp-ts/lib/Either.js'
 * await checkStore(memoryStore, { numRuns: 10 })
 *
 * // a store that never lists its datasets is caught, and the error says which law and how
 * const forgetful = () => ({ ...memoryStore(), datasets: () => async () => E.right([]) })
 * const broken = await checkStore(forgetful, { laws: ['datasetsApart'] }).catch((e: unknown) => e)
 * assert.ok(broken instanceof StoreLawBroken && broken.law === 'datasetsApart')
 * assert.match(broken.message, /datasets\(\) after writing one dataset/)
 *
 * @since 0.3.0
 */
export const checkStore = async <S extends LocalStore>(open: () => S | Promise<S>, options: StoreCheckOptions<S> = {}): Promise<void> => {
  const chosen = options.laws ?? storeLaws.map(({ law }) => law)
  const parameters: fc.Parameters<unknown> = { ...(options.numRuns === undefined ? {} : { numRuns: options.numRuns }), ...(options.seed === undefined ? {} : { seed: options.seed }) }
  for (const law of chosen) {
    const store = await open()
    try {
      const { reopen, dispose } = options
      const context: Context = {
        store,
        check: checkOf(law),
        parameters,
        reopen:
          reopen === undefined
            ? undefined
            : async () => {
                const other = await reopen(store)
                return { other, dispose: async () => dispose?.(other) }
              },
      }
      await laws[law](context)
    } catch (error) {
      throw error instanceof StoreLawBroken ? error : new StoreLawBroken(law, `it threw: ${show(error)}`)
    } finally {
      await options.dispose?.(store)
    }
  }
}
