/**
 * The floor: the merge a competent engineer would write by hand for the same inputs and the same
 * rules as src/reconcile.ts (adopt, settle, push, drop no-op edits, conflicts decided by the strategy,
 * sent versions confirmed, regressions), with plain loops over one copy of the `Map` and the
 * strategy's decision written inline. It shares no code with the library, only its types: the
 * benchmark checks that both give equal output before it times either (see guard.ts).
 */
import type { Content, RecordKey, RecordValue, SyncCount } from '../src/codecs.js'
import type { Conflict, Decision, Version } from '../src/Conflict.js'
import type { LocalRecord, LocalState, ServerVersion } from '../src/LocalRecord.js'
import type { ReconcileInput, ResolvedConflict } from '../src/reconcile.js'
import type { RecordPatch } from '../src/RecordPatch.js'
import type { RemoteRecord } from '../src/RemoteRecord.js'

/** What the benchmark compares: the patches, the next state and the conflicts with their resolutions. */
export interface MergeOutput {
  readonly patches: ReadonlyArray<RecordPatch>
  readonly next: LocalState
  readonly conflicts: ReadonlyArray<ResolvedConflict>
}

/** A hand-written merge of a reconcile input. */
export type Merge = (input: ReconcileInput) => MergeOutput

/** A strategy's decision, written inline: which side wins a conflict, and who decided. */
export type Decide = (key: string, local: Version, remote: Version) => Decision

// the three strategies the benchmark runs, inline

const KEEP_LOCAL = { _tag: 'KeepLocal' } as const
const TAKE_REMOTE = { _tag: 'TakeRemote' } as const

/** Tombstones lose to any value; values compare by code units. */
const compareContent = (a: Content, b: Content): number => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1)

const writtenAt = (v: Version): number => {
  const device = v.deviceLastModifiedDate
  const server = v.lastModifiedDate
  if (device !== undefined && server !== undefined) return Math.min(device.getTime(), server.getTime())
  return device !== undefined ? device.getTime() : server !== undefined ? server.getTime() : 0
}

const winner = (order: number, local: Version, remote: Version, decidedBy: string): Decision => {
  const o = order !== 0 ? order : compareContent(local.content, remote.content)
  return { resolution: o > 0 ? KEEP_LOCAL : TAKE_REMOTE, decidedBy }
}

export const lastWriterWinsInline: Decide = (_key, local, remote) => winner(Math.sign(writtenAt(local) - writtenAt(remote)), local, remote, 'lastWriterWins')

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/
const isNumber = (c: Content): c is RecordValue => c !== null && DECIMAL.test(c) && Number.isFinite(Number(c))

export const maxValueInline: Decide = (key, local, remote) => {
  if (isNumber(local.content) && isNumber(remote.content)) {
    const a = Number(local.content)
    const b = Number(remote.content)
    return winner(a < b ? -1 : a > b ? 1 : 0, local, remote, 'maxValue')
  }
  return lastWriterWinsInline(key, local, remote)
}

const SCORE = /^score\./
const SETTINGS = /^settings\./

/** The routing the benchmark runs: `score.` keys by maxValue, `settings.` by lastWriterWins, the rest remoteWins. */
export const byKeyInline: Decide = (key, local, remote) =>
  SCORE.test(key)
    ? maxValueInline(key, local, remote)
    : SETTINGS.test(key)
      ? lastWriterWinsInline(key, local, remote)
      : { resolution: TAKE_REMOTE, decidedBy: 'remoteWins' }

// the merge

const serverVersionOf = (r: RemoteRecord): ServerVersion => {
  const v: { -readonly [K in keyof ServerVersion]: ServerVersion[K] } = { content: r.Value ?? null, syncCount: r.SyncCount }
  if (r.LastModifiedDate !== undefined) v.lastModifiedDate = r.LastModifiedDate
  if (r.LastModifiedBy !== undefined) v.lastModifiedBy = r.LastModifiedBy
  if (r.DeviceLastModifiedDate !== undefined) v.deviceLastModifiedDate = r.DeviceLastModifiedDate
  return v
}

const patch = (key: RecordKey, content: Content, syncCount: SyncCount, date: Date): RecordPatch =>
  content === null
    ? { Op: 'remove', Key: key, SyncCount: syncCount, DeviceLastModifiedDate: date }
    : { Op: 'replace', Key: key, Value: content, SyncCount: syncCount, DeviceLastModifiedDate: date }

