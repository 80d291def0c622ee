/**
 * The default store: datasets in memory, gone when the process ends. Right for tests, short-lived
 * processes and apps that persist elsewhere; `cognito-reconcile/sqlite` is the durable one.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { DatasetName, RecordKey } from '../codecs.js'
import { type LocalRecord, type LocalState, emptyState, setRecords } from '../LocalRecord.js'
import { forEachChange } from '../PersistentMap.js'
import { type Usage, changeUsage, noUsage } from './limits.js'
import { type LocalStore, type RecordSlice, type StoreFailed, applyModify } from './LocalStore.js'
import { keyedMutex } from './mutex.js'
import { checkChangedKeys } from './records.js'

/** One dataset: its state, immutable as every state, and the running totals of its records. */
interface Slot {
  readonly state: LocalState
  readonly usage: Usage
}

/** What changed from `before` to `after`: each key's old and new record, by reference. */
const diff = (before: LocalState, after: LocalState): Array<readonly [LocalRecord | undefined, LocalRecord | undefined]> => {
  const changes: Array<readonly [LocalRecord | undefined, LocalRecord | undefined]> = []
  forEachChange(before.records, after.records, (_, old, record) => changes.push([old, record]))
  return changes
}

/**
 * A new, empty in-memory store. A record-level write costs the records it touches, not the dataset:
 * the core's states hold a persistent map, so writing a record copies one short path of it, and the
 * running totals change by that record only. A state handed out is never changed by a later write, and
 * `read` hands out the stored state itself, without a copy. States given to the store by `modify` are
 * kept as they are, without a copy or a check.
 *
 * @example
 * import { memoryStore } from 'cognito-reconcile/stores'
 * import { DatasetName, emptyState, put } from 'cognito-reconcile'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const store = memoryStore()
 * const name = pipe(DatasetName.decode('settings'), E.getOrElseW(() => assert.fail()))
 * assert.deepStrictEqual(await store.read(name)(), E.right(emptyState))
 * const answer = await store.modify(name, (state) =>
 *   pipe(put('theme', 'dark', new Date(0))(state), E.map((next) => ['stored', next] as const)),
 * )()
 * assert.deepStrictEqual(answer, E.right('stored'))
 * assert.deepStrictEqual(await store.datasets()(), E.right(['settings']))
 *
 * @since 0.1.0
 */
export const memoryStore = (): LocalStore => {
  const slots = new Map<DatasetName, Slot>()
  const mutex = keyedMutex()
  const current = (dataset: DatasetName): Slot => slots.get(dataset) ?? { state: emptyState, usage: noUsage }
  const slice = (dataset: DatasetName, keys: ReadonlyArray<RecordKey>): RecordSlice => {
    const { state, usage } = current(dataset)
    const records = new Map<string, LocalRecord>()
    for (const key of keys) {
      const record = state.records.get(key)
      if (record !== undefined) records.set(key, record)
    }
    return { header: { lastSyncCount: state.lastSyncCount, usage }, records }
  }
  const resolved = <A>(value: A): TE.TaskEither<never, A> => () => Promise.resolve(E.right(value))
  return {
    read: (dataset) => resolved(current(dataset).state),
    readRecords: (dataset, keys) => resolved(slice(dataset, keys)),
    modify:
      <Err, A>(dataset: DatasetName, f: (state: LocalState) => E.Either<Err, readonly [A, LocalState]>): TE.TaskEither<Err | StoreFailed, A> =>
      () =>
        mutex.run(dataset, async () => {
          const before = current(dataset)
          return pipe(
            applyModify(f, before.state),
            E.map(([answer, next]) => {
              slots.set(dataset, { state: next, usage: changeUsage(before.usage, diff(before.state, next)) })
              return answer
            }),
          )
        }),
    modifyRecords:
      <Err, A>(
        dataset: DatasetName,
        keys: ReadonlyArray<RecordKey>,
        f: (slice: RecordSlice) => E.Either<Err, readonly [A, ReadonlyArray<LocalRecord>]>,
      ): TE.TaskEither<Err | StoreFailed, A> =>
      () =>
        mutex.run(dataset, async () => {
          const before = slice(dataset, keys)
          return pipe(
            applyModify(f, before),
            E.chainW(([answer, changed]) =>
              pipe(
                checkChangedKeys(dataset, keys, changed),
                E.map((valid) => {
                  if (valid.length === 0) return answer
                  const { state, usage } = current(dataset)
                  const next = setRecords(valid)(state)
                  slots.set(dataset, { state: next, usage: changeUsage(usage, keysOf(valid).map((key) => [state.records.get(key), next.records.get(key)] as const)) })
                  return answer
                }),
              ),
            ),
          )
        }),
    datasets: () => () =>
      Promise.resolve(
        E.right(
          Array.from(slots)
            .filter(([, slot]) => slot.state.records.size > 0)
            .map(([name]) => name)
            .sort(),
        ),
      ),
  }
}

/** The distinct keys of `records`, in order of first appearance. */
const keysOf = (records: ReadonlyArray<LocalRecord>): ReadonlyArray<string> => [...new Set(records.map((record) => record.key))]
