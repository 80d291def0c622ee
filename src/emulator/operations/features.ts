/**
 * Push sync, Cognito Streams, Cognito Events and bulk publish. The emulator delivers no push
 * notification, stream record or Lambda event; it keeps each pool's settings in memory (not in the
 * data file) and answers as the service does for them (emulator decisions, documented in
 * docs/emulator.md):
 * - a pool starts unconfigured: GetIdentityPoolConfiguration returns only the pool id, GetCognitoEvents
 *   an empty map, GetBulkPublishDetails `NOT_STARTED`;
 * - RegisterDevice, SubscribeToDataset and UnsubscribeFromDataset answer `InvalidConfigurationException`
 *   until push sync is configured, then succeed without effect;
 * - BulkPublish answers `InvalidParameterException` unless streaming is `ENABLED`, then completes at
 *   once; a second one within 24 hours is `DuplicateRequestException`.
 *
 * @since 0.1.0
 */
import { randomUUID } from 'node:crypto'
import { invalidParameter, serviceError } from '../errors.js'
import { datasetOf, deviceOf, identityOf, poolOf, type Handler, type PoolFeatures, type Service } from '../service.js'
import { jsonObject } from '../validate.js'
import { seconds } from '../wire.js'

const features = (service: Service, pool: string): PoolFeatures =>
  service.features.get(pool) ?? { pushSync: undefined, cognitoStreams: undefined, events: new Map(), bulkPublish: undefined }

const optionalObject = (body: Record<string, unknown>, field: string): unknown => {
  const v = Object.hasOwn(body, field) ? body[field] : undefined
  if (v !== undefined && (typeof v !== 'object' || v === null || Array.isArray(v))) {
    throw invalidParameter(`${field} must be an object`)
  }
  return v
}

const configuration = (pool: string, f: PoolFeatures): Record<string, unknown> => ({
  IdentityPoolId: pool,
  ...(f.pushSync === undefined ? {} : { PushSync: f.pushSync }),
  ...(f.cognitoStreams === undefined ? {} : { CognitoStreams: f.cognitoStreams }),
})

const requirePushSync = (service: Service, pool: string): void => {
  if (features(service, pool).pushSync === undefined) {
    throw serviceError('InvalidConfigurationException', 'Push sync is not configured for this identity pool')
  }
}

/** @since 0.1.0 */
export const getIdentityPoolConfiguration: Handler = (service, call) => {
  const pool = poolOf(call)
  return configuration(pool, features(service, pool))
}

/** Stores `PushSync` and `CognitoStreams` as given (each must be an object when present). @since 0.1.0 */
export const setIdentityPoolConfiguration: Handler = (service, call) => {
  const pool = poolOf(call)
  const body = jsonObject(call.body)
  const pushSync = optionalObject(body, 'PushSync')
  const cognitoStreams = optionalObject(body, 'CognitoStreams')
  const next = { ...features(service, pool), pushSync, cognitoStreams }
  service.features.set(pool, next)
  return configuration(pool, next)
}

/** @since 0.1.0 */
export const getCognitoEvents: Handler = (service, call) => ({
  Events: Object.fromEntries(features(service, poolOf(call)).events),
})

/** `Events` maps an event type to a Lambda ARN, at most one entry (model `Events`). @since 0.1.0 */
export const setCognitoEvents: Handler = (service, call) => {
  const pool = poolOf(call)
  const events = optionalObject(jsonObject(call.body), 'Events') ?? {}
  const entries = Object.entries(events)
  if (entries.length > 1 || entries.some(([, arn]) => typeof arn !== 'string')) {
    throw invalidParameter('Events must map at most one event type to a Lambda function ARN')
  }
  service.features.set(pool, { ...features(service, pool), events: new Map(entries as [string, string][]) })
  return {}
}

const platforms: ReadonlySet<unknown> = new Set(['APNS', 'APNS_SANDBOX', 'GCM', 'ADM'])

/** @since 0.1.0 */
export const registerDevice: Handler = (service, call) => {
  const pool = identityOf(call).identityPoolId
  const body = jsonObject(call.body)
  if (!platforms.has(body['Platform'])) throw invalidParameter('Platform must be APNS, APNS_SANDBOX, GCM or ADM')
  if (typeof body['Token'] !== 'string') throw invalidParameter('Token must be a string')
  requirePushSync(service, pool)
  return { DeviceId: randomUUID() }
}

/** SubscribeToDataset and UnsubscribeFromDataset. @since 0.1.0 */
export const subscription: Handler = (service, call) => {
  const { identityPoolId } = datasetOf(call)
  deviceOf(call)
  requirePushSync(service, identityPoolId)
  return {}
}

const dayMs = 24 * 60 * 60 * 1000

/** @since 0.1.0 */
export const bulkPublish: Handler = (service, call) => {
  const pool = poolOf(call)
  const f = features(service, pool)
  const streams = f.cognitoStreams as { StreamingStatus?: unknown } | undefined
  if (streams?.StreamingStatus !== 'ENABLED') {
    throw invalidParameter('Cognito Streams is not enabled for this identity pool')
  }
  const now = service.now()
  if (f.bulkPublish !== undefined && now - f.bulkPublish.start < dayMs) {
    throw serviceError('DuplicateRequestException', 'A bulk publish was already requested in the last 24 hours')
  }
  service.features.set(pool, { ...f, bulkPublish: { start: now, complete: now } })
  return { IdentityPoolId: pool }
}

/** @since 0.1.0 */
export const getBulkPublishDetails: Handler = (service, call) => {
  const pool = poolOf(call)
  const done = features(service, pool).bulkPublish
  return done === undefined
    ? { IdentityPoolId: pool, BulkPublishStatus: 'NOT_STARTED' }
    : {
        IdentityPoolId: pool,
        BulkPublishStatus: 'SUCCEEDED',
        BulkPublishStartTime: seconds(done.start),
        BulkPublishCompleteTime: seconds(done.complete),
      }
}
