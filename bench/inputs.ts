/**
 * Deterministic inputs for `reconcile` and its floor: a local state of `records` records, a fraction
 * `dirty` of them edited here, and a listing from the server. About a third of the dirty keys meet a
 * newer remote version with other content (conflicts); the rest of the dirty keys are a mix of the
 * cases the rules name (plain pushes, deletes, keys new here, no-op edits, edits the server already
 * holds, versions sent earlier that landed or did not); and 5% of the dataset changed remotely only
 * (other keys changed, new keys, tombstones). Keys carry the prefixes the `byKey` routing routes on.
 */
import type { Content, RecordKey, RecordValue, SyncCount } from '../src/codecs.js'
import { type LocalRecord, type LocalState, type PendingEdit, type ServerVersion, stateOf } from '../src/LocalRecord.js'
import type { ReconcileInput } from '../src/reconcile.js'
import type { RemoteRecord } from '../src/RemoteRecord.js'
import { type Random, integer, permutation, seeded, word } from './random.js'

export interface InputShape {
  readonly records: number
  /** The fraction of records with a pending edit, 0 to 1. */
  readonly dirty: number
  readonly seed: number
}

/** The share of the dataset changed by other devices only. */
export const remoteOnlyShare = 0.05

const T0 = 1_700_000_000_000
const accountId = '123456789012'

const prefixes = ['score.', 'settings.', 'item.', 'item.'] as const

const keyAt = (i: number): RecordKey => `${prefixes[i % prefixes.length]}${i.toString(36).padStart(4, '0')}` as RecordKey

/** A value of the kind the key's route expects: numbers for `score.` keys, words otherwise. */
const valueFor = (random: Random, key: string): RecordValue =>
  (key.startsWith('score.') ? String(integer(random, 0, 1_000_000)) : word(random, integer(random, 8, 24))) as RecordValue

/** Another value than `than`, of the same kind. */
const otherValue = (random: Random, key: string, than: Content): RecordValue => {
  const value = valueFor(random, key)
  return value === than ? ((value + '1') as RecordValue) : value
}

const at = (ms: number): Date => new Date(ms)

const serverVersion = (random: Random, content: Content, syncCount: number): ServerVersion => {
  const stored = T0 + syncCount * 1000 + integer(random, 0, 999)
  return {
    content,
    syncCount: syncCount as SyncCount,
    lastModifiedDate: at(stored),
    lastModifiedBy: accountId,
    ...(random() < 0.9 ? { deviceLastModifiedDate: at(stored - integer(random, 0, 500)) } : {}),
  }
}

const remoteRecord = (random: Random, key: RecordKey, content: Content, syncCount: number, deviceDate?: Date): RemoteRecord => {
  const stored = T0 + syncCount * 1000 + integer(random, 0, 999)
  const device = deviceDate ?? (random() < 0.9 ? at(stored - integer(random, 0, 60_000)) : undefined)
  return {
    Key: key,
    ...(content === null ? {} : { Value: content }),
    SyncCount: syncCount as SyncCount,
    LastModifiedDate: at(stored),
    LastModifiedBy: accountId,
    ...(device === undefined ? {} : { DeviceLastModifiedDate: device }),
  }
}

type DirtyKind = 'conflict' | 'noop' | 'settle' | 'sameCount' | 'delete' | 'newHere' | 'sentLanded' | 'sentLost' | 'push'

/** Every third dirty key conflicts; the rest cycle through the other cases. */
const dirtyKind = (j: number): DirtyKind => {
  if (j % 3 === 0) return 'conflict'
  switch (j % 30) {
    case 1:
      return 'noop'
    case 2:
      return 'settle'
    case 4:
      return 'sameCount'
    case 5:
      return 'delete'
    case 7:
      return 'newHere'
    case 8:
      return 'sentLanded'
    case 10:
      return 'sentLost'
    default:
      return 'push'
  }
}

/**
 * One input in the representation each side keeps its state in: for the library, a state built by its
 * own constructor (`stateOf`, as its stores build them); for the floor, a plain `Map`. Both hold the
 * same record objects and the same listing.
 */
