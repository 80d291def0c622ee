/**
 * Planning a reconciliation: every key it must look at is classified (adopt, settle, push, drop,
 * conflict, regressed) in one pass, in key order. The pass tells a `Visitor` what to do with each key:
 * `reconcile` builds its result as it goes, deciding conflicts on the way, with no step in between;
 * `plan` records the steps, for strategies that decide asynchronously. Internal to `reconcile`.
 *
 * @since 0.2.0
 */
import type { Conflict } from './Conflict.js'
import type { RecordKey } from './codecs.js'
import { type LocalRecord, type PendingEdit, type ServerVersion, type SentVersion, baseSyncCount, serverVersionOf } from './LocalRecord.js'
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

/**
 * What the pass does with each key, told in key order, at most one call per key (besides `confirmed`).
 * `conflict` answers false to stop the pass (a strategy failed). `server` is `conflict.remote`, the
 * remote record as a server version.
 */
export interface Visitor {
  adopt(remote: RemoteRecord): void
  settle(remote: RemoteRecord): void
  push(record: Edited): void
  drop(record: Edited): void
  conflict(conflict: Conflict, remote: RemoteRecord, record: Edited, server: ServerVersion): boolean
  regressed(regression: Regression): void
  /** The listed version of this key is the one this device sent without seeing the answer: it landed. */
  confirmed(key: RecordKey): void
}

/** The newest listed version of each key: pages of one listing may repeat a key that changed between them. @internal */
export const latestByKey = (records: ReadonlyArray<RemoteRecord>): ReadonlyMap<string, RemoteRecord> => {
  const latest = new Map<string, RemoteRecord>()
  for (const record of records) {
    const seen = latest.get(record.Key)
    if (seen === undefined || record.SyncCount > seen.SyncCount) latest.set(record.Key, record)
  }
  return latest
}

/** The base of an edit to a key this device never saw on the server. */
const noRecord = { content: null }

/** Dates cross the wire as epoch seconds with a fraction: a millisecond of rounding is the same date. */
const isSentVersion = (sent: SentVersion, remote: RemoteRecord): boolean =>
  sent.content === remoteContent(remote) &&
  remote.DeviceLastModifiedDate !== undefined &&
  Math.abs(remote.DeviceLastModifiedDate.getTime() - sent.deviceLastModifiedDate.getTime()) <= 1

/**
 * An edit back to the content it started from changes nothing: it is never pushed and never competes.
 * Unless the base is uncertain: a version sent in between may have landed, and the edit undoes it.
 */
const isNoop = (record: Edited, uncertain: boolean): boolean => !uncertain && record.pending.content === (record.server?.content ?? null)

/**
 * The dataset's own count went back (a reset, or a dataset deleted and re-created): nothing is merged.
 *
 * @internal
 */
export const datasetRegression = ({ local, listing }: ReconcileInput): Regression | undefined =>
  listing.datasetSyncCount < local.lastSyncCount
    ? { _tag: 'DatasetRegressed', lastSyncCount: local.lastSyncCount, datasetSyncCount: listing.datasetSyncCount }
    : undefined

/**
 * The keys to look at, given the listing's latest versions: the listed ones and the dirty ones, in key
 * order, each once. Every other key is clean and unlisted: the work grows with the listing and the
 * edits, not with the dataset.
 *
 * @internal
 */
export const keysToVisit = (local: ReconcileInput['local'], remotes: ReadonlyMap<string, RemoteRecord>): ReadonlyArray<string> => {
  const keys = Array.from(remotes.keys())
  local.records.forEach((record) => {
    if (record.pending !== undefined && !remotes.has(record.key)) keys.push(record.key)
  })
  // without a comparator, sort compares UTF-16 code units as compareKeys does, several times faster
  return keys.sort()
}

/**
 * The keys a reconciliation must look at: the listed ones and the dirty ones, in key order.
 *
 * @internal
 */
export const touchedKeys = (input: ReconcileInput): ReadonlyArray<string> => keysToVisit(input.local, latestByKey(input.listing.records))

/**
 * The pass: classifies each of `keys` (in key order, each once) and tells `visitor`. Records are read
 * from `records` (the local ones, or a draft of them that the visitor writes each key to once it is
 * read), never changed here; a record whose sent version the listing settles is told in its settled form.
 *
 * @internal
 */
