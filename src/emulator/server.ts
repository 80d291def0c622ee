/**
 * `startEmulator`: a `node:http` server on loopback that answers the Cognito Sync REST JSON protocol.
 *
 * One request runs: route → body (bounded) → latency → throttle → injected failure → signature →
 * operation → data file → injected hold → injected drop → response, and lands in the call log. Any exception that
 * is not a `ServiceError` is a bug and answers 500 `InternalErrorException`; no input stops the server.
 *
 * @since 0.1.0
 */
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { createCallLog, type CallLogEntry, type FaultKind } from './callLog.js'
import { internalError, notAuthorized, ServiceError, serviceError } from './errors.js'
import { applyFaultPlan, type FaultPlan } from './faultPlan.js'
import { createFaults, type FaultControls } from './faults.js'
import { ClientGone, readBody, sendError, sendResult, type BodyBudget } from './http.js'
import { linkIdentity, type IdentityLink } from './identityLink.js'
import { resolveLimits, type Limits } from './limits.js'
import { handlers } from './operations/index.js'
import { loadState, saveState } from './persistence.js'
import { corsHeaders, originPolicy, preflightHeaders } from './origins.js'
import { matchRoute, type RouteMatch } from './routes.js'
import { mutating, type Service } from './service.js'
import { sessionTokens } from './sessionTokens.js'
import { signatureVerifier, type Credential, type Verifier } from './sigv4.js'
import { identityId } from './validate.js'
import { emptyState, fromSnapshot, toSnapshot, type Snapshot, type State } from './state.js'

/** @since 0.1.0 */
export interface EmulatorOptions {
  /** Interface to listen on; `127.0.0.1` by default. */
  readonly host?: string
  /** Port; 0 (the default) picks a free one. */
  readonly port?: number
  /** JSON file the state is loaded from and saved to after every change. */
  readonly dataFile?: string
  /** Lifetime of a SyncSessionToken; 15 minutes by default (emulator decision). */
  readonly sessionTokenTtlMs?: number
  /** The clock, in epoch milliseconds: dates, token expiry and throttling use it. `Date.now` by default. */
  readonly clock?: { readonly now: () => number }
  /** When given, every request must be SigV4-signed by one of these. */
  readonly credentials?: readonly Credential[]
  /** Overrides of the service limits. */
  readonly limits?: Partial<Limits>
  /** `LastModifiedBy` of every write; `'123456789012'` by default, as the service shows for developer credentials. */
  readonly accountId?: string
  /**
   * Origins (`scheme://host[:port]`) whose pages may call the emulator, besides loopback ones
   * (`http://localhost:*`, `http://127.0.0.1:*`, `http://[::1]:*`, which always may); `'*'` allows
   * every page on the web, so use it on a trusted network only.
   */
  readonly corsOrigins?: readonly string[]
  /** Names accepted in the `Host` header besides loopback names, `host` and, bound to all interfaces, this machine's addresses. */
  readonly allowedHosts?: readonly string[]
  /**
   * The Cognito Identity pools GetId serves (any other is `ResourceNotFoundException`); each allows
   * unauthenticated identities unless it says `allowUnauthenticatedIdentities: false`. Identities
   * issued are kept with the data file.
   *
   * @since 0.2.0
   */
  readonly identityPools?: readonly IdentityPoolConfig[]
  /**
   * The SyncCount of a dataset written again after a delete: `'continue'` (the default) from the
   * count it had when deleted, so old and new counts never collide; `'restart'` from 1, as the
   * protocol notes lean (the service's reference does not say).
   *
   * @since 0.2.0
   */
  readonly recreatedSyncCount?: 'continue' | 'restart'
  /** Faults set at start, as `faults` would set them. @since 0.2.0 */
  readonly faults?: FaultPlan
  /** Called with each call log entry as it is recorded (the CLI's `--log`). @since 0.2.0 */
  readonly onCall?: (entry: CallLogEntry) => void
}

/** @since 0.2.0 */
export interface IdentityPoolConfig {
  /** E.g. `us-east-1:11111111-1111-1111-1111-111111111111`; identity ids take its region. */
  readonly identityPoolId: string
  /** `true` when absent. */
  readonly allowUnauthenticatedIdentities?: boolean
}

/** @since 0.1.0 */
export interface EmulatorHandle {
  /** E.g. `http://127.0.0.1:40123`: the client's `endpoint`. */
  readonly endpoint: string
  readonly port: number
  /** Stops listening and ends every open connection, keep-alive ones included. */
  readonly close: () => Promise<void>
  /** The stored state as plain data. */
  readonly snapshot: () => Snapshot
  readonly faults: FaultControls
  /** Every call so far, oldest first. */
  readonly calls: () => readonly CallLogEntry[]
  readonly clearCalls: () => void
  /** Links two identities as Cognito Identity would; returns the merged dataset names created. */
  readonly linkIdentity: (link: IdentityLink) => readonly string[]
}