export interface InputPair {
  readonly library: ReconcileInput
  readonly floor: ReconcileInput
}

/**
 * Builds the input. The same shape always gives the same input.
 */
export const reconcileInput = ({ records: n, dirty, seed }: InputShape): InputPair => {
  const random = seeded(seed)
  const lastSyncCount = 2 * n
  let nextSyncCount = lastSyncCount
  const editedAt = (): Date => at(T0 + lastSyncCount * 1000 + integer(random, 0, 200_000))
  const local = new Map<string, LocalRecord>()
  const listed: Array<RemoteRecord> = []
  const order = permutation(random, n)
  const dirtyCount = Math.round(dirty * n)
  for (let position = 0; position < n; position++) {
    const key = keyAt(order[position] as number)
    const server = serverVersion(random, valueFor(random, key), integer(random, 1, lastSyncCount))
    if (position >= dirtyCount) {
      local.set(key, { key, server })
      continue
    }
    const kind = dirtyKind(position)
    const edit = (content: Content, sent?: PendingEdit['sent']): PendingEdit => ({
      content,
      deviceLastModifiedDate: editedAt(),
      ...(sent && { sent }),
    })
    const newer = (content: Content, deviceDate?: Date): void => {
      listed.push(remoteRecord(random, key, content, ++nextSyncCount, deviceDate))
    }
    switch (kind) {
      case 'conflict': {
        const pending = edit(otherValue(random, key, server.content))
        local.set(key, { key, server, pending })
        newer(random() < 0.1 ? null : otherValue(random, key, pending.content))
        break
      }
      case 'noop':
        local.set(key, { key, server, pending: edit(server.content) })
        break
      case 'settle': {
        const pending = edit(otherValue(random, key, server.content))
        local.set(key, { key, server, pending })
        newer(pending.content)
        break
      }
      case 'sameCount': {
        // a version this device already holds is listed again: the edit is pushed on it
        const base = { ...server, syncCount: ++nextSyncCount as SyncCount }
        local.set(key, { key, server: base, pending: edit(otherValue(random, key, server.content)) })
        listed.push(remoteRecord(random, key, base.content, base.syncCount))
        break
      }
      case 'delete':
        local.set(key, { key, server, pending: edit(null) })
        break
      case 'newHere':
        local.set(key, { key, pending: edit(valueFor(random, key)) })
        break
      case 'sentLanded': {
        const sent = { content: otherValue(random, key, server.content), deviceLastModifiedDate: editedAt() }
        local.set(key, { key, server, pending: edit(otherValue(random, key, sent.content), sent) })
        newer(sent.content, sent.deviceLastModifiedDate)
        break
      }
      case 'sentLost': {
        const sent = { content: otherValue(random, key, server.content), deviceLastModifiedDate: editedAt() }
        local.set(key, { key, server, pending: edit(otherValue(random, key, sent.content), sent) })
        break
      }
      case 'push':
        local.set(key, { key, server, pending: edit(otherValue(random, key, server.content)) })
        break
    }
  }
  // changes made only elsewhere: clean keys first, then keys this device never saw
  const remoteOnly = Math.max(1, Math.ceil(n * remoteOnlyShare))
  for (let m = 0; m < remoteOnly; m++) {
    const position = dirtyCount + m
    const key = m % 2 === 0 && position < n ? keyAt(order[position] as number) : (`new.${m.toString(36)}` as RecordKey)
    listed.push(remoteRecord(random, key, m % 10 === 0 ? null : valueFor(random, key), ++nextSyncCount))
  }
  listed.sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0))
  const rest = { listing: { records: listed, datasetSyncCount: nextSyncCount as SyncCount }, now: at(T0 + (nextSyncCount + 10) * 1000) }
  const plain: LocalState = { records: local, lastSyncCount: lastSyncCount as SyncCount }
  return { library: { local: stateOf(local.values(), lastSyncCount), ...rest }, floor: { local: plain, ...rest } }
}
