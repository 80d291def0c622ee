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
  serviceError('RequestEntityTooLargeException', `The request body exceeds ${limit} bytes`)

/**
 * Reads the body, but never more than `limit` bytes: a longer body is refused as soon as its
 * `content-length` or its running size says so, and the rest is not buffered.
 *
 * @since 0.1.0
 */
export const readBody = (req: IncomingMessage, limit: number): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      reject(tooLarge(limit))
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size <= limit) {
        chunks.push(chunk)
        return
      }
      req.off('data', onData)
      req.resume()
      reject(tooLarge(limit))
    }
    req.on('data', onData)
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
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
      ...(error.status === 413 ? { connection: 'close' } : {}),
    },
    protocol,
  )
