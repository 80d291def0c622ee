/**
 * Request bodies: the cap follows from the service's decoded limits (a full dataset escaped at its
 * worst still fits), stalled clients cannot hold more than the budget between them, and a client
 * that goes away mid-body is not logged as a 500 it never received.
 */
import { once } from 'node:events'
import { connect, type Socket } from 'node:net'
import { describe, expect, it, vi } from 'vitest'
import { startEmulator } from '../../src/emulator/index.js'
import { list, manualClock, put, sdkClient, useEmulator, write } from './harness.js'
import { patience } from '../sync/harness.js'
import { serverEnds } from './arrivals.js'
import { datasetPath, errorOf, raw } from './raw.js'

const open = async (port: number): Promise<Socket> => {
  const socket = connect(port, '127.0.0.1')
  await once(socket, 'connect')
  return socket
}

const answer = async (socket: Socket): Promise<string> => {
  let text = ''
  socket.on('data', (c: Buffer) => (text += c.toString()))
  await once(socket, 'close')
  return text
}

const head = (port: number, extra: string) =>
  `POST ${datasetPath()} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\n${extra}\r\n`

describe('request bodies', () => {
  const ctx = useEmulator()

  it('accepts a 700,000-character value that JSON must escape to 4.2 MB (the old 4 MiB cap refused it)', async () => {
    const value = '\u0001'.repeat(700_000)
    const written = await write(ctx.client, 'd', [put('k', value)])
    expect(written.Records?.[0]?.SyncCount).toBe(1)
    expect((await list(ctx.client, 'd')).Records?.[0]?.Value?.length).toBe(700_000)
  })

  it('refuses a body past the cap with 413 InvalidParameterException, a name the SDK knows', async () => {
    const emulator = await startEmulator({ limits: { maxDatasetBytes: 1000, maxRecordsPerDataset: 4, maxKeyLength: 16 } })
    try {
      const big = JSON.stringify({ SyncSessionToken: 't', RecordPatches: [{ Op: 'replace', Key: 'k', Value: 'x'.repeat(20_000), SyncCount: 0 }] })
      const r = await raw(emulator.endpoint, 'POST', datasetPath(), big, { 'content-type': 'application/json' })
      expect(r.status).toBe(413)
      expect(errorOf(r).type).toBe('InvalidParameterException')
      expect(errorOf(r).message).toMatch(/exceeds 16624 bytes/)
    } finally {
      await emulator.close()
    }
  })

  it('bounds the bodies held across stalled connections, and frees them when the clients go', async () => {
    const emulator = await startEmulator({ clock: manualClock(), limits: { maxRequestBodyBytes: 600_000, maxBufferedBytes: 1_000_000 } })
    const sockets: Socket[] = []
    try {
      // Two clients each send 400 kB of a 500 kB body and stall: 800 kB held, once the emulator has read both.
      const serverEnd = serverEnds(emulator.port)
      const stalled = head(emulator.port, 'content-length: 500000\r\n') + 'x'.repeat(400_000)
      for (let i = 0; i < 2; i++) {
        const s = await open(emulator.port)
        s.write(stalled)
        sockets.push(s)
      }
      await vi.waitFor(() => expect(sockets.map((s) => serverEnd(s.localPort)?.bytesRead)).toEqual([stalled.length, stalled.length]), patience)
      const ends = sockets.map((s) => serverEnd(s.localPort))
      // A third would take it past 1 MB: refused at once with a retryable 429, not buffered.
      const third = await open(emulator.port)
      const refused = answer(third)
      third.write(head(emulator.port, 'content-length: 500000\r\n') + 'x'.repeat(400_000))
      expect(await refused).toMatch(/^HTTP\/1\.1 429 [\s\S]*TooManyRequestsException/)
      for (const s of sockets.splice(0)) s.destroy()
      await vi.waitFor(() => expect(ends.map((end) => end?.closed)).toEqual([true, true]), patience)
      // Freed: a call whose 450 kB body fits only in the room they held goes through, and the clients
      // that went away are not in the log.
      const client = sdkClient(emulator.endpoint)
      try {
        await write(client, 'd', [put('k', 'v'.repeat(450_000))])
      } finally {
        client.destroy()
      }
      expect(emulator.calls().map((c) => c.status)).toEqual([429, 200, 200])
    } finally {
      for (const s of sockets) s.destroy()
      await emulator.close()
    }
  })

  it('logs what a client that sent a bad chunk received (400), and nothing for one that left mid-body', async () => {
    const bad = await open(ctx.emulator.port)
    const got = answer(bad)
    bad.write(head(ctx.emulator.port, 'transfer-encoding: chunked\r\n') + '5\r\n{"a":\r\nZZ\r\n')
    expect(await got).toMatch(/^HTTP\/1\.1 400 /)
    // Two clients leave mid-body, once the emulator is reading it: one resets, one closes its end.
    const serverEnd = serverEnds(ctx.emulator.port)
    const partial = head(ctx.emulator.port, 'content-length: 100\r\n') + '{"a"'
    const midBody = async (client: Socket): Promise<Socket | undefined> => {
      client.write(partial)
      await vi.waitFor(() => expect(serverEnd(client.localPort)?.bytesRead).toBe(partial.length), patience)
      return serverEnd(client.localPort)
    }
    const reset = await open(ctx.emulator.port)
    const resetEnd = await midBody(reset)
    reset.resetAndDestroy()
    const closed = await open(ctx.emulator.port)
    const closedEnd = await midBody(closed)
    closed.end()
    // the emulator lets both connections go, having answered and logged neither
    await vi.waitFor(() => expect([resetEnd?.closed, closedEnd?.closed]).toEqual([true, true]), patience)
    closed.destroy()
    expect(ctx.emulator.calls().map((c) => [c.operation, c.status, c.errorType])).toEqual([['UpdateRecords', 400, 'InvalidParameterException']])
    const junk = await open(ctx.emulator.port)
    const junkAnswer = answer(junk)
    junk.write('NOT HTTP\r\n\r\n')
    expect(await junkAnswer).toMatch(/^HTTP\/1\.1 400 /)
    expect(ctx.emulator.calls().map((c) => c.status)).toEqual([400, 400])
    expect(ctx.emulator.calls().some((c) => c.status >= 500)).toBe(false)
  })
})
