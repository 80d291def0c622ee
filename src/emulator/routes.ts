/**
 * The REST routes of the Cognito Sync API (protocol notes, 1.2), and the matching of a request line
 * to an operation. Each path segment is decoded on its own with `decodeURIComponent`, since the SDK
 * sends `:` in labels as `%3A`. Nothing falls through to a bare 404: an unknown path answers
 * `UnknownOperationException` (404) and a known path with the wrong method `MethodNotAllowedException`
 * (405), both typed JSON errors (emulator decision; the SDK never sends either).
 *
 * @since 0.1.0
 */
import { invalidParameter, serviceError } from './errors.js'

/** Every operation of the service. @since 0.1.0 */
export type OperationName =
  | 'ListRecords'
  | 'UpdateRecords'
  | 'DescribeDataset'
  | 'DeleteDataset'
  | 'ListDatasets'
  | 'DescribeIdentityUsage'
  | 'DescribeIdentityPoolUsage'
  | 'ListIdentityPoolUsage'
  | 'RegisterDevice'
  | 'SubscribeToDataset'
  | 'UnsubscribeFromDataset'
  | 'GetIdentityPoolConfiguration'
  | 'SetIdentityPoolConfiguration'
  | 'GetCognitoEvents'
  | 'SetCognitoEvents'
  | 'BulkPublish'
  | 'GetBulkPublishDetails'
  | 'GetId'
  | 'GetCredentialsForIdentity'

/** The decoded path labels of a request; which are present depends on the route. @since 0.1.0 */
export interface Labels {
  readonly identityPoolId?: string
  readonly identityId?: string
  readonly datasetName?: string
  readonly deviceId?: string
}

/**
 * The wire protocol of an operation: Cognito Sync's REST JSON, or Cognito Identity's JSON 1.1 (errors
 * are 400s, bodies `application/x-amz-json-1.1`).
 *
 * @since 0.2.0
 */
export type Protocol = 'restJson1' | 'awsJson1_1'

/** @since 0.1.0 */
export interface RouteMatch {
  readonly operation: OperationName
  readonly labels: Labels
  readonly query: URLSearchParams
  /** @since 0.2.0 */
  readonly protocol: Protocol
}

/** The Cognito Identity operations, by `X-Amz-Target`. */
const targets: ReadonlyMap<string, OperationName> = new Map([
  ['AWSCognitoIdentityService.GetId', 'GetId'],
  ['AWSCognitoIdentityService.GetCredentialsForIdentity', 'GetCredentialsForIdentity'],
])

type Segment = string | keyof Labels

interface Route {
  readonly method: 'GET' | 'POST' | 'DELETE'
  readonly operation: OperationName
  /** Literal segments, or `{label}` for a label. */
  readonly path: readonly Segment[]
}

const P = '{identityPoolId}'
const I = '{identityId}'
const D = '{datasetName}'
const dataset = ['identitypools', P, 'identities', I, 'datasets', D]
const subscription = [...dataset, 'subscriptions', '{deviceId}']

const route = (method: Route['method'], operation: OperationName, path: readonly string[]): Route => ({
  method,
  operation,
  path,
})

/** @since 0.1.0 */
export const routes: readonly Route[] = [
  route('GET', 'ListIdentityPoolUsage', ['identitypools']),
  route('GET', 'DescribeIdentityPoolUsage', ['identitypools', P]),
  route('GET', 'DescribeIdentityUsage', ['identitypools', P, 'identities', I]),
  route('GET', 'ListDatasets', ['identitypools', P, 'identities', I, 'datasets']),
  route('GET', 'DescribeDataset', dataset),
  route('POST', 'UpdateRecords', dataset),
  route('DELETE', 'DeleteDataset', dataset),
  route('GET', 'ListRecords', [...dataset, 'records']),
  route('POST', 'RegisterDevice', ['identitypools', P, 'identity', I, 'device']),
  route('POST', 'SubscribeToDataset', subscription),
  route('DELETE', 'UnsubscribeFromDataset', subscription),
  route('GET', 'GetIdentityPoolConfiguration', ['identitypools', P, 'configuration']),
  route('POST', 'SetIdentityPoolConfiguration', ['identitypools', P, 'configuration']),
  route('GET', 'GetCognitoEvents', ['identitypools', P, 'events']),
  route('POST', 'SetCognitoEvents', ['identitypools', P, 'events']),
  route('POST', 'BulkPublish', ['identitypools', P, 'bulkpublish']),
  route('POST', 'GetBulkPublishDetails', ['identitypools', P, 'getBulkPublishDetails']),
]

