/**
 * DescribeIdentityUsage, DescribeIdentityPoolUsage and ListIdentityPoolUsage. The emulator knows a
 * pool or an identity once a dataset was written for it; an unknown one is
 * `ResourceNotFoundException` for the Describe operations (emulator decision: the service would
 * consult Cognito Identity, which the emulator does not model).
 *
 * @since 0.1.0
 */
import { byCodeUnits, paginate } from '../cursor.js'
import { notFound } from '../errors.js'
import { identityOf, pageQuery, poolOf, type Handler, type Service } from '../service.js'
import { dataStorage, findIdentity, type StoredIdentity, type StoredPool } from '../state.js'
import { seconds } from '../wire.js'

const identityStorage = (i: StoredIdentity): number =>
  [...i.datasets.values()].reduce((sum, d) => sum + dataStorage(d.records.values()), 0)

const poolUsage = (service: Service, identityPoolId: string, pool: StoredPool): Record<string, unknown> => {
  const identities = [...pool.identities.values()]
  return {
    IdentityPoolId: identityPoolId,
    SyncSessionsCount: service.sessions.get(identityPoolId) ?? 0,
    DataStorage: identities.reduce((sum, i) => sum + identityStorage(i), 0),
    LastModifiedDate: seconds(Math.max(...identities.map((i) => i.lastModifiedDate))),
  }
}

/** @since 0.1.0 */
export const describeIdentityUsage: Handler = (service, call) => {
  const scope = identityOf(call)
  const identity = findIdentity(service.state, scope.identityPoolId, scope.identityId)
  if (identity === undefined) throw notFound(`Identity ${scope.identityId} does not exist`)
  return {
    IdentityUsage: {
      IdentityId: scope.identityId,
      IdentityPoolId: scope.identityPoolId,
      LastModifiedDate: seconds(identity.lastModifiedDate),
      DatasetCount: identity.datasets.size,
      DataStorage: identityStorage(identity),
    },
  }
}

/** @since 0.1.0 */
export const describeIdentityPoolUsage: Handler = (service, call) => {
  const identityPoolId = poolOf(call)
  const pool = service.state.pools.get(identityPoolId)
  if (pool === undefined) throw notFound(`Identity pool ${identityPoolId} does not exist`)
  return { IdentityPoolUsage: poolUsage(service, identityPoolId, pool) }
}

/** @since 0.1.0 */
export const listIdentityPoolUsage: Handler = (service, call) => {
  const { size, nextToken } = pageQuery(service, call)
  const pools = [...service.state.pools.entries()].sort(([a], [b]) => byCodeUnits(a, b))
  const page = paginate(pools, ([id]) => id, nextToken, size)
  return {
    IdentityPoolUsages: page.items.map(([id, pool]) => poolUsage(service, id, pool)),
    MaxResults: size,
    Count: page.items.length,
    ...(page.nextToken === undefined ? {} : { NextToken: page.nextToken }),
  }
}
