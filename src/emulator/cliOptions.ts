/**
 * The command line of `cognito-sync-local`, parsed with `node:util` `parseArgs` into emulator options.
 *
 * @since 0.1.0
 */
import { parseArgs } from 'node:util'
import { allowedOrigin } from './origins.js'
import type { EmulatorOptions, IdentityPoolConfig } from './server.js'
import type { Credential } from './sigv4.js'

/** The `--help` text. @since 0.1.0 */
export const usage = `Usage: cognito-sync-local [options]

  --host <address>            interface to listen on (default 127.0.0.1)
  --port <n>                  port, 0 for a free one (default 4599)
  --data-file <path>          keep the state in this JSON file across restarts
  --session-token-ttl <s>     SyncSessionToken lifetime in seconds (default 900)
  --check-signatures          verify SigV4 signatures against --credentials
  --credentials <spec>        AK:SECRET or AK:SECRET@poolId/identityId,identityId (repeatable);
                              with identity ids the key may only reach those identities
  --identity-pool <id>        serve Cognito Identity GetId for this pool (repeatable); add
                              ',authenticated-only' to refuse unauthenticated identities
  --cors-origin <origin>      let pages on this origin call the emulator, besides loopback
                              pages (repeatable; * allows any page: trusted networks only)
  --allow-host <name>         accept this Host header name besides loopback names (repeatable)
  --help                      show this text
`

const integer = (name: string, text: string | undefined, fallback: number): number => {
  if (text === undefined) return fallback
  if (!/^[0-9]+$/.test(text)) throw new Error(`--${name} must be a non-negative integer`)
  return Number(text)
}

const credentialShape = '--credentials must look like AK:SECRET or AK:SECRET@identityPoolId/identityId,…'

/**
 * Parses `AK:SECRET[@poolId/id,id…]`. Ids contain `:`, so the secret ends at the last `@`.
 *
 * @example
 * import { parseCredential } from './cliOptions.js'
 * parseCredential('AK:S3cret@us-east-1:1111/us-east-1:aaaa')
 * // { accessKeyId: 'AK', secretAccessKey: 'S3cret', identityPoolId: 'us-east-1:1111', identityIds: ['us-east-1:aaaa'] }
 *
 * @since 0.1.0
 */
export const parseCredential = (spec: string): Credential => {
  const colon = spec.indexOf(':')
  const at = spec.lastIndexOf('@')
  const accessKeyId = spec.slice(0, colon)
  const secretAccessKey = at < colon ? spec.slice(colon + 1) : spec.slice(colon + 1, at)
  if (colon < 1 || secretAccessKey === '') throw new Error(credentialShape)
  if (at < colon) return { accessKeyId, secretAccessKey }
  const [identityPoolId = '', ids = '', ...rest] = spec.slice(at + 1).split('/')
  if (identityPoolId === '' || ids === '' || rest.length > 0) throw new Error(credentialShape)
  return { accessKeyId, secretAccessKey, identityPoolId, identityIds: ids.split(',') }
}

/**
 * Parses `--identity-pool ID[,authenticated-only]`.
 *
 * @example
 * import { parseIdentityPool } from './cliOptions.js'
 * parseIdentityPool('us-east-1:1111,authenticated-only') // { identityPoolId: 'us-east-1:1111', allowUnauthenticatedIdentities: false }
 *
 * @since 0.2.0
 */
export const parseIdentityPool = (spec: string): IdentityPoolConfig => {
  const [identityPoolId = '', flag, ...rest] = spec.split(',')
  if ((flag !== undefined && flag !== 'authenticated-only') || rest.length > 0) {
    throw new Error('--identity-pool must look like us-east-1:<uuid> or us-east-1:<uuid>,authenticated-only')
  }
  return { identityPoolId, allowUnauthenticatedIdentities: flag === undefined }
}

/**
 * The emulator options of a command line, or `undefined` for `--help`. Throws on a bad flag.
 *
 * @example
 * import { cliOptions } from './cliOptions.js'
 * cliOptions(['--port', '0'])?.port // 0
 *
 * @since 0.1.0
 */
export const cliOptions = (argv: readonly string[]): EmulatorOptions | undefined => {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      'data-file': { type: 'string' },
      'session-token-ttl': { type: 'string' },
      'check-signatures': { type: 'boolean' },
      credentials: { type: 'string', multiple: true },
      'cors-origin': { type: 'string', multiple: true },
      'allow-host': { type: 'string', multiple: true },
      'identity-pool': { type: 'string', multiple: true },
      help: { type: 'boolean' },
    },
  })
  if (values.help === true) return undefined
  const credentials = (values.credentials ?? []).map(parseCredential)
  if (values['check-signatures'] === true && credentials.length === 0) {
    throw new Error('--check-signatures needs at least one --credentials')
  }
  if (values['check-signatures'] !== true && credentials.length > 0) {
    throw new Error('--credentials is only used with --check-signatures')
  }
  return {
    host: values.host ?? '127.0.0.1',
    port: integer('port', values.port, 4599),
    sessionTokenTtlMs: integer('session-token-ttl', values['session-token-ttl'], 900) * 1000,
    ...(values['data-file'] === undefined ? {} : { dataFile: values['data-file'] }),
    ...(credentials.length === 0 ? {} : { credentials }),
    ...(values['cors-origin'] === undefined ? {} : { corsOrigins: values['cors-origin'].map(allowedOrigin) }),
    ...(values['allow-host'] === undefined ? {} : { allowedHosts: values['allow-host'] }),
    ...(values['identity-pool'] === undefined ? {} : { identityPools: values['identity-pool'].map(parseIdentityPool) }),
  }
}
