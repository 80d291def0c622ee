/**
 * Part 3: syncs against the emulator (in this process, on 127.0.0.1), cognito-reconcile with the real
 * @aws-sdk/client-cognito-sync beside amazon-cognito-js with aws-sdk v2, each on its own identity of
 * the same emulator. For every case: the API calls made (the emulator's call log), the bytes each way
 * (the client's sockets), the minimum number of calls the case needs, and the wall time, interleaved.
 */
import { type EmulatorHandle, startEmulator } from 'cognito-reconcile/emulator'
import type { Config } from '../config.js'
import { type Address, type Device, cognitoJsAsDevice, libraryDevice } from '../devices.js'
import { entriesOf, variantsOf } from '../entries.js'
import { type Contender, type Measured, type Ratio, measure, probe, ratioOf } from '../harness.js'
import { type PartResult, type Target, progress } from '../part.js'
import { bytes, duration, ratio, ratioRange, spread, table } from '../table.js'
import { type Traffic, trafficSince } from '../wire.js'

const records = 1024
const initial = entriesOf(records, 42)
const conflicted = initial.filter((_, i) => i % 10 === 0)

interface SyncCase {
  readonly name: string
  readonly minimumCalls: number
  /** Once, before any timing. `other` is a second cognito-reconcile device on the same identity. */
  readonly prepare: (device: Device, other: Device) => Promise<void>
  /** Before every timed sync, outside the timing. */
  readonly beforeEach: (device: Device, other: Device, round: number) => Promise<void>
  /** Targets: the library's wall time at most this multiple of amazon-cognito-js's. */
  readonly target?: number
}

const synced = async (device: Device): Promise<void> => {
  await device.write(initial)
  await device.sync()
}

const nothing = async (): Promise<void> => undefined

export const syncCases: ReadonlyArray<SyncCase> = [
  { name: 'idle, 1,024 records', minimumCalls: 1, prepare: synced, beforeEach: nothing, target: 1.5 },
  { name: '1 dirty', minimumCalls: 2, prepare: synced, beforeEach: (device, _, round) => device.write(variantsOf(initial.slice(0, 1), round)) },
  { name: '1,024 dirty (~1 MB)', minimumCalls: 2, prepare: synced, beforeEach: (device, _, round) => device.write(variantsOf(initial, round)), target: 1.2 },
  {
    name: '1,024 remote-only',
    minimumCalls: 1,
    prepare: (_, other) => synced(other),
    beforeEach: (device) => device.fresh(),
  },
  {
    name: 'conflicts on 10% of keys',
    minimumCalls: 2,
    prepare: async (device, other) => {
      await synced(device)
      await other.sync()
    },
    // another device edits a tenth of the keys and pushes; then this device edits the same keys
    beforeEach: async (device, other, round) => {
      await other.sync()
      await other.write(variantsOf(conflicted, round, 'theirs'))
      await other.sync()
      await device.write(variantsOf(conflicted, round, 'mine'))
    },
  },
]

let identities = 0
const nextAddress = (endpoint: string): Address => ({
  endpoint,
  identityPoolId: 'us-east-1:00000000-0000-4000-8000-000000000001',
  identityId: `us-east-1:00000000-0000-4000-8000-${(++identities).toString(16).padStart(12, '0')}`,
})

interface Implementation {
  readonly name: string
  readonly device: (address: Address) => Promise<Device>
}

const implementations: ReadonlyArray<Implementation> = [
  { name: 'cognito-reconcile', device: async (address) => libraryDevice(address) },
  { name: 'amazon-cognito-js', device: cognitoJsAsDevice },
]

interface Wire {
  readonly calls: ReadonlyArray<string>
  readonly traffic: Traffic
}

interface CaseRow {
  readonly name: string
  readonly minimumCalls: number
  readonly target: number | undefined
  readonly wire: Record<string, Wire | { readonly error: string }>
  readonly time: Record<string, Measured>
  readonly ratio: Ratio | undefined
}

/** One more round, untimed, to read the call log and the bytes of one sync. */
const wireOf = async (emulator: EmulatorHandle, run: Contender, device: Device): Promise<Wire> => {
  await run.beforeEach?.()
  emulator.clearCalls()
  const before = device.traffic()
  await run.fn()
  const calls = emulator.calls().map((c) => `${c.operation ?? c.path} ${c.status}`)
  return { calls, traffic: trafficSince(before, device.traffic()) }
}

