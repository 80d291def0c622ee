/**
 * ListRecords and UpdateRecords: the sync protocol proper (protocol notes, 2.1–2.4).
 *
 * Sync counts: each successful UpdateRecords raises the dataset count by exactly one and every record
 * it writes takes the new count; ListRecords returns the records whose count is above the caller's
 * `lastSyncCount`. After a delete, a re-created dataset continues from the count it had when deleted
 * (the default, `recreatedSyncCount: 'continue'`), so a `lastSyncCount` at or below the deletion
 * marker always means "you synced before the delete" and never collides with a count of the new
 * dataset; with `'restart'` it starts again at 1, as the protocol notes lean, and forgets the marker.
 *
 * @since 0.1.0
 */
import { byCodeUnits, paginate } from '../cursor.js'
import { invalidParameter, limitExceeded, staleSyncCount } from '../errors.js'
import { datasetOf, pageQuery, type Handler, type Service } from '../service.js'
import type { SessionScope } from '../sessionTokens.js'
import { dataStorage, ensureIdentity, liveRecords, findIdentity, type StoredDataset, type StoredRecord } from '../state.js'
import { queryInteger, queryString, updateBody, type Patch } from '../validate.js'
import { recordToWire } from '../wire.js'

/**
 * Whether a listing from `lastSyncCount` must be told the dataset was deleted since: the caller had
 * synced (count above 0) no later than the last delete.
 *
 * @since 0.1.0
 */
export const deletedAfter = (deletedAt: number | undefined, lastSyncCount: number): boolean =>
  deletedAt !== undefined && lastSyncCount > 0 && lastSyncCount <= deletedAt

const mergedNames = (datasets: Iterable<StoredDataset>, name: string): string[] =>
  [...datasets].filter((d) => d.mergedInto === name).map((d) => d.name).sort(byCodeUnits)

const issueToken = (service: Service, scope: SessionScope): string => {
  const now = service.now()
  service.sessions.set(scope.identityPoolId, (service.sessions.get(scope.identityPoolId) ?? 0) + 1)
  return service.tokens.issue(scope, now)
}

/** @since 0.1.0 */
export const listRecords: Handler = (service, call) => {
  const scope = datasetOf(call)
  const lastSyncCount = queryInteger(call.query, 'lastSyncCount', 0) ?? 0
  const { size, nextToken } = pageQuery(service, call)
  // The token a client passes back is not needed: every listing opens a new session (emulator decision).
  queryString(call.query, 'syncSessionToken')
  const identity = findIdentity(service.state, scope.identityPoolId, scope.identityId)
  const dataset = identity?.datasets.get(scope.datasetName)
  const deleted = deletedAfter(identity?.deleted.get(scope.datasetName), lastSyncCount)
  if (dataset !== undefined && !deleted && lastSyncCount > dataset.syncCount) {
    throw invalidParameter(`No such SyncCount: ${lastSyncCount} exists for this Dataset`)
  }
  const changed = [...(dataset?.records.values() ?? [])]
    .filter((r) => r.syncCount > lastSyncCount)
    .sort((a, b) => byCodeUnits(a.key, b.key))
  const page = paginate(changed, (r) => r.key, nextToken, size)
  const merged = mergedNames(identity?.datasets.values() ?? [], scope.datasetName)
  return {
    Records: page.items.map(recordToWire),
    ...(page.nextToken === undefined ? {} : { NextToken: page.nextToken }),
    Count: page.items.length,
    DatasetSyncCount: dataset?.syncCount ?? 0,
    ...(dataset === undefined ? {} : { LastModifiedBy: dataset.lastModifiedBy }),
    ...(merged.length === 0 ? {} : { MergedDatasetNames: merged }),
    DatasetExists: dataset !== undefined,
    DatasetDeletedAfterRequestedSyncCount: deleted,
    SyncSessionToken: issueToken(service, scope),
  }
}

/** The records a call would leave, checked against the per-dataset limits before anything is stored. */
const applyPatches = (
  service: Service,
  current: ReadonlyMap<string, StoredRecord>,
  patches: readonly Patch[],
  syncCount: number,
): { readonly records: Map<string, StoredRecord>; readonly written: StoredRecord[] } => {
  const now = service.now()
  const records = new Map(current)
  const written = patches.map((p) => {
    const r: StoredRecord = {
      key: p.key,
      value: p.value ?? null,
      syncCount,
      lastModifiedDate: now,
      lastModifiedBy: service.accountId,
      deviceLastModifiedDate: p.deviceLastModifiedDate ?? null,
    }
    records.set(p.key, r)
    return r
  })
  if (liveRecords(records.values()).length > service.limits.maxRecordsPerDataset) {
    throw limitExceeded(`A dataset can hold at most ${service.limits.maxRecordsPerDataset} records`)
  }
  if (dataStorage(records.values()) > service.limits.maxDatasetBytes) {
    throw limitExceeded(`A dataset can hold at most ${service.limits.maxDatasetBytes} bytes`)
  }
  return { records, written }
}

/**
 * All patches or none: the first patch whose `SyncCount` differs from the record's (0 when absent)
 * rejects the whole call with the service's 409 message. A call with no patches creates a missing
 * dataset, empty ("the first successful UpdateRecords creates the dataset", protocol notes 2.4), and
 * otherwise changes nothing; it never raises the count.
 *
 * @since 0.1.0
 */
export const updateRecords: Handler = (service, call) => {
  const scope = datasetOf(call)
  const body = updateBody(call.body, service.limits)
  service.tokens.check(body.syncSessionToken, scope, service.now())
  const identity = findIdentity(service.state, scope.identityPoolId, scope.identityId)
  const dataset = identity?.datasets.get(scope.datasetName)
  for (const p of body.patches) {
    const current = dataset?.records.get(p.key)?.syncCount ?? 0
    if (p.syncCount !== current) throw staleSyncCount(p.key, current, p.syncCount)
  }
  if (body.patches.length === 0 && dataset !== undefined) return { Records: [] }
  if (dataset === undefined && (identity?.datasets.size ?? 0) >= service.limits.maxDatasetsPerIdentity) {
    throw limitExceeded(`An identity can hold at most ${service.limits.maxDatasetsPerIdentity} datasets`)
  }
  const continued = service.recreatedSyncCount === 'continue' ? identity?.deleted.get(scope.datasetName) : undefined
  // A call without patches writes nothing, so it only creates the dataset, at the count it has.
  const syncCount = (dataset?.syncCount ?? continued ?? 0) + (body.patches.length === 0 ? 0 : 1)
  const { records, written } = applyPatches(service, dataset?.records ?? new Map(), body.patches, syncCount)
  const now = service.now()
  const target = ensureIdentity(service.state, scope.identityPoolId, scope.identityId, now)
  target.datasets.set(scope.datasetName, {
    name: scope.datasetName,
    creationDate: dataset?.creationDate ?? now,
    lastModifiedDate: now,
    lastModifiedBy: service.accountId,
    syncCount,
    records,
    mergedInto: dataset?.mergedInto,
  })
  // Re-created from scratch, the dataset keeps no memory of the old one: its counts start again at 1,
  // and a deletion marker would call every new count "deleted since".
  if (dataset === undefined && service.recreatedSyncCount === 'restart') target.deleted.delete(scope.datasetName)
  target.lastModifiedDate = now
  return { Records: written.map(recordToWire) }
}
