/**
 * Checking a state a store hands over, where it enters the sync: a store is user code too, and a
 * broken one (dates stored as strings, a record under another key, a key the service would refuse)
 * must give a typed error before anything reaches the service.
 *
 * The check is a type guard over the records, without encoding or allocating: the same rules as
 * decoding the state's JSON (`LocalStateJson`), at a fraction of the cost (about a tenth of a
 * millisecond for 1,024 records, where encoding and decoding them took tens). Only a state that fails it
 * is decoded, to say what is wrong and where.
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { SyncCount } from '../codecs.js'
import { type DecodeError, decodeErrorFrom, renderIssues } from '../DecodeError.js'
import { type LocalState, LocalStateJson, compareKeys, isRecordMap } from '../LocalRecord.js'

// The guards below are `LocalRecordJson.is` written out (the property suite holds them equal): io-ts's
// combinators cost several times more per record, and this runs over every record on every sync.
const isObject = (u: unknown): u is Readonly<Record<string, unknown>> => Object.prototype.toString.call(u) === '[object Object]'
const isText = (u: unknown, max: number): boolean => typeof u === 'string' && u.length <= max
const isContent = (u: unknown): boolean => u === null || isText(u, 1_048_575)
const isDate = (u: unknown): boolean => u instanceof Date && !Number.isNaN(u.getTime())
const isOptional = (u: unknown, guard: (u: unknown) => boolean): boolean => u === undefined || guard(u)
const isSent = (u: unknown): boolean => isObject(u) && isContent(u['content']) && isDate(u['deviceLastModifiedDate'])
const isPending = (u: unknown): boolean => isSent(u) && isOptional((u as Record<string, unknown>)['sent'], isSent)
const isServer = (u: unknown): boolean =>
  isObject(u) &&
  isContent(u['content']) &&
  SyncCount.is(u['syncCount']) &&
  isOptional(u['lastModifiedDate'], isDate) &&
  isOptional(u['lastModifiedBy'], (by) => typeof by === 'string') &&
  isOptional(u['deviceLastModifiedDate'], isDate)
/** Whether `u` is a well-formed record stored under `key` (see `isWellFormed`). @internal */
export const isRecordUnder = (key: string, u: unknown): boolean =>
  isObject(u) && u['key'] === key && key.length >= 1 && isText(key, 1024) && isOptional(u['server'], isServer) && isOptional(u['pending'], isPending)

/**
 * Whether `state` is a well-formed `LocalState`: a `ReadonlyMap` of records each under its own key, each
 * record as `LocalRecordJson` decodes one (keys and values within the service's limits, valid dates,
 * non-negative sync counts), and a valid `lastSyncCount`.
 *
 * @example
 * import { isWellFormed } from 'cognito-reconcile/stores'
 * import { emptyState, put } from 'cognito-reconcile'
 * import * as E from 'fp-ts/lib/Either.js'
 * const written = put('k', 'v', new Date(0))(emptyState)
 * assert.ok(E.isRight(written) && isWellFormed(written.right))
 * // what a broken store might hand over: a date kept as text, a record under another key
 * const broken: any = { records: new Map([['k', { key: 'k', pending: { content: 'v', deviceLastModifiedDate: '1970-01-01' } }]]), lastSyncCount: 0 }
 * assert.strictEqual(isWellFormed(broken), false)
 * assert.strictEqual(isWellFormed({ ...broken, records: new Map([['j', { key: 'k' }]]) }), false)
 *
 * @since 0.2.0
 */
export const isWellFormed = (state: LocalState): boolean => {
  if (typeof state !== 'object' || state === null || !isRecordMap(state.records) || !SyncCount.is(state.lastSyncCount)) return false
  for (const [key, record] of state.records) if (!isRecordUnder(key, record)) return false
  return true
}

/** A value as its JSON would hold it, without throwing: dates as epoch milliseconds, the rest as it is. */
const jsonish = (value: unknown): unknown =>
  value instanceof Date
    ? value.getTime()
    : typeof value === 'object' && value !== null
      ? Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, jsonish(inner)]))
      : value

const refused = (path: string, expected: string, rule: string, got: string): DecodeError => {
  const issues = [{ path, expected, rule, got }]
  return { _tag: 'DecodeError', what: 'local state', issues, message: `Invalid local state: ${renderIssues(issues)}. The store handed over a state it does not hold: check its read.` }
}

/** What is wrong with a state that is not well-formed, in `LocalStateJson`'s terms. */
const describe = (state: LocalState): DecodeError => {
  if (typeof state !== 'object' || state === null || !isRecordMap(state.records))
    return refused('records', 'ReadonlyMap', 'be a Map of records by key', Object.prototype.toString.call(typeof state === 'object' && state !== null ? state.records : state))
  const misplaced = [...state.records].find(([key, record]) => typeof record !== 'object' || record === null || record.key !== key)
  if (misplaced !== undefined)
    return refused(`records.${JSON.stringify(misplaced[0])}`, 'LocalRecord', 'be a record whose key is the key it is stored under', JSON.stringify(jsonish(misplaced[1])) ?? 'undefined')
  const records = [...state.records.values()].sort((a, b) => compareKeys(a.key, b.key)).map(jsonish)
  const decoded = LocalStateJson.decode({ records, lastSyncCount: state.lastSyncCount })
  return E.isLeft(decoded) ? decodeErrorFrom('local state', decoded.left) : refused('', 'LocalState', 'be a LocalState', 'a state whose JSON reads back differently')
}

/**
 * `state` itself if it is well-formed (`isWellFormed`), else a `DecodeError` (`what: 'local state'`)
 * saying what is wrong and where.
 *
 * @example
 * import { checkState } from 'cognito-reconcile/stores'
 * import { emptyState, stateOf } from 'cognito-reconcile'
 * import * as E from 'fp-ts/lib/Either.js'
 * assert.deepStrictEqual(checkState(emptyState), E.right(emptyState))
 * const broken = checkState(stateOf([{ key: '', pending: { content: 'v', deviceLastModifiedDate: new Date(0) } }] as any, 0))
 * assert.ok(E.isLeft(broken) && broken.left.what === 'local state' && broken.left.issues.length > 0)
 *
 * @since 0.2.0
 */
export const checkState = (state: LocalState): E.Either<DecodeError, LocalState> => (isWellFormed(state) ? E.right(state) : E.left(describe(state)))
