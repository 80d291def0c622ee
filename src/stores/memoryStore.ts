/**
 * The default store: datasets in memory, gone when the process ends. Right for tests, short-lived
 * processes and apps that persist elsewhere; `cognito-reconcile/sqlite` is the durable one.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { DatasetName, RecordKey, SyncCount } from '../codecs.js'
import { type LocalRecord, type LocalState, emptyState } from '../LocalRecord.js'
import { type Usage, changeUsage, noUsage } from './limits.js'
import { type LocalStore, type RecordSlice, type StoreFailed, applyModify } from './LocalStore.js'
import { keyedMutex } from './mutex.js'
import { checkChangedKeys, isEmptyRecord } from './records.js'

/**
 * One dataset. `records` is changed in place by record-level writes until a state is handed out
 * (`shared`); the next write then copies it first, so a state once handed out never changes.
 */
interface Slot {
  records: Map<string, LocalRecord>
  lastSyncCount: SyncCount
  usage: Usage
  shared: LocalState | undefined
}

/** What changed from `before` to `after`: each key's old and new record, by reference. */
const diff = (before: LocalState, after: LocalState): Array<readonly [LocalRecord | undefined, LocalRecord | undefined]> => {
  const changes: Array<readonly [LocalRecord | undefined, LocalRecord | undefined]> = []
  if (after.records === before.records) return changes
  for (const [key, record] of after.records) {
    const old = before.records.get(key)
    if (old !== record) changes.push([old, record])
  }
  for (const [key, record] of before.records) if (!after.records.has(key)) changes.push([record, undefined])
  return changes
}

/**
 * A new, empty in-memory store. A record-level write costs the records it touches, not the dataset:
 * each dataset's records live in one `Map` changed in place, with running totals. A state handed out by
 * `read` or given to `modify` is never changed afterwards: the first write after it copies the `Map`
 * once. States given to the store by `modify` are kept as they are, without a copy or a check, so never
 * mutate one after storing it.
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
  const snapshot = (dataset: DatasetName): LocalState => {
    const slot = slots.get(dataset)
    if (slot === undefined) return emptyState
    slot.shared ??= { records: slot.records, lastSyncCount: slot.lastSyncCount }
    return slot.shared
  }
  /** The slot to change in place: created if missing, its records copied if a state shares them. */
  const writable = (dataset: DatasetName): Slot => {
    const slot = slots.get(dataset)
    if (slot === undefined) {
      const created: Slot = { records: new Map(), lastSyncCount: emptyState.lastSyncCount, usage: noUsage, shared: undefined }
      slots.set(dataset, created)
      return created
    }
    if (slot.shared !== undefined) {
      slot.records = new Map(slot.records)
      slot.shared = undefined
    }
    return slot
  }
  const slice = (dataset: DatasetName, keys: ReadonlyArray<RecordKey>): RecordSlice => {
    const slot = slots.get(dataset)
    const records = new Map<string, LocalRecord>()
    if (slot === undefined) return { header: { lastSyncCount: emptyState.lastSyncCount, usage: noUsage }, records }
    for (const key of keys) {
      const record = slot.records.get(key)
      if (record !== undefined) records.set(key, record)
    }
    return { header: { lastSyncCount: slot.lastSyncCount, usage: slot.usage }, records }
  }
  const resolved = <A>(value: A): TE.TaskEither<never, A> => () => Promise.resolve(E.right(value))
  return {
    read: (dataset) => resolved(snapshot(dataset)),
    readRecords: (dataset, keys) => resolved(slice(dataset, keys)),
    modify:
      <Err, A>(dataset: DatasetName, f: (state: LocalState) => E.Either<Err, readonly [A, LocalState]>): TE.TaskEither<Err | StoreFailed, A> =>
      () =>
        mutex.run(dataset, async () => {
          const before = snapshot(dataset)
          return pipe(
            applyModify(f, before),
            E.map(([answer, next]) => {
              const usage = changeUsage(slots.get(dataset)?.usage ?? noUsage, diff(before, next))
              // `next` is the caller's: keep it as the shared state, copied before the next change
              slots.set(dataset, { records: next.records as Map<string, LocalRecord>, lastSyncCount: next.lastSyncCount, usage, shared: next })
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
        mutex.run(dataset, async () =>
          pipe(
            applyModify(f, slice(dataset, keys)),
            E.chainW(([answer, changed]) =>
              pipe(
                checkChangedKeys(dataset, keys, changed),
                E.map((valid) => {
                  if (valid.length === 0) return answer
                  const slot = writable(dataset)
                  for (const record of valid) {
                    slot.usage = changeUsage(slot.usage, [[slot.records.get(record.key), isEmptyRecord(record) ? undefined : record]])
                    if (isEmptyRecord(record)) slot.records.delete(record.key)
                    else slot.records.set(record.key, record)
                  }
                  return answer
                }),
              ),
            ),
          ),
        ),
    datasets: () => () =>
      Promise.resolve(
        E.right(
          Array.from(slots)
            .filter(([, slot]) => slot.records.size > 0)
            .map(([name]) => name)
            .sort(),
        ),
      ),
  }
}
