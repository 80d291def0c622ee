/**
 * Requests as the emulator's HTTP server receives them, seen through Node's `http.server.request.start`
 * diagnostics channel, which publishes each request once its head is parsed and before the server
 * reads its body. A test waits for these, or acts on them, to catch a call while it is in flight:
 * an event to poll for, not a sleep that hopes the server has got that far.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import type { IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import { onTestFinished } from 'vitest'
import { matchRoute, type OperationName } from '../../src/emulator/routes.js'

const channel = 'http.server.request.start'

/** Calls `hook` with each request the emulator listening on `port` receives, until the current test ends. */
export const onArrival = (port: number, hook: (request: IncomingMessage) => void): void => {
  const listener = (message: unknown): void => {
    const { request } = message as { readonly request: IncomingMessage }
    if (request.socket.localPort === port) hook(request)
  }
  subscribe(channel, listener)
  onTestFinished(() => {
    unsubscribe(channel, listener)
  })
}

/** The operation `request` calls, as the emulator routes it; `undefined` when no route matches. */
const operationOf = (request: IncomingMessage): OperationName | undefined => {
  try {
    return matchRoute(request.method ?? '', request.url ?? '', request.headers['x-amz-target']?.toString()).operation
  } catch {
    return undefined
  }
}

/** Calls `hook` as each call of `operation` reaches the emulator on `port` (its answer not yet sent), until the test ends. */
export const onArrivalOf = (port: number, operation: OperationName, hook: () => void): void =>
  onArrival(port, (request) => {
    if (operationOf(request) === operation) hook()
  })

/**
 * The emulator's end of a client's connection, by the client's local port (read it while the client
 * is connected: a closed socket forgets it), once a request has arrived on it (`undefined` before):
 * its `bytesRead` says how much of a body the server has taken in, its `closed` that the server has let
 * the connection go.
 */
export const serverEnds = (port: number): ((clientPort: number | undefined) => Socket | undefined) => {
  const ends = new Map<number, Socket>()
  onArrival(port, (request) => {
    const remote = request.socket.remotePort
    if (remote !== undefined) ends.set(remote, request.socket)
  })
  return (clientPort) => (clientPort === undefined ? undefined : ends.get(clientPort))
}
