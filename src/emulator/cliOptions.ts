/**
 * The command line of `cognito-sync-local`, parsed with `node:util` `parseArgs` into emulator options.
 * Every flag can also come from an environment variable, `COGNITO_SYNC_LOCAL_` and the flag's name in
 * capitals with `_` for `-` (`--data-file` is `COGNITO_SYNC_LOCAL_DATA_FILE`); a flag given on the
 * command line wins. A repeatable flag's variable holds several values separated by spaces, a
 * switch's `1`/`true` or `0`/`false`. Secrets can come from a file or a variable rather than the
 * command line, where `ps` shows them.
 *
 * @since 0.1.0
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { faultPlan, shortFaults, type FaultPlan } from './faultPlan.js'
import { allowedOrigin } from './origins.js'
import type { EmulatorOptions, IdentityPoolConfig } from './server.js'
import type { Credential } from './sigv4.js'

/** The `--help` text. @since 0.1.0 */
export const usage = `Usage: cognito-sync-local [options]

A local Cognito Sync (and Cognito Identity GetId / GetCredentialsForIdentity) service.
Every option can also be set as COGNITO_SYNC_LOCAL_<NAME> (e.g. COGNITO_SYNC_LOCAL_PORT=4600).

  -H, --host <address>        interface to listen on (default 127.0.0.1)
  -p, --port <n>              port, 0 for a free one (default 4599)
  -d, --data-file <path>      keep the state in this JSON file across restarts
      --session-token-ttl <s> SyncSessionToken lifetime in seconds (default 900)
      --recreated-sync-count <continue|restart>
                              SyncCount of a dataset written again after a delete (default
                              continue: from the count at the delete; restart: from 1)
      --check-signatures      verify SigV4 signatures against the credentials
      --credentials <spec>    AK:SECRET or AK:SECRET@poolId/identityId,identityId (repeatable);
                              with identity ids the key may only reach those identities
      --credentials-file <p>  the same specs, one a line (# comments): keeps secrets out of ps
      --identity-pool <id>    serve Cognito Identity GetId for this pool (repeatable); add
                              ',authenticated-only' to refuse unauthenticated identities
      --cors-origin <origin>  let pages on this origin call the emulator, besides loopback
                              pages (repeatable; * allows any page: trusted networks only)
      --allow-host <name>     accept this Host header name besides loopback names (repeatable)
      --fail <Op:Error[:n]>   the next n (1) calls of Op answer the exception Error (repeatable)
      --latency <ms[:Op]>     delay every call, or Op's calls (repeatable)
      --throttle <rate[:burst]> answer 429 TooManyRequestsException past rate calls a second
      --faults-file <path>    faults as JSON: { failNext, dropAfterCommit, holdAfterCommit,
                              latency, throttle } (see docs/emulator.md)
  -l, --log                   print one line per call: time, operation, identity/dataset,
                              status, duration
      --exit-with-parent      stop when the process that started this one goes away (on by
                              default under npx/npm exec)
  -v, --version               print the version
  -h, --help                  show this text

GET /health answers {"status":"ok"} while it serves. SIGINT and SIGTERM stop it cleanly.
`

const flags = {
  host: { type: 'string', short: 'H' },
  port: { type: 'string', short: 'p' },
  'data-file': { type: 'string', short: 'd' },
  'session-token-ttl': { type: 'string' },
  'recreated-sync-count': { type: 'string' },
  'check-signatures': { type: 'boolean' },
  credentials: { type: 'string', multiple: true },
  'credentials-file': { type: 'string' },
  'identity-pool': { type: 'string', multiple: true },
  'cors-origin': { type: 'string', multiple: true },
  'allow-host': { type: 'string', multiple: true },
  fail: { type: 'string', multiple: true },
  latency: { type: 'string', multiple: true },
  throttle: { type: 'string' },
  'faults-file': { type: 'string' },
  log: { type: 'boolean', short: 'l' },
  'exit-with-parent': { type: 'boolean' },
  version: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const

type Flag = keyof typeof flags
type Values = { [K in Flag]?: (typeof flags)[K] extends { type: 'boolean' } ? boolean : (typeof flags)[K] extends { multiple: true } ? string[] : string }

/** The environment variable of a flag. @since 0.2.0 */
export const envName = (flag: string): string => `COGNITO_SYNC_LOCAL_${flag.toUpperCase().replaceAll('-', '_')}`

const fromEnv = (env: Readonly<Record<string, string | undefined>>): Values => {
  const values: Record<string, unknown> = {}
  for (const [flag, spec] of Object.entries(flags)) {
    const text = env[envName(flag)]
    if (text === undefined || flag === 'help' || flag === 'version') continue
    if (spec.type === 'boolean') {
      if (!/^(1|true|0|false|)$/i.test(text)) throw new Error(`${envName(flag)} must be 1, true, 0 or false`)
      values[flag] = /^(1|true)$/i.test(text)
    } else values[flag] = 'multiple' in spec ? text.split(/\s+/).filter((v) => v !== '') : text
  }
  return values as Values
}

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
 * assert.deepStrictEqual(parseCredential('AK:S3cret@us-east-1:1111/us-east-1:aaaa'), {
 *   accessKeyId: 'AK',
 *   secretAccessKey: 'S3cret',
 *   identityPoolId: 'us-east-1:1111',
 *   identityIds: ['us-east-1:aaaa'],
 * })
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
 * assert.deepStrictEqual(parseIdentityPool('us-east-1:1111,authenticated-only'), {
 *   identityPoolId: 'us-east-1:1111',
 *   allowUnauthenticatedIdentities: false,
 * })
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

const readText = (flag: string, path: string): string => {
  try {
    return readFileSync(path, 'utf8')
  } catch (e) {
    throw new Error(`--${flag} ${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`)
  }
}

const credentialsOf = (values: Values): Credential[] => {
  const file = values['credentials-file']
  const lines =
    file === undefined
      ? []
      : readText('credentials-file', file)
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l !== '' && !l.startsWith('#'))
  return [...(values.credentials ?? []), ...lines].map(parseCredential)
}

