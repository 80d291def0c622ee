/**
 * Who may talk to the emulator from a browser. Two checks, both before anything else runs:
 *
 * - **Host** (against DNS rebinding): a page on `evil.example` whose name is re-pointed at 127.0.0.1
 *   sends `Host: evil.example`, so only loopback names (`localhost`, `*.localhost`, `127.x.x.x`,
 *   `[::1]`), the configured `host`, the machine's own addresses when bound to all interfaces, and
 *   the names the caller allows are accepted.
 * - **Origin** (CORS): a page on a loopback origin (`http(s)://localhost:*`, `127.x.x.x:*`, `[::1]:*`)
 *   and the origins the caller allows get the CORS grant the service's front end gives; any other
 *   page's request, preflight or not, is refused before it runs, so a page cannot even cause a write
 *   it is not allowed to read. The opaque origin `null` (sandboxed frames, `file:` pages) is never a
 *   loopback origin, since any page can make one.
 *
 * @since 0.2.0
 */
import { networkInterfaces } from 'node:os'

/** The CORS answer for one allowed origin, and what a preflight grants. @since 0.2.0 */
export interface OriginPolicy {
  /** Whether a request with this `Host` header may be served. */
  readonly hostAllowed: (host: string | undefined) => boolean
  /** Whether a page on `origin` may call the emulator. */
  readonly originAllowed: (origin: string) => boolean
}

const loopbackName = (hostname: string): boolean =>
  hostname === 'localhost' ||
  hostname.endsWith('.localhost') ||
  hostname === '[::1]' ||
  /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)

/** The host name of a `Host` header or an origin, lower-cased, IPv6 in brackets; `undefined` when it is not one. */
const hostnameOf = (text: string, scheme: 'host' | 'origin'): string | undefined => {
  try {
    const url = new URL(scheme === 'origin' ? text : `http://${text}`)
    const exact = scheme === 'origin' ? url.origin === text : `${url.host}/` === `${url.host}${url.pathname}${url.search}${url.hash}`
    return exact && url.username === '' ? url.hostname : undefined
  } catch {
    return undefined
  }
}

const bracketed = (address: string): string => (address.includes(':') ? `[${address}]` : address)

const wildcard = (host: string): boolean => host === '0.0.0.0' || host === '::' || host === '[::]'

/** This machine's interface addresses, as they appear in a `Host` header. */
const ownAddresses = (): string[] =>
  Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => bracketed(i.address.split('%')[0] ?? '')))

/**
 * Normalises an origin a caller allows (`https://app.example:8443`), or throws saying what is wrong.
 * `*` allows every origin.
 *
 * @example
 * import { allowedOrigin } from './origins.js'
 * assert.strictEqual(allowedOrigin('http://Phone.local:8080/'), 'http://phone.local:8080')
 *
 * @since 0.2.0
 */
export const allowedOrigin = (origin: string): string => {
  if (origin === '*') return origin
  let url: URL
  try {
    url = new URL(origin)
  } catch {
    throw new Error(`${origin} is not an origin; write it as scheme://host[:port], e.g. http://192.168.1.20:5173`)
  }
  if (url.origin === 'null' || url.pathname.length > 1 || url.search !== '') {
    throw new Error(`${origin} is not an origin; write it as scheme://host[:port], e.g. http://192.168.1.20:5173`)
  }
  return url.origin
}

/**
 * The policy of an emulator bound to `host`, allowing the extra `origins` (normalised by
 * `allowedOrigin`) and extra `hosts` (names or addresses, without port).
 *
 * @example
 * import { originPolicy } from './origins.js'
 * const policy = originPolicy('127.0.0.1', [], [])
 * assert.strictEqual(policy.originAllowed('http://localhost:5173'), true)
 * assert.strictEqual(policy.originAllowed('https://evil.example'), false)
 * assert.strictEqual(policy.hostAllowed('evil.example:4599'), false)
 *
 * @since 0.2.0
 */
export const originPolicy = (host: string, origins: readonly string[], hosts: readonly string[]): OriginPolicy => {
  const extraOrigins = new Set(origins.map(allowedOrigin))
  const nameOf = (h: string): string => {
    const name = hostnameOf(bracketed(h.replace(/^\[|\]$/g, '')), 'host')
    if (name === undefined) throw new Error(`${h} is not a host name or address; give it without scheme or port`)
    return name
  }
  const names = new Set([...hosts, host, ...(wildcard(host) ? ownAddresses() : [])].map(nameOf))
  return {
    hostAllowed: (header) => {
      const name = header === undefined ? undefined : hostnameOf(header, 'host')
      return name !== undefined && (loopbackName(name) || names.has(name))
    },
    originAllowed: (origin) => {
      if (extraOrigins.has('*') || extraOrigins.has(origin)) return true
      if (!origin.startsWith('http://') && !origin.startsWith('https://')) return false
      const name = hostnameOf(origin, 'origin')
      return name !== undefined && loopbackName(name)
    },
  }
}

/** Request headers the SDK sends from a browser, as a preflight may ask for them. */
const allowedHeader = (name: string): boolean =>
  name === 'authorization' ||
  name === 'content-type' ||
  name.startsWith('x-amz-') ||
  name.startsWith('x-amzn-') ||
  name.startsWith('amz-sdk-')

/** The response headers a page may read: the SDK reads the request id and the error type. */
const exposed = 'x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date'

/**
 * The headers every answer to an allowed page carries.
 *
 * @since 0.2.0
 */
export const corsHeaders = (origin: string): Record<string, string> => ({
  'access-control-allow-origin': origin,
  'access-control-expose-headers': exposed,
  vary: 'Origin',
})

/**
 * The headers of a preflight answer: the methods of the routes, the requested headers the SDK may
 * send (others are left out, so the browser names them in its error), and Chrome's Private Network
 * Access grant when it is asked for.
 *
 * @example
 * import { preflightHeaders } from './origins.js'
 * const headers = preflightHeaders('http://localhost:5173', 'content-type, x-amz-date, x-custom', undefined)
 * assert.strictEqual(headers['access-control-allow-headers'], 'content-type, x-amz-date')
 *
 * @since 0.2.0
 */
export const preflightHeaders = (
  origin: string,
  requestedHeaders: string | undefined,
  privateNetwork: string | undefined,
): Record<string, string> => {
  const headers = (requestedHeaders ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(allowedHeader)
  return {
    ...corsHeaders(origin),
    'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
    'access-control-allow-headers': headers.join(', '),
    'access-control-max-age': '600',
    ...(privateNetwork === 'true' ? { 'access-control-allow-private-network': 'true' } : {}),
  }
}
