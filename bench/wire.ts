/**
 * Bytes on the wire, counted on a client's own sockets: an `http.Agent` that remembers every socket
 * it opened, whose `bytesWritten` and `bytesRead` are what the emulator read and wrote on the same
 * loopback connections (request and response, headers included). Both SDKs take an agent, so each
 * is counted the same way, and counting costs nothing while timing.
 */
import { Agent } from 'node:http'
import type { Socket } from 'node:net'

export interface Traffic {
  readonly sent: number
  readonly received: number
}

export interface CountingAgent {
  readonly agent: Agent
  /** Bytes since the agent was made. */
  readonly traffic: () => Traffic
}

export const countingAgent = (): CountingAgent => {
  const agent = new Agent({ keepAlive: true })
  const sockets: Array<Socket> = []
  const create = agent.createConnection.bind(agent) as (...args: Array<unknown>) => Socket
  agent.createConnection = (...args: Array<unknown>) => {
    const socket = create(...args)
    sockets.push(socket)
    return socket
  }
  return {
    agent,
    traffic: () => ({
      sent: sockets.reduce((sum, s) => sum + s.bytesWritten, 0),
      received: sockets.reduce((sum, s) => sum + s.bytesRead, 0),
    }),
  }
}

export const trafficSince = (before: Traffic, after: Traffic): Traffic => ({ sent: after.sent - before.sent, received: after.received - before.received })
