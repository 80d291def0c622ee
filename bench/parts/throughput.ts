/**
 * Part 4: emulator throughput. ListRecords (a 64-record dataset from sync count 0) and UpdateRecords
 * (one 100-byte record, each client on its own identity) per second, with 1, 8 and 64 concurrent
 * @aws-sdk/client-cognito-sync clients in this process, against the emulator in a child process and
 * against a bare `node:http` server in another, which answers the emulator's own bodies for the same
 * requests. Each client sends its next request when the last is answered, for a fixed window;
 * emulator and bare server alternate, round by round.
 */
import { fileURLToPath } from 'node:url'
import { CognitoSyncClient, ListRecordsCommand, UpdateRecordsCommand } from '@aws-sdk/client-cognito-sync'
import { type ChildServer, startChildServer } from '../children/spawn.js'
import type { Config } from '../config.js'
import { type Summary, summarize } from '../harness.js'
import { type PartResult, type Target, progress } from '../part.js'
import { ratio, rate, spread, table } from '../table.js'

const pool = 'us-east-1:00000000-0000-4000-8000-0000000000aa'
const identity = (n: number): string => `us-east-1:00000000-0000-4000-8000-${(0xb00 + n).toString(16).padStart(12, '0')}`
const listed = { IdentityPoolId: pool, IdentityId: identity(0), DatasetName: 'listed' }
const value = 'v'.repeat(100)

const emulatorCli = fileURLToPath(new URL('../../src/emulator/cli.ts', import.meta.url))
const bareScript = fileURLToPath(new URL('../children/bareServer.ts', import.meta.url))

// a kept-alive socket the server closed between rounds fails once ("socket hang up"): the SDK retries it
const clientFor = (endpoint: string): CognitoSyncClient =>
  new CognitoSyncClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 3 })

/** A client and what it needs for its next UpdateRecords: its own dataset's session token and count. */
interface Worker {
  readonly client: CognitoSyncClient
  readonly dataset: { IdentityPoolId: string; IdentityId: string; DatasetName: string }
  token: string
  count: number
}

const workersFor = async (endpoint: string, n: number, from: number): Promise<Array<Worker>> =>
  Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const client = clientFor(endpoint)
      const dataset = { IdentityPoolId: pool, IdentityId: identity(from + i + 1), DatasetName: 'updated' }
      const listing = await client.send(new ListRecordsCommand(dataset))
      return { client, dataset, token: listing.SyncSessionToken ?? '', count: 0 }
    }),
  )

type Operation = 'ListRecords' | 'UpdateRecords'

const callOf = (operation: Operation) => async (w: Worker): Promise<void> => {
  if (operation === 'ListRecords') {
    await w.client.send(new ListRecordsCommand({ ...listed, LastSyncCount: 0, MaxResults: 1024 }))
    return
  }
  await w.client.send(
    new UpdateRecordsCommand({ ...w.dataset, SyncSessionToken: w.token, DeviceId: 'bench', RecordPatches: [{ Op: 'replace', Key: 'k', Value: value, SyncCount: w.count }] }),
  )
  w.count += 1
}

/** Requests per second over one window: every worker calls again as soon as it is answered. */
const drive = async (workers: ReadonlyArray<Worker>, operation: Operation, windowMs: number): Promise<number> => {
  const call = callOf(operation)
  let done = 0
  const start = performance.now()
  const deadline = start + windowMs
  await Promise.all(
    workers.map(async (w) => {
      while (performance.now() < deadline) {
        await call(w)
        done += 1
      }
    }),
  )
  return done / ((performance.now() - start) / 1000)
}

/** The emulator's answer bodies for the two requests, read raw, for the bare server to repeat. */
const capture = async (endpoint: string): Promise<{ list: string; update: string }> => {
  const seeder = clientFor(endpoint)
  const first = await seeder.send(new ListRecordsCommand(listed))
  await seeder.send(
    new UpdateRecordsCommand({
      ...listed,
      SyncSessionToken: first.SyncSessionToken ?? '',
      RecordPatches: Array.from({ length: 64 }, (_, i) => ({ Op: 'replace' as const, Key: `key.${i}`, Value: value, SyncCount: 0 })),
    }),
  )
  seeder.destroy()
  const path = `/identitypools/${encodeURIComponent(pool)}/identities/${encodeURIComponent(identity(0))}/datasets/listed`
  const list = await (await fetch(`${endpoint}${path}/records?lastSyncCount=0&maxResults=1024`)).text()
  const token = (JSON.parse(list) as { SyncSessionToken: string }).SyncSessionToken
  const patch = { Op: 'replace', Key: 'k', Value: value, SyncCount: 0 }
  const update = await (
    await fetch(`${endpoint}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ SyncSessionToken: token, DeviceId: 'bench', RecordPatches: [patch] }) })
  ).text()
  return { list, update }
}

interface Row {
  readonly operation: Operation
  readonly clients: number
  readonly emulator: Summary
  readonly bare: Summary
  /** Emulator over bare server, round by round. */
  readonly ratio: Summary
}

export const throughputPart = async (config: Config): Promise<PartResult> => {
  const { clients: levels, rounds, windowMs } = config.throughput
  const servers: Array<ChildServer> = []
  const rows: Array<Row> = []
  try {
    const emulator = await startChildServer(emulatorCli, ['--port', '0'])
    servers.push(emulator)
    const bare = await startChildServer(bareScript, [JSON.stringify(await capture(emulator.endpoint))])
    servers.push(bare)
    for (const clients of levels) {
      const sides = { emulator: await workersFor(emulator.endpoint, clients, clients * 100), bare: await workersFor(bare.endpoint, clients, clients * 100) }
      for (const operation of ['ListRecords', 'UpdateRecords'] as const) {
        const rates = { emulator: [] as Array<number>, bare: [] as Array<number> }
        for (let round = 0; round < rounds; round++) {
          const order = round % 2 === 0 ? (['emulator', 'bare'] as const) : (['bare', 'emulator'] as const)
          for (const side of order) rates[side].push(await drive(sides[side], operation, windowMs))
        }
        const row = { operation, clients, emulator: summarize(rates.emulator), bare: summarize(rates.bare), ratio: summarize(rates.emulator.map((r, i) => r / (rates.bare[i] ?? Number.NaN))) }
        rows.push(row)
        progress(`${operation} × ${clients} clients: ${ratio(row.ratio.median)}`)
      }
      for (const w of [...sides.emulator, ...sides.bare]) w.client.destroy()
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()))
  }
  const targets: ReadonlyArray<Target> = rows.map((r) => ({ what: `emulator / bare node:http, ${r.operation}, ${r.clients} clients`, value: r.ratio.median, limit: 0.5, atMost: false }))
  return {
    targets,
    json: { windowMs, rounds, rows },
    text: [
      '## 4. Emulator throughput (requests per second)',
      table(
        ['operation', 'clients', 'emulator', 'bare node:http', 'emulator / bare', 'target'],
        rows.map((r) => [r.operation, String(r.clients), `${rate(r.emulator.median)} ${spread(r.emulator)}`, `${rate(r.bare.median)} ${spread(r.bare)}`, ratio(r.ratio.median), '≥ 0.5x']),
      ),
    ].join('\n'),
    failures: [],
  }
}