export const visit = (
  input: ReconcileInput,
  keys: ReadonlyArray<string>,
  remotes: ReadonlyMap<string, RemoteRecord>,
  visitor: Visitor,
  records: { readonly get: (key: string) => LocalRecord | undefined } = input.local.records,
): void => {
  for (const key of keys) {
    const remote = remotes.get(key)
    let record = records.get(key)
    let uncertain = false
    // a version sent without an answer: listed, it landed and becomes the edit's base; not listed, it
    // did not land (the listing holds every write after lastSyncCount, which never advances past an
    // unanswered push); another version listed: whether ours landed before it cannot be told
    const sent = record?.pending?.sent
    if (record !== undefined && record.pending !== undefined && sent !== undefined) {
      const pending: PendingEdit = { content: record.pending.content, deviceLastModifiedDate: record.pending.deviceLastModifiedDate }
      if (remote !== undefined && isSentVersion(sent, remote)) {
        record = { key: record.key, server: serverVersionOf(remote), pending }
        visitor.confirmed(remote.Key)
      } else {
        record = { ...record, pending }
        uncertain = remote !== undefined
      }
    }
    if (remote === undefined) {
      if (record?.pending === undefined) continue
      const edited = record as Edited
      if (isNoop(edited, uncertain)) visitor.drop(edited)
      else visitor.push(edited)
      continue
    }
    if (record === undefined) {
      visitor.adopt(remote)
      continue
    }
    const base = baseSyncCount(record)
    if (remote.SyncCount < base) {
      visitor.regressed({ _tag: 'RecordRegressed', key: record.key, localSyncCount: base, remoteSyncCount: remote.SyncCount })
      continue
    }
    const pending = record.pending
    if (pending === undefined || isNoop(record as Edited, uncertain) || pending.content === remoteContent(remote)) {
      if (remote.SyncCount === base) visitor.settle(remote)
      else visitor.adopt(remote)
      continue
    }
    const server = serverVersionOf(remote)
    // same count: the server has not changed since the edit's base, and its version is the one to record
    if (remote.SyncCount === base) {
      visitor.push({ ...record, server } as Edited)
      continue
    }
    const local = { content: pending.content, deviceLastModifiedDate: pending.deviceLastModifiedDate }
    // a key new here started from nothing (a tombstone base); no base when a version sent since may
    // have landed: a three-way merge then falls back, never merging against a wrong base
    const conflict: Conflict = uncertain ? { key: record.key, local, remote: server } : { key: record.key, local, remote: server, base: record.server ?? noRecord }
    if (!visitor.conflict(conflict, remote, record as Edited, server)) return
  }
}

/** Records the steps of the pass. */
class Planner implements Visitor {
  readonly steps: Array<Step> = []
  readonly confirmedKeys: Array<RecordKey> = []
  adopt(remote: RemoteRecord): void {
    this.steps.push({ _tag: 'Adopt', remote })
  }
  settle(remote: RemoteRecord): void {
    this.steps.push({ _tag: 'Settle', remote })
  }
  push(record: Edited): void {
    this.steps.push({ _tag: 'Push', record })
  }
  drop(record: Edited): void {
    this.steps.push({ _tag: 'Drop', record })
  }
  conflict(conflict: Conflict, remote: RemoteRecord, record: Edited): boolean {
    this.steps.push({ _tag: 'Conflict', conflict, remote, record })
    return true
  }
  regressed(regression: Regression): void {
    this.steps.push({ _tag: 'Regressed', regression })
  }
  confirmed(key: RecordKey): void {
    this.confirmedKeys.push(key)
  }
}

/** Classifies `keys` (in key order, each once) into the steps of a reconciliation. @internal */
export const plan = (input: ReconcileInput, keys: ReadonlyArray<string>): Plan => {
  const regression = datasetRegression(input)
  if (regression !== undefined) return { input, confirmed: [], steps: [{ _tag: 'Regressed', regression }] }
  const planner = new Planner()
  visit(input, keys, latestByKey(input.listing.records), planner)
  return { input, steps: planner.steps, confirmed: planner.confirmedKeys }
}

/** Tells `visitor` the steps of `p` again, in order; the conflicts' server versions are rebuilt. @internal */
export const replay = (p: Plan, visitor: Visitor): void => {
  for (const key of p.confirmed) visitor.confirmed(key)
  for (const step of p.steps) {
    switch (step._tag) {
      case 'Adopt':
        visitor.adopt(step.remote)
        break
      case 'Settle':
        visitor.settle(step.remote)
        break
      case 'Push':
        visitor.push(step.record)
        break
      case 'Drop':
        visitor.drop(step.record)
        break
      case 'Regressed':
        visitor.regressed(step.regression)
        break
      case 'Conflict':
        if (!visitor.conflict(step.conflict, step.remote, step.record, serverVersionOf(step.remote))) return
        break
    }
  }
}