const labelName = (segment: string): keyof Labels | undefined =>
  segment.startsWith('{') ? (segment.slice(1, -1) as keyof Labels) : undefined

const bind = (r: Route, segments: readonly string[]): Labels | undefined => {
  if (r.path.length !== segments.length) return undefined
  const labels: { -readonly [K in keyof Labels]: string } = {}
  for (const [i, expected] of r.path.entries()) {
    const actual = segments[i] ?? ''
    const label = labelName(expected)
    if (label !== undefined) labels[label] = actual
    else if (actual !== expected) return undefined
  }
  return labels
}

const decodeSegment = (s: string): string => {
  try {
    return decodeURIComponent(s)
  } catch {
    throw invalidParameter('The request path is not correctly percent-encoded')
  }
}

/**
 * Finds the operation of a request line (and, for Cognito Identity's `POST /`, its `X-Amz-Target`
 * header), or throws the typed error for an unknown path, method or target.
 *
 * @example
 * import { matchRoute } from './routes.js'
 * const m = matchRoute('GET', '/identitypools/us-east-1%3A1/identities/us-east-1%3A2/datasets/d/records?lastSyncCount=3')
 * assert.strictEqual(m.operation, 'ListRecords')
 * assert.strictEqual(m.labels.identityId, 'us-east-1:2')
 * assert.strictEqual(m.query.get('lastSyncCount'), '3')
 *
 * @since 0.1.0
 */
export const matchRoute = (method: string, url: string, target?: string): RouteMatch => {
  const q = url.indexOf('?')
  const path = q < 0 ? url : url.slice(0, q)
  if (!path.startsWith('/')) throw invalidParameter('The request target must be an absolute path')
  const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1))
  if (path === '/' && method === 'POST' && target !== undefined) {
    const operation = targets.get(target)
    if (operation === undefined) throw serviceError('UnknownOperationException', `Unknown operation ${target}`, 400)
    return { operation, labels: {}, query, protocol: 'awsJson1_1' }
  }
  const segments = path.slice(1).split('/').map(decodeSegment)
  const candidates = routes.flatMap((r) => {
    const labels = bind(r, segments)
    return labels === undefined ? [] : [{ r, labels }]
  })
  const hit = candidates.find(({ r }) => r.method === method)
  if (hit !== undefined) return { operation: hit.r.operation, labels: hit.labels, query, protocol: 'restJson1' }
  if (candidates.length > 0) {
    const allowed = candidates.map(({ r }) => r.method).join(', ')
    throw serviceError('MethodNotAllowedException', `Method ${method} is not allowed here; use ${allowed}`)
  }
  throw serviceError('UnknownOperationException', 'No operation matches this method and path')
}

/**
 * Every operation name, for checking names that come from outside (a faults file, a flag).
 *
 * @example
 * import { isOperationName } from './routes.js'
 * assert.strictEqual(isOperationName('UpdateRecords'), true)
 * assert.strictEqual(isOperationName('updateRecords'), false)
 *
 * @since 0.2.0
 */
export const isOperationName = (name: string): name is OperationName =>
  routes.some((r) => r.operation === name) || [...targets.values()].includes(name as OperationName)
