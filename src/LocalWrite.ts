/**
 * The app's writes to local state. Each write becomes a pending edit stamped causally: its
 * DeviceLastModifiedDate is `max(now, date of the version it replaces + 1 ms)`, so a write made after
 * seeing a version orders after it even on a device whose clock is behind.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { type Content, RecordKey, RecordValue } from './codecs.js'
import { type DecodeError, decodeWith } from './DecodeError.js'
import { type LocalRecord, type LocalState, currentDeviceDate, setRecord, setRecords } from './LocalRecord.js'

/**
 * The earliest date that orders after every date in `after`, and not before `now`.
 *
 * @example
 * import { causalStamp } from 'cognito-reconcile'
 * assert.strictEqual(causalStamp(new Date(100), [new Date(40)]).getTime(), 100)
 * assert.strictEqual(causalStamp(new Date(100), [new Date(500), undefined]).getTime(), 501)
 *
 * @since 0.1.0
 */
export const causalStamp = (now: Date, after: ReadonlyArray<Date | undefined>): Date =>
  new Date(Math.max(now.getTime(), ...after.map((date) => (date === undefined ? -Infinity : date.getTime() + 1))))

const decodeKey = decodeWith(RecordKey, 'record key')
const decodeValue = decodeWith(RecordValue, 'record value')

/**
 * The record after the app sets it to `content` (`null` deletes): a pending edit stamped causally after
 * the version it replaces, keeping the server version it started from (a later conflict's base). The
 * record-level heart of every local write, for stores that write one record at a time.
 *
 * @example
 * import { editRecord } from 'cognito-reconcile'
 * const server = { content: 'old', syncCount: 4, deviceLastModifiedDate: new Date(50) }
 * assert.deepStrictEqual(editRecord('k', { key: 'k', server }, 'new', new Date(10)), {
 *   key: 'k',
 *   server,
 *   pending: { content: 'new', deviceLastModifiedDate: new Date(51) },
 * })
 *
 * @since 0.2.0
 */
export const editRecord = (key: RecordKey, record: LocalRecord | undefined, content: Content, now: Date): LocalRecord => {
  const deviceLastModifiedDate = causalStamp(now, [currentDeviceDate(record)])
  // a version sent earlier may still land: the new edit inherits that uncertainty
  const sent = record?.pending?.sent
  return { ...record, key, pending: { content, deviceLastModifiedDate, ...(sent && { sent }) } }
}

/**
 * Sets `key` to `content` (`null` deletes) as a pending edit, for keys and contents already validated.
 * The edit keeps the server version it started from, so a later conflict knows its base.
 *
 * @example
 * import { setContent, stateOf } from 'cognito-reconcile'
 * const server = { content: 'old', syncCount: 4 }
 * const next = setContent('k', 'new', new Date(10))(stateOf([{ key: 'k', server }], 4))
 * assert.deepStrictEqual(next.records.get('k'), { key: 'k', server, pending: { content: 'new', deviceLastModifiedDate: new Date(10) } })
 *
 * @since 0.1.0
 */
export const setContent =
  (key: RecordKey, content: Content, now: Date) =>
  (state: LocalState): LocalState =>
    setRecord(editRecord(key, state.records.get(key), content, now))(state)

/**
 * Puts `value` under `key`, validating both: a key of 1–1024 characters, a value of at most 1,048,575
 * (the empty string included).
 *
 * @example
 * import { put, emptyState, currentContent } from 'cognito-reconcile'
 * import * as E from 'fp-ts/lib/Either.js'
 * const next = put('__proto__', '', new Date(0))(emptyState)
 * assert.ok(E.isRight(next) && currentContent(next.right.records.get('__proto__')) === '')
 * assert.ok(E.isLeft(put('', 'x', new Date(0))(emptyState)))
 *
 * @since 0.1.0
 */
