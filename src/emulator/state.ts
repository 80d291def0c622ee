/**
 * The stored state of the service: pools hold identities, identities hold datasets, datasets hold
 * records. Everything keyed by caller input is a `Map`, so keys such as `__proto__` are plain data.
 *
 * Handlers validate a whole call before they touch this state, so a rejected call changes nothing.
 * `Snapshot` is the same state as plain, sorted JSON data: what tests read and what the data file holds.
 *
 * @since 0.1.0
 */
import { byCodeUnits } from './cursor.js'

/**
 * A record, as stored and as snapshots show it: `value` is `null` for a tombstone, and dates are
 * milliseconds of the emulator clock except `deviceLastModifiedDate`, echoed in epoch seconds as
 * sent (`null` when not sent). Records are replaced on write, never changed in place.
 *
 * @since 0.1.0
 */
export interface StoredRecord {
  readonly key: string
  readonly value: string | null
  readonly syncCount: number
  readonly lastModifiedDate: number
  readonly lastModifiedBy: string
  readonly deviceLastModifiedDate: number | null
}

/** A live dataset. `mergedInto` is set on a dataset an identity link created (`name.<oldIdentityId>`). @since 0.1.0 */
export interface StoredDataset {
  readonly name: string
  readonly creationDate: number
  readonly lastModifiedDate: number
  readonly lastModifiedBy: string
  readonly syncCount: number
  readonly records: Map<string, StoredRecord>
  readonly mergedInto: string | undefined
}

/** @since 0.1.0 */
export interface StoredIdentity {
  readonly datasets: Map<string, StoredDataset>
  /** Deletion markers: the dataset's sync count when it was last deleted. */
  readonly deleted: Map<string, number>
  lastModifiedDate: number
}

/** @since 0.1.0 */
export interface StoredPool {
  readonly identities: Map<string, StoredIdentity>
}

/** A login of an identity: the provider name and the user it names there. @since 0.2.0 */
export interface Login {
  readonly provider: string
  readonly subject: string
}

/** A Cognito Identity identity: unauthenticated while it has no login. @since 0.2.0 */
export interface StoredIdentityRecord {
  readonly logins: Login[]
}

/** A Cognito Identity pool: its setting and the identities GetId issued in it. @since 0.2.0 */
export interface StoredIdentityPool {
  allowUnauthenticatedIdentities: boolean
  readonly identities: Map<string, StoredIdentityRecord>
}

/** @since 0.1.0 */
export interface State {
  /** Cognito Sync data, by identity pool. */
  readonly pools: Map<string, StoredPool>
  /** Cognito Identity pools and identities. @since 0.2.0 */
  readonly identityPools: Map<string, StoredIdentityPool>
}

/** @since 0.1.0 */
export const emptyState = (): State => ({ pools: new Map(), identityPools: new Map() })

/** Live records only: tombstones count toward neither `NumRecords` nor `DataStorage` (emulator decision). @since 0.1.0 */
export const liveRecords = (records: Iterable<StoredRecord>): StoredRecord[] => [...records].filter((r) => r.value !== null)

/**
 * UTF-8 bytes of key plus value of every live record, as the official clients size a dataset.
 *
 * @since 0.1.0
 */
export const dataStorage = (records: Iterable<StoredRecord>): number => {
  let bytes = 0
  for (const r of records) if (r.value !== null) bytes += Buffer.byteLength(r.key) + Buffer.byteLength(r.value)
  return bytes
}

/** The identity, if any dataset was ever written for it. @since 0.1.0 */
export const findIdentity = (state: State, pool: string, identity: string): StoredIdentity | undefined =>
  state.pools.get(pool)?.identities.get(identity)

/** The identity, created (with its pool) on first use. Only for the commit phase of a call. @since 0.1.0 */
export const ensureIdentity = (state: State, pool: string, identity: string, now: number): StoredIdentity => {
  const p = state.pools.get(pool) ?? { identities: new Map<string, StoredIdentity>() }
  state.pools.set(pool, p)
  const i = p.identities.get(identity) ?? { datasets: new Map(), deleted: new Map(), lastModifiedDate: now }
  p.identities.set(identity, i)
  return i
}

/** @since 0.1.0 */
export type SnapshotRecord = StoredRecord

