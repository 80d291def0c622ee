/**
 * What every operation handler works on: the stored state, the limits, the session tokens and the
 * clock, plus the decoded call. Handlers are plain functions from (service, call) to the response
 * body; they validate first and mutate last, so a thrown error leaves the state as it was.
 *
 * @since 0.1.0
 */
import type { Limits } from './limits.js'
import type { Labels, OperationName } from './routes.js'
import type { SessionScope, SessionTokens } from './sessionTokens.js'
import type { IssuedCredential } from './sigv4.js'
import type { State } from './state.js'
import { datasetName, deviceId, identityId, queryInteger, queryString } from './validate.js'

/** Push-sync, stream and event settings of a pool; kept in memory only. @since 0.1.0 */
export interface PoolFeatures {
  pushSync: unknown
  cognitoStreams: unknown
  events: ReadonlyMap<string, string>
  bulkPublish: { readonly start: number; readonly complete: number } | undefined
}

/** @since 0.1.0 */
export interface Service {
  readonly state: State
  readonly limits: Limits
  readonly tokens: SessionTokens
  readonly now: () => number
  /** Reported as `LastModifiedBy`, as the service does for developer credentials. */
  readonly accountId: string
  /** Sync sessions (tokens issued) per pool, for `SyncSessionsCount`. */
  readonly sessions: Map<string, number>
  readonly features: Map<string, PoolFeatures>
  /** Where a dataset re-created after a delete starts counting (see `EmulatorOptions`). @since 0.2.0 */
  readonly recreatedSyncCount: 'continue' | 'restart'
  /** Credentials GetCredentialsForIdentity issued, by access key id; kept in memory only. @since 0.2.0 */
  readonly issued: Map<string, IssuedCredential>
}

/** @since 0.1.0 */
export interface Call {
  readonly labels: Labels
  readonly query: URLSearchParams
  readonly body: Buffer
}

/** An operation: returns the JSON response body, or throws a `ServiceError`. @since 0.1.0 */
export type Handler = (service: Service, call: Call) => unknown

/** The operations whose success changes the persisted state. @since 0.1.0 */
export const mutating: ReadonlySet<OperationName> = new Set([
  'UpdateRecords',
  'DeleteDataset',
  'GetId',
  'GetCredentialsForIdentity',
])

/** The validated pool label. @since 0.1.0 */
export const poolOf = (call: Call): string => identityId('IdentityPoolId', call.labels.identityPoolId ?? '')

/** The validated pool and identity labels. @since 0.1.0 */
export const identityOf = (call: Call): { readonly identityPoolId: string; readonly identityId: string } => ({
  identityPoolId: poolOf(call),
  identityId: identityId('IdentityId', call.labels.identityId ?? ''),
})

/** The validated pool, identity and dataset labels. @since 0.1.0 */
export const datasetOf = (call: Call): SessionScope => ({
  ...identityOf(call),
  datasetName: datasetName(call.labels.datasetName ?? ''),
})

/** The validated device label. @since 0.1.0 */
export const deviceOf = (call: Call): string => deviceId(call.labels.deviceId ?? '')

/**
 * The `maxResults` and `nextToken` query parameters of a listing; the page size defaults to, and is
 * capped at, the page size limit (the service's default and maximum are undocumented).
 *
 * @since 0.1.0
 */
export const pageQuery = (service: Service, call: Call): { readonly size: number; readonly nextToken: string | undefined } => ({
  size: Math.min(queryInteger(call.query, 'maxResults', 1) ?? service.limits.maxPageSize, service.limits.maxPageSize),
  nextToken: queryString(call.query, 'nextToken'),
})