const defaultTtlMs = 15 * 60 * 1000

const malformedBody = JSON.stringify({ __type: 'InvalidParameterException', message: 'Malformed HTTP request' })
const malformedRequest = [
  'HTTP/1.1 400 Bad Request',
  'content-type: application/json',
  'x-amzn-ErrorType: InvalidParameterException',
  `content-length: ${malformedBody.length}`,
  'connection: close',
  '',
  malformedBody,
].join('\r\n')

/** The call log entry of bytes that never became a request. */
const unparsed = (requestId: string): CallLogEntry => ({
  operation: undefined,
  method: '',
  path: '',
  status: 400,
  errorType: 'InvalidParameterException',
  fault: undefined,
  requestId,
  durationMs: 0,
})

/** `GET /health` answers 200 `{"status":"ok"}` once the emulator serves. */
const healthPath = '/health'

/** The endpoint a client on this machine uses: a wildcard bind address is reached through loopback. */
const endpointOf = (address: AddressInfo): string => {
  if (address.address === '0.0.0.0') return `http://127.0.0.1:${address.port}`
  if (address.address === '::') return `http://[::1]:${address.port}`
  return `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`
}

const restore = (state: State, snapshot: Snapshot): void => {
  const saved = fromSnapshot(snapshot)
  state.pools.clear()
  for (const [id, p] of saved.pools) state.pools.set(id, p)
  state.identityPools.clear()
  for (const [id, p] of saved.identityPools) state.identityPools.set(id, p)
}

/**
 * @example
 * import { startEmulator } from 'cognito-reconcile/emulator'
 * import { CognitoSyncClient, ListRecordsCommand } from '@aws-sdk/client-cognito-sync'
 *
 * const emulator = await startEmulator() // 127.0.0.1, a free port
 * const client = new CognitoSyncClient({
 *   region: 'us-east-1',
 *   endpoint: emulator.endpoint,
 *   credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
 *   maxAttempts: 1,
 * })
 * const list = new ListRecordsCommand({ IdentityPoolId: 'us-east-1:1111', IdentityId: 'us-east-1:aaaa', DatasetName: 'settings' })
 * const answer = await client.send(list)
 * assert.deepStrictEqual([answer.Records, answer.DatasetSyncCount], [[], 0])
 * assert.deepStrictEqual(emulator.calls().map((call) => [call.operation, call.status]), [['ListRecords', 200]])
 * client.destroy()
 * await emulator.close()
 *
 * @since 0.1.0
 */
