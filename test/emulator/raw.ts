/**
 * Raw HTTP for what the SDK never sends: a request with any method, path, headers and body.
 */
import { request } from 'node:http'
import { alice, pool } from './harness.js'

export interface RawResponse {
  readonly status: number
  readonly headers: Record<string, string | string[] | undefined>
  readonly text: string
}

export const raw = (
  endpoint: string,
  method: string,
  path: string,
  body?: string | Buffer,
  headers: Record<string, string> = {},
): Promise<RawResponse> =>
  new Promise((resolve, reject) => {
    // A body needs framing: without content-length a GET body would read as the next request.
    const framing = body === undefined || 'transfer-encoding' in headers ? {} : { 'content-length': String(Buffer.byteLength(body)) }
    const req = request(`${endpoint}${path}`, { method, headers: { ...framing, ...headers }, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString() }),
      )
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })

/** The body of an error response, checked to carry the protocol's error encoding. */
export const errorOf = (r: RawResponse): { type: string; message: string } => {
  const body = JSON.parse(r.text) as { __type: string; message: string }
  if (r.headers['x-amzn-errortype'] !== body.__type) throw new Error(`x-amzn-ErrorType ≠ __type in ${r.text}`)
  if (r.headers['content-type'] !== 'application/json') throw new Error('content-type is not application/json')
  if (typeof r.headers['x-amzn-requestid'] !== 'string') throw new Error('no x-amzn-RequestId')
  return { type: body.__type, message: body.message }
}

export const datasetPath = (dataset = 'd', identity = alice): string =>
  `/identitypools/${encodeURIComponent(pool)}/identities/${encodeURIComponent(identity)}/datasets/${encodeURIComponent(dataset)}`
