/**
 * Optional SigV4 verification. The signature is recomputed with `@smithy/signature-v4` (an optional
 * peer dependency, loaded only when checking is on) over exactly the headers the client signed, and
 * compared in constant time. Every failure is `NotAuthorizedException` (403) with a message that
 * names no key, secret or signature (emulator decision: the service's front end would say
 * `InvalidSignatureException`, a name the Cognito Sync SDK has no class for). The request time is not
 * compared with the clock, so that tests may inject any clock.
 *
 * @since 0.1.0
 */
import { createHash, createHmac, timingSafeEqual, type Hash, type Hmac } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { notAuthorized } from './errors.js'
import type { RouteMatch } from './routes.js'

/**
 * A key pair the emulator accepts. With `identityIds` (and then `identityPoolId`), the key may only
 * reach those identities' data in that pool, as Cognito Identity credentials can, and no pool-level
 * operation.
 *
 * @since 0.1.0
 */
export type Credential =
  | { readonly accessKeyId: string; readonly secretAccessKey: string }
  | {
      readonly accessKeyId: string
      readonly secretAccessKey: string
      /** @since 0.2.0 */
      readonly identityPoolId: string
      readonly identityIds: readonly string[]
    }

/**
 * A credential the emulator issued (GetCredentialsForIdentity): bound to one identity, with a
 * session token that must come with it, until it expires.
 *
 * @since 0.2.0
 */
export interface IssuedCredential {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly identityPoolId: string
  readonly identityIds: readonly string[]
  readonly sessionToken: string
  /** Epoch milliseconds of the emulator clock. */
  readonly expiresAt: number
}

type Known = Credential | IssuedCredential

/** Throws `NotAuthorizedException` unless the request is correctly signed and allowed. @since 0.1.0 */
export type Verifier = (req: IncomingMessage, body: Buffer, match: RouteMatch) => Promise<void>

type Source = string | ArrayBuffer | ArrayBufferView

const bytes = (data: Source): Buffer =>
  typeof data === 'string'
    ? Buffer.from(data)
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data)

/** The `Checksum` constructor the signer expects, over `node:crypto`. */
class Sha256 {
  private hash: Hash | Hmac
  constructor(private readonly secret?: Source) {
    this.hash = this.fresh()
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(this.secret))
  }
  update(data: Uint8Array): void {
    this.hash.update(data)
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()))
  }
  reset(): void {
    this.hash = this.fresh()
  }
}

const authorizationPattern =
  /^AWS4-HMAC-SHA256 Credential=([^/\s]+)\/(\d{8})\/([a-z0-9-]+)\/cognito-sync\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/
const datePattern = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/

const denied = () => notAuthorized('The request signature does not match any configured credentials')

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name]
  return Array.isArray(v) ? v.join(',') : v
}

const parseDate = (text: string | undefined): Date => {
  const m = datePattern.exec(text ?? '')
  if (m === null) throw denied()
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number]
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s))
}

/** The request as the client signed it: its encoded path, decoded query and the signed headers only. */
const signable = (req: IncomingMessage, body: Buffer, match: RouteMatch, names: readonly string[]) => {
  const headers = new Map<string, string>()
  for (const name of names) {
    const value = header(req, name)
    if (value === undefined) throw denied()
    headers.set(name, value)
  }
  const url = req.url ?? '/'
  const q = url.indexOf('?')
  const query = new Map<string, string[]>()
  for (const [k, v] of match.query) query.set(k, [...(query.get(k) ?? []), v])
  return {
    method: req.method ?? 'GET',
    protocol: 'http:',
    hostname: headers.get('host') ?? '',
    path: q < 0 ? url : url.slice(0, q),
    query: Object.fromEntries([...query].map(([k, vs]) => [k, vs.length === 1 ? (vs[0] ?? '') : vs])),
    headers: Object.fromEntries(headers),
    body,
  }
}

const allowed = (credential: Known, match: RouteMatch): boolean => {
  if (!('identityIds' in credential)) return true
  const identity = match.labels.identityId
  return (
    match.labels.identityPoolId === credential.identityPoolId && identity !== undefined && credential.identityIds.includes(identity)
  )
}

/** Rejects, at start, a bound key that does not say its pool. @since 0.2.0 */
export const checkCredential = (c: Credential): Credential => {
  if ('identityIds' in c && typeof (c as { identityPoolId?: unknown }).identityPoolId !== 'string') {
    throw new Error(`The credential ${c.accessKeyId} is bound to identities, so it needs their identityPoolId too`)
  }
  return c
}

const sessionProblem = (credential: Known, req: IncomingMessage, now: number): Error | undefined => {
  if (!('sessionToken' in credential)) return undefined
  const given = Buffer.from(header(req, 'x-amz-security-token') ?? '')
  const expected = Buffer.from(credential.sessionToken)
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return denied()
  return now > credential.expiresAt ? notAuthorized('The security token included in the request is expired') : undefined
}

/**
 * Loads the signer and returns a verifier for `credentials` and the credentials `issued` holds at the
 * time of each request.
 *
 * @since 0.1.0
 */
export const signatureVerifier = async (
  credentials: readonly Credential[],
  issued: ReadonlyMap<string, IssuedCredential> = new Map(),
  now: () => number = Date.now,
): Promise<Verifier> => {
  const { SignatureV4 } = await import('@smithy/signature-v4').catch((cause: unknown) => {
    throw new Error('Signature checking needs the optional peer dependency @smithy/signature-v4', { cause })
  })
  const byKey = new Map(credentials.map((c) => [c.accessKeyId, checkCredential(c)]))
  return async (req, body, match) => {
    const auth = authorizationPattern.exec(header(req, 'authorization') ?? '')
    if (auth === null) throw denied()
    const [, accessKeyId = '', scopeDate, region = '', signedHeaders = '', signature = ''] = auth
    const credential: Known | undefined = byKey.get(accessKeyId) ?? issued.get(accessKeyId)
    const date = header(req, 'x-amz-date')
    if (credential === undefined || date?.slice(0, 8) !== scopeDate) throw denied()
    const payloadHash = header(req, 'x-amz-content-sha256')
    if (payloadHash !== undefined && payloadHash !== createHash('sha256').update(body).digest('hex')) throw denied()
    const names = signedHeaders.split(';')
    const signer = new SignatureV4({
      credentials: { accessKeyId, secretAccessKey: credential.secretAccessKey },
      region,
      service: 'cognito-sync',
      sha256: Sha256,
      applyChecksum: false,
    })
    // Input the signer cannot handle is a bad signature, not a server error.
    const signed = await signer.sign(
      signable(req, body, match, names),
      { signingDate: parseDate(date), signableHeaders: new Set(names) },
    ).catch(() => {
      throw denied()
    })
    const expected = Buffer.from(/Signature=([0-9a-f]{64})/.exec(String(signed.headers['authorization']))?.[1] ?? '')
    const given = Buffer.from(signature)
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw denied()
    const problem = sessionProblem(credential, req, now())
    if (problem !== undefined) throw problem
    if (!allowed(credential, match)) throw notAuthorized('These credentials may not access this resource')
  }
}
