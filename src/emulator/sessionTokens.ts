/**
 * SyncSessionTokens. The model says only "a token containing a session ID, identity ID, and
 * expiration"; how long it lives is undocumented (protocol notes, 2.3). Emulator decision: a token is
 * the base64url JSON of (pool, identity, dataset, expiry, session id) followed by an HMAC under a key
 * drawn at start, so it is opaque, unforgeable, needs no server-side table, and does not survive a
 * restart.
 *
 * @since 0.1.0
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'
import { invalidParameter } from './errors.js'

/** What a token is bound to. @since 0.1.0 */
export interface SessionScope {
  readonly identityPoolId: string
  readonly identityId: string
  readonly datasetName: string
}

/** @since 0.1.0 */
export interface SessionTokens {
  /** A new token for `scope`, valid until `now + ttlMs`. */
  readonly issue: (scope: SessionScope, now: number) => string
  /** Throws the service's `InvalidParameterException` unless `token` was issued for `scope` and is unexpired. */
  readonly check: (token: string | undefined, scope: SessionScope, now: number) => void
}

const invalid = () => invalidParameter('SyncSessionToken not valid for these inputs')

/**
 * @example
 * import { sessionTokens } from './sessionTokens.js'
 * const tokens = sessionTokens(60_000)
 * const scope = { identityPoolId: 'us-east-1:1', identityId: 'us-east-1:2', datasetName: 'd' }
 * const token = tokens.issue(scope, 0)
 * assert.doesNotThrow(() => tokens.check(token, scope, 59_999))
 * assert.throws(() => tokens.check(token, scope, 60_001), { type: 'InvalidParameterException' })
 * assert.throws(() => tokens.check(token, { ...scope, datasetName: 'e' }, 1), { type: 'InvalidParameterException' })
 *
 * @since 0.1.0
 */
export const sessionTokens = (ttlMs: number): SessionTokens => {
  const key = randomBytes(32)
  const mac = (payload: string) => createHmac('sha256', key).update(payload).digest()
  return {
    issue: (scope, now) => {
      const payload = Buffer.from(
        JSON.stringify([scope.identityPoolId, scope.identityId, scope.datasetName, now + ttlMs, randomUUID()]),
      ).toString('base64url')
      return `${payload}.${mac(payload).toString('base64url')}`
    },
    check: (token, scope, now) => {
      const [payload, signature, ...rest] = (token ?? '').split('.')
      if (payload === undefined || signature === undefined || rest.length > 0) throw invalid()
      // The text is compared, not its decoding: base64url decoding ignores the unused low bits of the
      // last character, so several strings decode to one MAC and would all be the same token.
      const given = Buffer.from(signature)
      const expected = Buffer.from(mac(payload).toString('base64url'))
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid()
      const [pool, identity, dataset, expiresAt] = JSON.parse(Buffer.from(payload, 'base64url').toString()) as [
        string,
        string,
        string,
        number,
      ]
      const matches =
        pool === scope.identityPoolId && identity === scope.identityId && dataset === scope.datasetName
      if (!matches || now > expiresAt) throw invalid()
    },
  }
}