const runCase = async (emulator: EmulatorHandle, c: SyncCase, config: Config): Promise<CaseRow> => {
  const contenders: Array<{ name: string; contender: Contender; device: Device }> = []
  for (const implementation of implementations) {
    const address = nextAddress(emulator.endpoint)
    const device = await implementation.device(address)
    const other = libraryDevice(address, 'other-device')
    await c.prepare(device, other)
    let round = 0
    contenders.push({
      name: implementation.name,
      device,
      contender: { name: implementation.name, async: true, beforeEach: () => c.beforeEach(device, other, ++round), fn: () => device.sync() },
    })
  }
  const probed = await probe(contenders.map((x) => x.contender))
  const wire: CaseRow['wire'] = {}
  for (const f of probed.failed) wire[f.name] = { error: f.error }
  for (const x of contenders) if (probed.ok.includes(x.contender)) wire[x.name] = await wireOf(emulator, x.contender, x.device)
  const measured = await measure(probed.ok, config.sync.sampling)
  const time = Object.fromEntries(measured.map((m) => [m.name, m]))
  const [ours, theirs] = [time['cognito-reconcile'], time['amazon-cognito-js']]
  return { name: c.name, minimumCalls: c.minimumCalls, target: c.target, wire, time, ratio: ours && theirs ? ratioOf(ours, theirs) : undefined }
}

const callsCell = (w: Wire | { readonly error: string } | undefined): string => {
  if (w === undefined) return ''
  if ('error' in w) return 'failed'
  const operations = w.calls.map((c) => c.replace(/Records/, '').replace(/ 200$/, ''))
  return `${w.calls.length} (${operations.join(', ')})`
}

const bytesCell = (w: Wire | { readonly error: string } | undefined): string =>
  w === undefined || 'error' in w ? '' : `${bytes(w.traffic.sent)} / ${bytes(w.traffic.received)}`

const timeCell = (m: Measured | undefined): string => (m === undefined ? 'n/a' : `${duration(m.latency.median)} ${spread(m.latency)}`)

export const syncPart = async (config: Config): Promise<PartResult> => {
  const emulator = await startEmulator()
  const rows: Array<CaseRow> = []
  try {
    for (const c of syncCases) {
      const row = await runCase(emulator, c, config)
      rows.push(row)
      progress(`sync ${c.name}: ${row.ratio ? ratio(row.ratio.median) : 'no ratio'}`)
    }
  } finally {
    await emulator.close()
  }
  const failures = rows.flatMap((r) => {
    const ours = r.wire['cognito-reconcile']
    return ours !== undefined && 'error' in ours ? [`sync ${r.name}: cognito-reconcile failed: ${ours.error}`] : []
  })
  const errors = rows.flatMap((r) => Object.entries(r.wire).flatMap(([name, w]) => ('error' in w ? [`- ${r.name}, ${name}: ${w.error}`] : [])))
  const targets: ReadonlyArray<Target> = rows.flatMap((r) =>
    r.target !== undefined && r.ratio !== undefined ? [{ what: `sync wall time / amazon-cognito-js, ${r.name}`, value: r.ratio.median, limit: r.target, atMost: true }] : [],
  )
  return {
    targets,
    json: { records, rows },
    text: [
      '## 3. Sync against the emulator',
      table(
        ['case', 'min calls', 'cognito-reconcile calls', 'amazon-cognito-js calls', 'ours bytes up / down', 'theirs bytes up / down'],
        rows.map((r) => [r.name, String(r.minimumCalls), callsCell(r.wire['cognito-reconcile']), callsCell(r.wire['amazon-cognito-js']), bytesCell(r.wire['cognito-reconcile']), bytesCell(r.wire['amazon-cognito-js'])]),
      ),
      '',
      table(
        ['case', 'cognito-reconcile', 'amazon-cognito-js', 'ours / theirs', 'target'],
        rows.map((r) => [r.name, timeCell(r.time['cognito-reconcile']), timeCell(r.time['amazon-cognito-js']), r.ratio ? ratioRange(r.ratio) : 'n/a', r.target ? `≤ ${r.target}x` : '']),
      ),
      ...(errors.length > 0 ? ['', 'Failed:', ...errors] : []),
    ].join('\n'),
    failures,
  }
}