export const put =
  (key: string, value: string, now: Date) =>
  (state: LocalState): E.Either<DecodeError, LocalState> => {
    // written out rather than E.Do and E.apS, whose instances a browser bundle would carry
    const validKey = decodeKey(key)
    if (E.isLeft(validKey)) return validKey
    const validValue = decodeValue(value)
    return E.isLeft(validValue) ? validValue : E.right(setContent(validKey.right, validValue.right, now)(state))
  }

/**
 * Deletes `key`: a pending tombstone that will be pushed as a `remove`, never as an update.
 *
 * @example
 * import { put, remove, emptyState, currentContent, isDirty } from 'cognito-reconcile'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const next = pipe(put('k', 'v', new Date(0))(emptyState), E.chain(remove('k', new Date(0))))
 * assert.ok(E.isRight(next))
 * if (E.isRight(next)) {
 *   const record = next.right.records.get('k')
 *   assert.strictEqual(currentContent(record), null)
 *   assert.strictEqual(record?.pending?.deviceLastModifiedDate.getTime(), 1)
 * }
 *
 * @since 0.1.0
 */
export const remove =
  (key: string, now: Date) =>
  (state: LocalState): E.Either<DecodeError, LocalState> =>
    pipe(
      decodeKey(key),
      E.map((key) => setContent(key, null, now)(state)),
    )


const editAll =
  (edits: ReadonlyArray<readonly [RecordKey, Content]>, now: Date) =>
  (state: LocalState): LocalState => {
    // a key repeated in the batch: each edit stands on the one before it, and the last one stays
    const edited = new Map<string, LocalRecord>()
    for (const [key, content] of edits) edited.set(key, editRecord(key, edited.get(key) ?? state.records.get(key), content, now))
    return setRecords(edited.values())(state)
  }

/**
 * Puts many values at once: each as `put` would, validated first (nothing is written if one is
 * invalid), with one copy of the state for the whole batch. For bulk changes such as a first import.
 *
 * @example
 * import { putAll, emptyState, currentContent } from 'cognito-reconcile'
 * import * as E from 'fp-ts/lib/Either.js'
 * const next = putAll([['theme', 'dark'], ['volume', '7']], new Date(0))(emptyState)
 * assert.ok(E.isRight(next) && currentContent(next.right.records.get('volume')) === '7')
 * assert.ok(E.isLeft(putAll([['ok', 'v'], ['', 'x']], new Date(0))(emptyState)))
 *
 * @since 0.2.0
 */
export const putAll =
  (entries: Iterable<readonly [key: string, value: string]>, now: Date) =>
  (state: LocalState): E.Either<DecodeError, LocalState> =>
    pipe(
      Array.from(entries),
      E.traverseArray(([key, value]) =>
        pipe(
          E.Do,
          E.apS('key', decodeKey(key)),
          E.apS('value', decodeValue(value)),
          E.map(({ key, value }): readonly [RecordKey, Content] => [key, value]),
        ),
      ),
      E.map((edits) => editAll(edits, now)(state)),
    )

/**
 * Deletes many keys at once: each as `remove` would, validated first, with one copy of the state.
 *
 * @example
 * import { putAll, removeAll, emptyState, liveEntries } from 'cognito-reconcile'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * const next = pipe(putAll([['a', '1'], ['b', '2'], ['c', '3']], new Date(0))(emptyState), E.chain(removeAll(['a', 'c'], new Date(1))))
 * assert.ok(E.isRight(next))
 * if (E.isRight(next)) assert.deepStrictEqual(liveEntries(next.right), [{ key: 'b', value: '2' }])
 *
 * @since 0.2.0
 */
export const removeAll =
  (keys: Iterable<string>, now: Date) =>
  (state: LocalState): E.Either<DecodeError, LocalState> =>
    pipe(
      Array.from(keys),
      E.traverseArray((key) => pipe(decodeKey(key), E.map((key): readonly [RecordKey, Content] => [key, null]))),
      E.map((edits) => editAll(edits, now)(state)),
    )