const faultsOf = (values: Values): FaultPlan => {
  const file = values['faults-file']
  let fromFile: FaultPlan = {}
  if (file !== undefined) {
    let json: unknown
    try {
      json = JSON.parse(readText('faults-file', file))
    } catch (e) {
      throw e instanceof SyntaxError ? new Error(`--faults-file ${file} is not JSON`) : e
    }
    fromFile = faultPlan(json)
  }
  const short = shortFaults(values.fail ?? [], values.latency ?? [], values.throttle)
  return {
    ...fromFile,
    failNext: [...(fromFile.failNext ?? []), ...(short.failNext ?? [])],
    latency: [...(fromFile.latency ?? []), ...(short.latency ?? [])],
    ...(short.throttle === undefined ? {} : { throttle: short.throttle }),
  }
}

const recreated = (text: string | undefined): Pick<EmulatorOptions, 'recreatedSyncCount'> => {
  if (text === undefined) return {}
  if (text !== 'continue' && text !== 'restart') throw new Error('--recreated-sync-count must be continue or restart')
  return { recreatedSyncCount: text }
}

/** What a command line asks for. @since 0.2.0 */
export type Command =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | {
      readonly kind: 'serve'
      readonly options: EmulatorOptions
      /** Print one line per call. */
      readonly log: boolean
      /** Stop when the parent process goes away. */
      readonly exitWithParent: boolean
    }

/**
 * The command of a command line and environment. Throws, with a message naming the flag, on a bad one.
 *
 * @example
 * import { cliOptions } from './cliOptions.js'
 * const command = cliOptions(['-p', '0'], { COGNITO_SYNC_LOCAL_DATA_FILE: '/tmp/state.json' })
 * assert.strictEqual(command.kind, 'serve')
 * if (command.kind === 'serve') {
 *   assert.strictEqual(command.options.port, 0)
 *   assert.strictEqual(command.options.dataFile, '/tmp/state.json')
 * }
 *
 * @since 0.1.0
 */
export const cliOptions = (argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): Command => {
  const { values: given } = parseArgs({ args: [...argv], strict: true, options: flags })
  if (given.help === true) return { kind: 'help' }
  if (given.version === true) return { kind: 'version' }
  const values: Values = { ...fromEnv(env), ...(given as Values) }
  const credentials = credentialsOf(values)
  if (values['check-signatures'] === true && credentials.length === 0) {
    throw new Error('--check-signatures needs at least one --credentials')
  }
  if (values['check-signatures'] !== true && credentials.length > 0) {
    throw new Error('--credentials is only used with --check-signatures')
  }
  return {
    kind: 'serve',
    log: values.log === true,
    exitWithParent: values['exit-with-parent'] ?? env['npm_command'] === 'exec',
    options: {
      host: values.host ?? '127.0.0.1',
      port: integer('port', values.port, 4599),
      sessionTokenTtlMs: integer('session-token-ttl', values['session-token-ttl'], 900) * 1000,
      ...(values['data-file'] === undefined ? {} : { dataFile: values['data-file'] }),
      ...(credentials.length === 0 ? {} : { credentials }),
      ...(values['cors-origin'] === undefined ? {} : { corsOrigins: values['cors-origin'].map(allowedOrigin) }),
      ...(values['allow-host'] === undefined ? {} : { allowedHosts: values['allow-host'] }),
      ...(values['identity-pool'] === undefined ? {} : { identityPools: values['identity-pool'].map(parseIdentityPool) }),
      faults: faultsOf(values),
      ...recreated(values['recreated-sync-count']),
    },
  }
}