/** @since 0.1.0 */
export interface SnapshotDataset {
  readonly datasetName: string
  readonly syncCount: number
  readonly creationDate: number
  readonly lastModifiedDate: number
  readonly lastModifiedBy: string
  /** The dataset this one was merged into by an identity link, else `null`. */
  readonly mergedInto: string | null
  readonly records: readonly SnapshotRecord[]
}

/** @since 0.1.0 */
export interface SnapshotIdentity {
  readonly identityId: string
  readonly lastModifiedDate: number
  readonly datasets: readonly SnapshotDataset[]
  readonly deletedDatasets: readonly { readonly datasetName: string; readonly syncCount: number }[]
}

/** @since 0.1.0 */
export interface SnapshotPool {
  readonly identityPoolId: string
  readonly identities: readonly SnapshotIdentity[]
}

/** @since 0.2.0 */
export interface SnapshotIdentityPool {
  readonly identityPoolId: string
  readonly allowUnauthenticatedIdentities: boolean
  /** Sorted by id; each identity's logins in the order they were added. */
  readonly identities: readonly { readonly identityId: string; readonly logins: readonly Login[] }[]
}

/**
 * The whole state as plain data, every list sorted, so that two snapshots compare with deep equality.
 * Dates are milliseconds of the emulator clock.
 *
 * @since 0.1.0
 */
export interface Snapshot {
  readonly pools: readonly SnapshotPool[]
  /** Cognito Identity pools and the identities issued in them (absent in data files written before 0.2.0). @since 0.2.0 */
  readonly identityPools: readonly SnapshotIdentityPool[]
}

const sortedEntries = <A>(m: ReadonlyMap<string, A>): [string, A][] =>
  [...m.entries()].sort(([a], [b]) => byCodeUnits(a, b))

const datasetToSnapshot = ({ name, records, mergedInto, ...rest }: StoredDataset): SnapshotDataset => ({
  datasetName: name,
  ...rest,
  mergedInto: mergedInto ?? null,
  records: sortedEntries(records).map(([, r]) => ({ ...r })),
})

/** @since 0.1.0 */
export const toSnapshot = (state: State): Snapshot => ({
  identityPools: sortedEntries(state.identityPools).map(([identityPoolId, p]) => ({
    identityPoolId,
    allowUnauthenticatedIdentities: p.allowUnauthenticatedIdentities,
    identities: sortedEntries(p.identities).map(([identityId, i]) => ({ identityId, logins: i.logins.map((l) => ({ ...l })) })),
  })),
  pools: sortedEntries(state.pools).map(([identityPoolId, p]) => ({
    identityPoolId,
    identities: sortedEntries(p.identities).map(([identityId, i]) => ({
      identityId,
      lastModifiedDate: i.lastModifiedDate,
      datasets: sortedEntries(i.datasets).map(([, d]) => datasetToSnapshot(d)),
      deletedDatasets: sortedEntries(i.deleted).map(([datasetName, syncCount]) => ({ datasetName, syncCount })),
    })),
  })),
})

const datasetFromSnapshot = ({ datasetName, records, mergedInto, ...rest }: SnapshotDataset): StoredDataset => ({
  name: datasetName,
  ...rest,
  mergedInto: mergedInto ?? undefined,
  records: new Map(records.map((r) => [r.key, { ...r }])),
})

const identityFromSnapshot = (i: SnapshotIdentity): StoredIdentity => ({
  lastModifiedDate: i.lastModifiedDate,
  deleted: new Map(i.deletedDatasets.map((m) => [m.datasetName, m.syncCount])),
  datasets: new Map(i.datasets.map((d) => [d.datasetName, datasetFromSnapshot(d)])),
})

/** The inverse of `toSnapshot`. @since 0.1.0 */
export const fromSnapshot = (snapshot: Snapshot): State => ({
  identityPools: new Map(
    (snapshot.identityPools ?? []).map((p) => [
      p.identityPoolId,
      {
        allowUnauthenticatedIdentities: p.allowUnauthenticatedIdentities,
        identities: new Map(p.identities.map((i) => [i.identityId, { logins: i.logins.map((l) => ({ ...l })) }])),
      },
    ]),
  ),
  pools: new Map(
    snapshot.pools.map((p) => [
      p.identityPoolId,
      { identities: new Map(p.identities.map((i) => [i.identityId, identityFromSnapshot(i)])) },
    ]),
  ),
})