export const startEmulator = async (options: EmulatorOptions = {}): Promise<EmulatorHandle> => {
  const now = options.clock?.now ?? Date.now
  const limits: Limits = resolveLimits(options.limits)
  const budget: BodyBudget = { max: limits.maxBufferedBytes, used: 0 }
  const dataFile = options.dataFile
  const service: Service = {
    state: dataFile === undefined ? emptyState() : loadState(dataFile),
    limits,
    tokens: sessionTokens(options.sessionTokenTtlMs ?? defaultTtlMs),
    now,
    accountId: options.accountId ?? '123456789012',
    sessions: new Map(),
    features: new Map(),
    issued: new Map(),
    recreatedSyncCount: options.recreatedSyncCount ?? 'continue',
  }
  for (const p of options.identityPools ?? []) {
    identityId('IdentityPoolId', p.identityPoolId)
    const known = service.state.identityPools.get(p.identityPoolId)
    const allowUnauthenticatedIdentities = p.allowUnauthenticatedIdentities ?? true
    if (known === undefined) service.state.identityPools.set(p.identityPoolId, { allowUnauthenticatedIdentities, identities: new Map() })
    else known.allowUnauthenticatedIdentities = allowUnauthenticatedIdentities
  }
  const verify: Verifier | undefined =
    options.credentials === undefined ? undefined : await signatureVerifier(options.credentials, service.issued, now)
  const faults = createFaults(now)
  if (options.faults !== undefined) applyFaultPlan(faults.controls, options.faults)
  const log = createCallLog(options.onCall)
  const host = options.host ?? '127.0.0.1'
  const policy = originPolicy(host, options.corsOrigins ?? [], options.allowedHosts ?? [])

  const run = async (req: IncomingMessage, match: RouteMatch, applied: (f: FaultKind) => void) => {
    const body = await readBody(req, limits.maxRequestBodyBytes, budget)
    const delay = faults.latency(match.operation)
    if (delay > 0) {
      applied('latency')
      await sleep(delay)
    }
    if (faults.takeThrottle()) {
      applied('throttle')
      throw serviceError('TooManyRequestsException', 'Rate exceeded')
    }
    const failure = faults.takeFailure(match.operation)
    if (failure !== undefined) {
      applied('fail')
      throw failure
    }
    // Cognito Identity's GetId and GetCredentialsForIdentity are unsigned calls.
    if (match.protocol === 'restJson1') await verify?.(req, body, match)
    const call = { labels: match.labels, query: match.query, body }
    if (dataFile === undefined || !mutating.has(match.operation)) return handlers.get(match.operation)?.(service, call)
    // A call whose change cannot be saved is rolled back, so that a 500 changes no state either.
    const before = toSnapshot(service.state)
    try {
      const result = handlers.get(match.operation)?.(service, call)
      saveState(dataFile, service.state)
      return result
    } catch (e) {
      restore(service.state, before)
      throw e
    }
  }

  const malformed = new WeakMap<Socket, () => void>()
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const arrived = performance.now()
    const requestId = randomUUID()
    const url = req.url ?? ''
    const method = req.method ?? ''
    let match: RouteMatch | undefined
    let fault: FaultKind | undefined
    // Accepted as the service accepts it: any text, never read (the model: "not yet implemented").
    const clientContext = req.headers['x-amz-client-context']
    const entry = (status: number, errorType: string | undefined): CallLogEntry => ({
      operation: match?.operation,
      method,
      path: url.split('?')[0] ?? '',
      status,
      errorType,
      fault,
      requestId,
      ...(match?.operation === 'UpdateRecords' && typeof clientContext === 'string' ? { clientContext } : {}),
      ...(match?.labels.identityId === undefined ? {} : { identityId: match.labels.identityId }),
      ...(match?.labels.datasetName === undefined ? {} : { datasetName: match.labels.datasetName }),
      durationMs: Math.round(performance.now() - arrived),
    })
    // A body Node cannot parse is answered by 'clientError' below, which logs it as this request.
    malformed.set(req.socket, () => log.record(entry(400, 'InvalidParameterException')))
    try {
      const origin = req.headers.origin
      if (!policy.hostAllowed(req.headers.host)) {
        throw notAuthorized(
          `Host ${JSON.stringify(req.headers.host ?? '')} is not allowed: use a loopback name (localhost, 127.0.0.1), or start the emulator with --allow-host <name>`,
        )
      }
      if (origin !== undefined && !policy.originAllowed(origin)) {
        throw notAuthorized(`Pages on ${origin} may not call this emulator: start it with --cors-origin ${origin} to allow them`)
      }
      if (origin !== undefined) for (const [name, value] of Object.entries(corsHeaders(origin))) res.setHeader(name, value)
      if (method === 'GET' && url === healthPath) {
        // For probes (scripts, containers): not an operation, so not in the call log.
        sendResult(res, { status: 'ok' }, requestId)
        return
      }
      if (method === 'OPTIONS') {
        const requested = req.headers['access-control-request-headers']
        const privateNetwork = req.headers['access-control-request-private-network']?.toString()
        const headers = origin === undefined ? { allow: 'GET, POST, DELETE, OPTIONS' } : preflightHeaders(origin, requested, privateNetwork)
        res.writeHead(204, { ...headers, 'x-amzn-RequestId': requestId })
        res.end()
        log.record(entry(204, undefined))
        return
      }
      match = matchRoute(method, url, req.headers['x-amz-target']?.toString())
      const result = await run(req, match, (f) => (fault = f))
      const hold = faults.takeHold(match.operation)
      if (hold > 0) {
        fault = 'hold'
        await sleep(hold)
      }
      if (faults.takeDrop(match.operation)) {
        fault = 'drop'
        log.record(entry(200, undefined))
        req.socket.destroy()
        return
      }
      sendResult(res, result, requestId, match.protocol)
      log.record(entry(200, undefined))
    } catch (e) {
      // The client went away mid-body: it receives nothing from here, so nothing is logged here.
      if (e instanceof ClientGone) return
      const error = e instanceof ServiceError ? e : internalError()
      log.record(entry(error.status, error.type))
      if (!res.headersSent && !res.destroyed) sendError(res, error, requestId, match?.protocol)
    } finally {
      malformed.delete(req.socket)
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy())
  })
  // A request Node cannot even parse still gets a typed answer before the connection closes, and the
  // call log records that answer, and only when it could be sent.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    // A client that closed or reset its connection mid-request reads no answer: none is sent or logged.
    const gone = err.code === 'HPE_INVALID_EOF_STATE' || err.code === 'ECONNRESET'
    if (socket.writable && !gone) {
      socket.end(malformedRequest)
      const logged = malformed.get(socket)
      if (logged !== undefined) logged()
      else log.record(unparsed(randomUUID()))
    }
    socket.destroy()
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address() as AddressInfo
  return {
    endpoint: endpointOf(address),
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err === undefined ? resolve() : reject(err)))
        server.closeAllConnections()
      }),
    snapshot: () => toSnapshot(service.state),
    faults: faults.controls,
    calls: log.entries,
    clearCalls: log.clear,
    linkIdentity: (link) => {
      const names = linkIdentity(service.state, link, now())
      if (dataFile !== undefined) saveState(dataFile, service.state)
      return names
    },
  }
}
