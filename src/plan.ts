/**
 * Planning a reconciliation: every key it must look at is classified into a step (adopt, settle, push,
 * drop, conflict, regressed) before any strategy runs. Internal to `reconcile`.
 *
 * @since 0.2.0
 */
import type { Conflict } from './Conflict.js'
import type { RecordKey } from './codecs.js'
import { type LocalRecord, type PendingEdit, type SentVersion, baseSyncCount, serverVersionOf } from './LocalRecord.js'
import { type RemoteRecord, remoteContent } from './RemoteRecord.js'
import type { ReconcileInput, Regression } from './reconcile.js'

/** A record with an edit to push. */
export type Edited = LocalRecord & { readonly pending: PendingEdit }

export type Step =
  | { readonly _tag: 'Adopt'; readonly remote: RemoteRecord }
  | { readonly _tag: 'Settle'; readonly remote: RemoteRecord }
  | { readonly _tag: 'Push'; readonly record: Edited }
  | { readonly _tag: 'Drop'; readonly record: Edited }
  | { readonly _tag: 'Conflict'; readonly conflict: Conflict; readonly remote: RemoteRecord; readonly record: Edited }
  | { readonly _tag: 'Regressed'; readonly regression: Regression }

export interface Plan {
  readonly input: ReconcileInput
  readonly steps: ReadonlyArray<Step>
  readonly confirmed: ReadonlyArray<RecordKey>
}

/** The newest listed version of each key: pages of one listing may repeat a key that changed between them. */
const latestByKey = (records: ReadonlyArray<RemoteRecord>): ReadonlyMap<string, RemoteRecord> => {
  const latest = new Map<string, RemoteRecord>()
  for (const record of records) {
    const seen = latest.get(record.Key)
    if (seen === undefined || record.SyncCount > seen.SyncCount) latest.set(record.Key, record)
  }
  return latest
}

/** A key new here started from nothing (a tombstone base). No base when a version sent since may have landed: a three-way merge then falls back, never merging against a wrong base. */
const noRecord = { content: null }
const conflictFor = (record: Edited, remote: RemoteRecord, uncertain: boolean): Conflict => {
  const local = { content: record.pending.content, deviceLastModifiedDate: record.pending.deviceLastModifiedDate }
  return uncertain
    ? { key: record.key, local, remote: serverVersionOf(remote) }
    : { key: record.key, local, remote: serverVersionOf(remote), base: record.server ?? noRecord }
}

const withoutSent = ({ content, deviceLastModifiedDate }: PendingEdit): PendingEdit => ({ content, deviceLastModifiedDate })

/** Dates cross the wire as epoch seconds with a fraction: a millisecond of rounding is the same date. */
const isSentVersion = (sent: SentVersion, remote: RemoteRecord): boolean =>
  sent.content === remoteContent(remote) &&
  remote.DeviceLastModifiedDate !== undefined &&
  Math.abs(remote.DeviceLastModifiedDate.getTime() - sent.deviceLastModifiedDate.getTime()) <= 1

interface Settled {
  readonly record: LocalRecord | undefined
  /** The listed version is the one this device sent without an answer: it landed. */
  readonly ownWrite: boolean
  /** Another version is listed: whether ours landed before it cannot be told. */
  readonly uncertain: boolean
}

/**
 * What the listing says of a version sent without an answer. Listed: it landed, and becomes the edit's
 * base. Not listed: it did not land, since the listing holds every write after `lastSyncCount`, which
 * never advances past an unanswered push. Another version listed: unknown.
 */
const settleSent = (record: LocalRecord | undefined, remote: RemoteRecord | undefined): Settled => {
  const sent = record?.pending?.sent
  if (record?.pending === undefined || sent === undefined) return { record, ownWrite: false, uncertain: false }
  const pending = withoutSent(record.pending)
  if (remote !== undefined && isSentVersion(sent, remote))
    return { record: { key: record.key, server: serverVersionOf(remote), pending }, ownWrite: true, uncertain: false }
  return { record: { ...record, pending }, ownWrite: false, uncertain: remote !== undefined }
}

/**
 * An edit back to the content it started from changes nothing: it is never pushed and never competes.
 * Unless the base is uncertain: a version sent in between may have landed, and the edit undoes it.
 */
const isNoop = (record: Edited, uncertain: boolean): boolean => !uncertain && record.pending.content === (record.server?.content ?? null)

const isEdited = (record: LocalRecord | undefined): record is Edited => record?.pending !== undefined

const stepFor = ({ record, uncertain }: Settled, remote: RemoteRecord | undefined): Step | undefined => {
  if (remote === undefined) {
    if (!isEdited(record)) return undefined
    return isNoop(record, uncertain) ? { _tag: 'Drop', record } : { _tag: 'Push', record }
  }
  if (record === undefined) return { _tag: 'Adopt', remote }
  const base = baseSyncCount(record)
  if (remote.SyncCount < base)
    return { _tag: 'Regressed', regression: { _tag: 'RecordRegressed', key: record.key, localSyncCount: base, remoteSyncCount: remote.SyncCount } }
  const settles = !isEdited(record) || isNoop(record, uncertain) || record.pending.content === remoteContent(remote)
  if (settles) return remote.SyncCount === base ? { _tag: 'Settle', remote } : { _tag: 'Adopt', remote }
  // same count: the server has not changed since the edit's base, and its version is the one to record
  if (remote.SyncCount === base) return { _tag: 'Push', record: { ...record, server: serverVersionOf(remote) } }
  return { _tag: 'Conflict', conflict: conflictFor(record, remote, uncertain), remote, record }
}

/**
 * The keys a reconciliation must look at: the listed ones and the dirty ones. Every other key is clean
 * and unlisted, so it has no step: the work grows with the listing and the edits, not with the dataset.
 *
 * @internal
 */
export const touchedKeys = ({ local, listing }: ReconcileInput): ReadonlyArray<string> => {
  const keys: Array<string> = []
  for (const record of listing.records) keys.push(record.Key)
  local.records.forEach((record) => {
    if (record.pending !== undefined) keys.push(record.key)
  })
  // without a comparator, sort compares UTF-16 code units as compareKeys does, several times faster;
  // a sorted array then drops its repeated keys in one pass, cheaper than a Set
  keys.sort()
  let distinct = 0
  for (let i = 0; i < keys.length; i++) if (i === 0 || keys[i] !== keys[i - 1]) keys[distinct++] = keys[i] as string
  keys.length = distinct
  return keys
}

/** Classifies `keys` (in key order, each once) into the steps of a reconciliation. @internal */
export const plan = (input: ReconcileInput, keys: ReadonlyArray<string>): Plan => {
  const { local, listing } = input
  if (listing.datasetSyncCount < local.lastSyncCount) {
    const regression: Regression = { _tag: 'DatasetRegressed', lastSyncCount: local.lastSyncCount, datasetSyncCount: listing.datasetSyncCount }
    return { input, confirmed: [], steps: [{ _tag: 'Regressed', regression }] }
  }
  const remotes = latestByKey(listing.records)
  const confirmed: Array<RecordKey> = []
  const steps: Array<Step> = []
  for (const key of keys) {
    const remote = remotes.get(key)
    const settled = settleSent(local.records.get(key), remote)
    if (settled.ownWrite && remote) confirmed.push(remote.Key)
    const step = stepFor(settled, remote)
    if (step !== undefined) steps.push(step)
  }
  return { input, steps, confirmed }
}
