/**
 * The command line of `cognito-sync-local`, parsed with `node:util` `parseArgs` into emulator options.
 *
 * @since 0.1.0
 */
import { parseArgs } from 'node:util'
import { allowedOrigin } from './origins.js'
import type { EmulatorOptions } from './server.js'
import type { Credential } from './sigv4.js'

/** The `--help` text. @since 0.1.0 */
export const usage = `Usage: cognito-sync-local [options]

  --host <address>            interface to listen on (default 127.0.0.1)
  --port <n>                  port, 0 for a free one (default 4599)
  --data-file <path>          keep the state in this JSON file across restarts
  --session-token-ttl <s>     SyncSessionToken lifetime in seconds (default 900)
  --check-signatures          verify SigV4 signatures against --credentials
  --credentials <spec>        AK:SECRET or AK:SECRET@identityId,identityId (repeatable);
                              with identity ids the key may only reach those identities
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

/**
 * Parses `AK:SECRET[@id,id…]`. Identity ids contain `:`, so the secret ends at `@`.
 *
 * @example
 * import { parseCredential } from './cliOptions.js'
 * parseCredential('AK:S3cret@us-east-1:aaaa') // { accessKeyId: 'AK', secretAccessKey: 'S3cret', identityIds: ['us-east-1:aaaa'] }
 *
 * @since 0.1.0
 */
export const parseCredential = (spec: string): Credential => {
  const colon = spec.indexOf(':')
  const at = spec.indexOf('@', colon)
  const accessKeyId = spec.slice(0, colon)
  const secretAccessKey = at < 0 ? spec.slice(colon + 1) : spec.slice(colon + 1, at)
  if (colon < 1 || secretAccessKey === '') throw new Error('--credentials must look like AK:SECRET[@identityId,…]')
  return at < 0 ? { accessKeyId, secretAccessKey } : { accessKeyId, secretAccessKey, identityIds: spec.slice(at + 1).split(',') }
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
  }
}