/** The floor for one strategy's decision. */
export const floorMerge =
  (decide: Decide): Merge =>
  ({ local, listing }) => {
    if (listing.datasetSyncCount < local.lastSyncCount) return { patches: [], next: local, conflicts: [] }
    const remotes = new Map<string, RemoteRecord>()
    for (const r of listing.records) {
      const seen = remotes.get(r.Key)
      if (seen === undefined || r.SyncCount > seen.SyncCount) remotes.set(r.Key, r)
    }
    const keys: Array<string> = Array.from(remotes.keys())
    for (const [key, record] of local.records) if (record.pending !== undefined && !remotes.has(key)) keys.push(key)
    keys.sort() // code-unit order
    const records = new Map(local.records)
    const patches: Array<RecordPatch> = []
    const conflicts: Array<ResolvedConflict> = []
    let caughtUp = true
    const push = (key: RecordKey, server: ServerVersion | undefined, content: Content, date: Date, syncCount: SyncCount): void => {
      const pending = { content, deviceLastModifiedDate: date, sent: { content, deviceLastModifiedDate: date } }
      records.set(key, server === undefined ? { key, pending } : { key, server, pending })
      patches.push(patch(key, content, syncCount, date))
    }
    for (const key of keys) {
      const remote = remotes.get(key)
      let record: LocalRecord | undefined = records.get(key)
      let uncertain = false
      // a version sent without an answer: listed means it landed, another version listed means unknown
      const sent = record?.pending?.sent
      if (record !== undefined && record.pending !== undefined && sent !== undefined) {
        const pending = { content: record.pending.content, deviceLastModifiedDate: record.pending.deviceLastModifiedDate }
        if (
          remote !== undefined &&
          sent.content === (remote.Value ?? null) &&
          remote.DeviceLastModifiedDate !== undefined &&
          Math.abs(remote.DeviceLastModifiedDate.getTime() - sent.deviceLastModifiedDate.getTime()) <= 1
        )
          record = { key: record.key, server: serverVersionOf(remote), pending }
        else {
          record = record.server === undefined ? { key: record.key, pending } : { key: record.key, server: record.server, pending }
          uncertain = remote !== undefined
        }
      }
      const pending = record?.pending
      const base = record?.server
      const noop = pending !== undefined && !uncertain && pending.content === (base === undefined ? null : base.content)
      if (remote === undefined) {
        if (record === undefined || pending === undefined) continue
        if (noop) {
          if (base === undefined) records.delete(key)
          else records.set(key, { key: record.key, server: base })
        } else push(record.key, base, pending.content, pending.deviceLastModifiedDate, base === undefined ? (0 as SyncCount) : base.syncCount)
        continue
      }
      if (record === undefined) {
        records.set(key, { key: remote.Key, server: serverVersionOf(remote) })
        continue
      }
      const baseCount = base === undefined ? 0 : base.syncCount
      if (remote.SyncCount < baseCount) {
        caughtUp = false
        continue
      }
      const remoteContent = remote.Value ?? null
      if (pending === undefined || noop || pending.content === remoteContent) {
        records.set(key, { key: remote.Key, server: serverVersionOf(remote) })
        continue
      }
      if (remote.SyncCount === baseCount) {
        push(record.key, serverVersionOf(remote), pending.content, pending.deviceLastModifiedDate, remote.SyncCount)
        continue
      }
      const localVersion = { content: pending.content, deviceLastModifiedDate: pending.deviceLastModifiedDate }
      const remoteVersion = serverVersionOf(remote)
      const decision = decide(key, localVersion, remoteVersion)
      const conflict: Conflict =
        // as the library: a key new here starts from a tombstone; no base when a sent version may have landed
        uncertain ? { key: record.key, local: localVersion, remote: remoteVersion } : { key: record.key, local: localVersion, remote: remoteVersion, base: base ?? { content: null } }
      conflicts.push({ conflict, resolution: decision.resolution, decidedBy: decision.decidedBy })
      // the inline strategies only keep the local edit or take the remote version
      if (decision.resolution._tag === 'KeepLocal')
        push(record.key, remoteVersion, pending.content, pending.deviceLastModifiedDate, remote.SyncCount)
      else records.set(key, { key: remote.Key, server: remoteVersion })
    }
    return { patches, next: { records, lastSyncCount: caughtUp ? listing.datasetSyncCount : local.lastSyncCount }, conflicts }
  }
