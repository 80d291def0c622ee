/**
 * DescribeIdentityUsage, DescribeIdentityPoolUsage and ListIdentityPoolUsage. The emulator knows a
 * pool once a dataset was written in it, and an identity once a dataset was written for it or
 * Cognito Identity's GetId issued it (then its usage is zeros); an unknown one is
 * `ResourceNotFoundException` for the Describe operations (emulator decision).
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
    // A loop, not Math.max(...): a spread of 200,000 identities overflows the stack.
    LastModifiedDate: seconds(identities.reduce((latest, i) => Math.max(latest, i.lastModifiedDate), 0)),
  }
}

/** @since 0.1.0 */
export const describeIdentityUsage: Handler = (service, call) => {
  const scope = identityOf(call)
  const identity = findIdentity(service.state, scope.identityPoolId, scope.identityId)
  if (identity === undefined) {
    const issued = service.state.identityPools.get(scope.identityPoolId)?.identities.has(scope.identityId) === true
    if (!issued) throw notFound(`Identity ${scope.identityId} does not exist`)
    // Known to Cognito Identity but no data yet: the usage of nothing.
    return { IdentityUsage: { IdentityId: scope.identityId, IdentityPoolId: scope.identityPoolId, DatasetCount: 0, DataStorage: 0 } }
  }
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
