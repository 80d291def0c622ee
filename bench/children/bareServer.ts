/**
 * The floor for the emulator's throughput: a bare `node:http` server that reads each request whole
 * and answers with a fixed body, the one the emulator gave for the same request (GET: ListRecords,
 * POST: UpdateRecords), with the emulator's headers. Argument: JSON { list, update } bodies.
 */
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

const bodies = JSON.parse(process.argv[2] ?? '{}') as { list: string; update: string }

const server = createServer((req, res) => {
  const chunks: Array<Buffer> = []
  req.on('data', (chunk: Buffer) => chunks.push(chunk))
  req.on('end', () => {
    const text = req.method === 'POST' ? bodies.update : bodies.list
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), 'x-amzn-RequestId': randomUUID() })
    res.end(text)
  })
})
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`bare server listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`)
})
process.once('SIGTERM', () => {
  server.close()
  server.closeAllConnections()
})
