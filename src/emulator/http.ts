/**
 * The HTTP edges: a bounded body read and the JSON response encodings of the restJson1 protocol.
 *
 * @since 0.1.0
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { serviceError, type ServiceError } from './errors.js'
import type { Protocol } from './routes.js'

const contentTypes: Readonly<Record<Protocol, string>> = {
  restJson1: 'application/json',
  awsJson1_1: 'application/x-amz-json-1.1',
}

const tooLarge = (limit: number): ServiceError =>
  serviceError(
    'InvalidParameterException',
    `The request body exceeds ${limit} bytes, more than any request within the service's limits needs (1 MB per dataset, 1,024 records)`,
    413,
  )

const busy = (): ServiceError =>
  serviceError('TooManyRequestsException', 'The emulator holds too many unfinished request bodies; retry shortly')

/**
 * What a request whose client went away (reset, or a body Node could not parse) rejects with: nothing
 * can be answered on that request, so nothing is, and the call log does not record it.
 *
 * @since 0.2.0
 */
export class ClientGone extends Error {}

/**
 * The bytes of request bodies held across all connections, so that stalled clients cannot hold more
 * than `max` between them.
 *
 * @since 0.2.0
 */
export interface BodyBudget {
  readonly max: number
  used: number
}

/**
 * Reads the body, but never more than `limit` bytes: a longer body is refused as soon as its
 * `content-length` or its running size says so, and the rest is not buffered. A chunk that would take
 * the bodies held across connections past `budget.max` refuses this one with 429
 * `TooManyRequestsException` (which the SDK retries).
 *
 * @since 0.1.0
 */
export const readBody = (req: IncomingMessage, limit: number, budget: BodyBudget): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      reject(tooLarge(limit))
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    const release = () => {
      budget.used -= size
      size = 0
      chunks.length = 0
    }
    const stop = (error: Error) => {
      release()
      req.off('data', onData)
      req.resume()
      reject(error)
    }
    const onData = (chunk: Buffer) => {
      if (size + chunk.length > limit) return stop(tooLarge(limit))
      if (budget.used + chunk.length > budget.max) return stop(busy())
      size += chunk.length
      budget.used += chunk.length
      chunks.push(chunk)
    }
    req.on('data', onData)
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      release()
      resolve(body)
    })
    req.on('error', () => stop(new ClientGone()))
  })

const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string>, protocol: Protocol): void => {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': contentTypes[protocol],
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  })
  res.end(text)
}

/** A 200 with a JSON body. @since 0.1.0 */
export const sendResult = (res: ServerResponse, body: unknown, requestId: string, protocol: Protocol = 'restJson1'): void =>
  send(res, 200, body, { 'x-amzn-RequestId': requestId }, protocol)

/**
 * An error as the SDK parses it: `x-amzn-ErrorType` names the exception, the body repeats it in
 * `__type` beside `message`. A refused body closes the connection, since its rest is not read.
 *
 * @since 0.1.0
 */
export const sendError = (res: ServerResponse, error: ServiceError, requestId: string, protocol: Protocol = 'restJson1'): void =>
  send(
    res,
    error.status,
    { __type: error.type, message: error.message },
    {
      'x-amzn-RequestId': requestId,
      'x-amzn-ErrorType': error.type,
      ...(error.status === 413 || error.type === 'TooManyRequestsException' ? { connection: 'close' } : {}),
    },
    protocol,
  )
