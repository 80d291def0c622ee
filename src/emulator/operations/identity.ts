/**
 * The two Cognito Identity operations a device sign-in needs (protocol: JSON 1.1, `POST /` with
 * `X-Amz-Target: AWSCognitoIdentityService.<Operation>`, unsigned), answering as the service does:
 *
 * - **GetId**: a pool the emulator was not given is `ResourceNotFoundException` `IdentityPool '<id>'
 *   not found.`; without `Logins` it issues a new unauthenticated identity `<region>:<uuid>` (the
 *   region is the pool id's prefix), refused with `NotAuthorizedException` `Unauthenticated access is
 *   not supported for this identity pool.` where the pool does not allow them; with `Logins` it
 *   returns the identity of that login, created on first use.
 * - **GetCredentialsForIdentity**: an unknown identity is `ResourceNotFoundException` `Identity '<id>'
 *   not found.`; an authenticated identity needs one of its logins (`NotAuthorizedException` `Logins
 *   don't match. …`); a new login given for an unauthenticated identity is linked to it, and a login
 *   that already has an identity merges the unauthenticated one into it (its Cognito Sync datasets
 *   become `name.<oldIdentityId>`, as `linkIdentity` does) and returns that identity's id. The
 *   credentials (`ASIA…` key, secret, session token) expire after an hour (`Expiration` in epoch
 *   seconds) and, when signatures are checked, sign Cognito Sync calls for that identity only.
 *
 * Tokens are not verified (emulator decision): a JWT names its user by its `sub` claim, any other
 * token by its text.
 *
 * @since 0.2.0
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { linkIdentity } from '../identityLink.js'
import { identityBody, identityError, rules, violations } from '../identityInput.js'
import type { Handler, Service } from '../service.js'
import type { Login, StoredIdentityPool, StoredIdentityRecord } from '../state.js'
import { seconds } from '../wire.js'

/** How long issued credentials last, as the service's (1 hour). @since 0.2.0 */
export const credentialLifetimeMs = 60 * 60 * 1000

const subjectOf = (token: string): string => {
  const parts = token.split('.')
  if (parts.length !== 3) return token
  try {
    const claims = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString()) as { sub?: unknown }
    return typeof claims.sub === 'string' && claims.sub !== '' ? claims.sub : token
  } catch {
    return token
  }
}

const loginsOf = (given: ReadonlyMap<string, string>): Login[] =>
  [...given].map(([provider, token]) => ({ provider, subject: subjectOf(token) }))

const sameLogin = (a: Login, b: Login): boolean => a.provider === b.provider && a.subject === b.subject

/** The identities of `pool` that own one of `logins`. */
const owners = (pool: StoredIdentityPool, logins: readonly Login[]): string[] =>
  [...pool.identities].filter(([, i]) => i.logins.some((l) => logins.some((m) => sameLogin(l, m)))).map(([id]) => id)

const unauthenticatedRefused = () =>
  identityError('NotAuthorizedException', 'Unauthenticated access is not supported for this identity pool.')

const conflict = () => identityError('ResourceConflictException', 'The logins given belong to different identities.')

const newIdentityId = (identityPoolId: string): string => `${identityPoolId.split(':')[0] ?? ''}:${randomUUID()}`

/** Adds the logins the identity does not hold yet. */
const addLogins = (identity: StoredIdentityRecord, logins: readonly Login[]): void => {
  for (const l of logins) if (!identity.logins.some((m) => sameLogin(l, m))) identity.logins.push(l)
}

/** @since 0.2.0 */
export const getId: Handler = (service, call) => {
  const body = identityBody(call.body)
  const v = violations()
  v.string(body['AccountId'], 'accountId', rules.accountId, false)
  const identityPoolId = v.string(body['IdentityPoolId'], 'identityPoolId', rules.identityPoolId, true)
  const given = v.logins(body['Logins'])
  v.done()
  const pool = service.state.identityPools.get(identityPoolId ?? '')
  if (identityPoolId === undefined || pool === undefined) {
    throw identityError('ResourceNotFoundException', `IdentityPool '${identityPoolId}' not found.`)
  }
  const logins = loginsOf(given)
  if (logins.length === 0 && !pool.allowUnauthenticatedIdentities) throw unauthenticatedRefused()
  const found = owners(pool, logins)
  if (found.length > 1) throw conflict()
  const identityId = found[0] ?? newIdentityId(identityPoolId)
  const identity = pool.identities.get(identityId) ?? { logins: [] }
  addLogins(identity, logins)
  pool.identities.set(identityId, identity)
  return { IdentityId: identityId }
}

const issue = (service: Service, identityPoolId: string, identityId: string) => {
  const credential = {
    accessKeyId: `ASIA${randomBytes(10).toString('hex').toUpperCase().slice(0, 16)}`,
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: randomBytes(96).toString('base64'),
    identityPoolId,
    identityIds: [identityId],
    expiresAt: service.now() + credentialLifetimeMs,
  }
  for (const [key, c] of service.issued) if (c.expiresAt < service.now()) service.issued.delete(key)
  service.issued.set(credential.accessKeyId, credential)
  return {
    IdentityId: identityId,
    Credentials: {
      AccessKeyId: credential.accessKeyId,
      SecretKey: credential.secretAccessKey,
      SessionToken: credential.sessionToken,
      Expiration: seconds(credential.expiresAt),
    },
  }
}

/** The identity the logins sign in to: this one, or the one they already belong to after a merge. */
const signIn = (service: Service, identityPoolId: string, pool: StoredIdentityPool, identityId: string, logins: readonly Login[]): string => {
  const identity = pool.identities.get(identityId) ?? { logins: [] }
  const mine = logins.filter((l) => identity.logins.some((m) => sameLogin(l, m)))
  if (identity.logins.length > 0 && mine.length === 0) {
    throw identityError('NotAuthorizedException', "Logins don't match. Please include at least one valid login for this identity or identity pool.")
  }
  if (logins.length === 0) {
    if (!pool.allowUnauthenticatedIdentities) throw unauthenticatedRefused()
    return identityId
  }
  const others = owners(pool, logins).filter((id) => id !== identityId)
  if (others.length > 1 || (others.length === 1 && identity.logins.length > 0)) throw conflict()
  const target = others[0]
  if (target === undefined) {
    addLogins(identity, logins)
    return identityId
  }
  try {
    linkIdentity(service.state, { identityPoolId, fromIdentityId: identityId, toIdentityId: target }, service.now())
  } catch (e) {
    throw identityError('ResourceConflictException', (e as Error).message)
  }
  pool.identities.delete(identityId)
  addLogins(pool.identities.get(target) ?? { logins: [] }, logins)
  return target
}

/** @since 0.2.0 */
export const getCredentialsForIdentity: Handler = (service, call) => {
  const body = identityBody(call.body)
  const v = violations()
  const identityId = v.string(body['IdentityId'], 'identityId', rules.identityId, true)
  const given = v.logins(body['Logins'])
  v.string(body['CustomRoleArn'], 'customRoleArn', rules.customRoleArn, false)
  v.done()
  const found = [...service.state.identityPools].find(([, p]) => p.identities.has(identityId ?? ''))
  if (identityId === undefined || found === undefined) {
    throw identityError('ResourceNotFoundException', `Identity '${identityId}' not found.`)
  }
  const [identityPoolId, pool] = found
  return issue(service, identityPoolId, signIn(service, identityPoolId, pool, identityId, loginsOf(given)))
}
