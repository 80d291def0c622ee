/**
 * The convergence simulator: a fleet of devices, each with its own strategy configuration (as fleets
 * have during a rollout), runs a `History` through the library's real sync adapter against a back end,
 * then syncs every device, round after round and without faults, until the fleet is quiescent. The
 * report says whether the devices converged (each clean and equal to the server), after how many
 * rounds, and which acknowledged writes were lost.
 *
 * A write is **acknowledged** when the service stored it: an UpdateRecords carrying it committed
 * (its answer may have been lost, or the device may have crashed reading it). It is **lost** when the
 * fleet ends with other content for its key although
 * - no write of that key was made later (by the history's clock), nor at the same instant by a
 *   device that had seen it (its own device, or one that listed it after the service stored it, in a
 *   sync that then succeeded or pushed), and
 * - the final version does not absorb it: no strategy of the fleet, merging the final version with
 *   it, answers the final content whichever of the two is the local side.
 * So a later write legitimately replaces an earlier one, a merge keeps what it absorbs, and what a
 * strategy decides whichever side each version is on stands; an older write kept over a newer,
 * acknowledged one (a strategy that always keeps the local side) is a loss.
 *
 * @since 0.2.0
 */
import type { CognitoSyncClient } from '@aws-sdk/client-cognito-sync'
import * as E from 'fp-ts/lib/Either.js'
import type { Content } from '../codecs.js'
import type { Version } from '../Conflict.js'
import type { RecordPatch } from '../RecordPatch.js'
import type { Strategy } from '../Strategy.js'
import { type Dataset, openDataset } from '../stores/dataset.js'
import { memoryStore } from '../stores/memoryStore.js'
import type { SyncError } from '../sync/errors.js'
import { sync } from '../sync/sync.js'
import { type Backend, type Service, modelBackend } from './backend.js'
import { type History, type Step, deviceName, showStep } from './history.js'
import { merge } from './laws.js'

/** One local write of the history. @since 0.2.0 */
export interface Write {
  readonly device: number
  readonly key: string
  /** `null` for a delete. */
  readonly content: Content
  /** Its index in the history's steps. */
  readonly step: number
  /** The history's clock when it was made, in seconds. */
  readonly time: number
  /** The device's clock when it was made. */
  readonly date: Date
}

/** An acknowledged write the fleet lost, and what its key ended with. @since 0.2.0 */
export interface LostWrite {
  readonly write: Write
  readonly final: Content
}

/** What a device ended with. @since 0.2.0 */
export interface DeviceReport {
  readonly name: string
  readonly strategy: string
  /** Its live records, as its app reads them. */
  readonly contents: Readonly<Record<string, string>>
  /** Keys with an edit the server has not acknowledged. */
  readonly pending: ReadonlyArray<string>
}

/** @since 0.2.0 */
export interface SimulationReport {
  readonly backend: string
  /** Every device clean and equal to the server after the quiescent rounds. */
  readonly converged: boolean
  /** Quiescent rounds (every device syncs once, in order) until the fleet converged, or the rounds tried. */
  readonly rounds: number
  readonly lost: ReadonlyArray<LostWrite>
  /** The server's live records at the end. */
  readonly server: Readonly<Record<string, string>>
  readonly devices: ReadonlyArray<DeviceReport>
  /** Syncs and writes that failed when nothing in the history explains it (a strategy that throws, …). */
  readonly errors: ReadonlyArray<string>
}

/** @since 0.2.0 */
export interface SimulationOptions {
  /** The model of the service by default. */
  readonly backend?: Backend
  /** Quiescent rounds tried before the fleet counts as not converging; 3. */
  readonly maxRounds?: number
}

const identityPoolId = 'us-east-1:00000000-0000-4000-8000-000000000001'
const identityId = 'us-east-1:00000000-0000-4000-8000-000000000002'
const datasetName = 'simulated'
/** The history's time 0, on every device clock: far behind the services' clocks, so device dates decide. */
const epoch = 1_700_000_000_000

interface Device {
  readonly index: number
  readonly name: string
  readonly strategy: Strategy
  readonly client: CognitoSyncClient
  readonly dataset: Dataset
  readonly store: ReturnType<typeof memoryStore>
  /** Runs before this device's next UpdateRecords goes out: another device's sync slipping in. */
  slipIn: (() => Promise<void>) | undefined
  /** Fires once this device's next UpdateRecords has committed: the device crashes. */
  crash: AbortController | undefined
  /** When its last ListRecords answered, on the run's sequence of events. */
  listedAt: number | undefined
}

interface Tracked extends Write {
  /** When it was made, and when the service stored it, on the run's sequence of events. */
  readonly seq: number
  acknowledged: number | undefined
}

interface Run {
  readonly service: Service
  readonly skews: ReadonlyArray<number>
  readonly devices: Device[]
  readonly writes: Tracked[]
  /**
   * What each device has seen, by event: its successful syncs, and the listings its UpdateRecords was
   * built from (the sync stored what they held before pushing, even if it then crashed).
   */
  readonly synced: Array<{ readonly device: number; readonly seq: number }>
  readonly errors: string[]
  time: number
  seq: number
  /** A lost answer is programmed and no UpdateRecords has committed since. */
  dropping: boolean
}

const clockOf = (run: Run, device: number) => (): Date => new Date(epoch + (run.time + (run.skews[device] ?? 0)) * 1000)

const statusOf = (error: unknown): unknown => (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata?.httpStatusCode

/** The service stored these patches of `device`: each that carries the device's last write of its key acknowledges it. */
const committed = (run: Run, device: number, patches: ReadonlyArray<RecordPatch>): void => {
  run.seq += 1
  for (const patch of patches) {
    const content = patch.Op === 'remove' ? null : (patch.Value ?? '')
    const last = run.writes.filter((w) => w.device === device && w.key === patch.Key).at(-1)
    if (last !== undefined && last.content === content && last.acknowledged === undefined) last.acknowledged = run.seq
  }
}

/** The device's client: the back end's, watched for commits, slipping-in writers and crashes. */
const watched = (run: Run, index: number, inner: CognitoSyncClient): CognitoSyncClient =>
  ({
    send: async (command: { readonly input: Record<string, unknown> }, options?: unknown) => {
      const send = inner.send.bind(inner) as (command: unknown, options?: unknown) => Promise<unknown>
      const patches = command.input['RecordPatches'] as ReadonlyArray<RecordPatch> | undefined
      const device = run.devices[index] as Device
      if (patches === undefined) {
        const output = await send(command, options)
        if ('LastSyncCount' in command.input) {
          run.seq += 1
          device.listedAt = run.seq
        }
        return output
      }
      if (device.listedAt !== undefined) run.synced.push({ device: index, seq: device.listedAt })
      const slipIn = device.slipIn
      device.slipIn = undefined
      if (slipIn !== undefined) await slipIn()
      let output: unknown
      try {
        output = await send(command, options)
      } catch (error) {
        // only a lost answer fails without a status after the service stored the write
        if (run.dropping && statusOf(error) === undefined) {
          run.dropping = false
          committed(run, index, patches)
        }
        throw error
      }
      committed(run, index, patches)
      const crash = device.crash
      device.crash = undefined
      if (crash !== undefined) {
        crash.abort(`${device.name} crashed`)
        throw new Error(`${device.name} crashed before reading the answer`)
      }
      return output
    },
  }) as unknown as CognitoSyncClient

const syncOf = (run: Run, device: Device, signal?: AbortSignal): Promise<E.Either<SyncError, unknown>> =>
  sync({
    client: device.client,
    identityPoolId,
    identityId,
    datasetName,
    deviceId: device.name,
    store: device.store,
    strategy: device.strategy,
    clock: clockOf(run, device.index),
    random: () => 0,
    limits: { backoffBaseMs: 1, backoffMaxMs: 1, maxRetries: 4 },
    ...(signal !== undefined && { signal }),
  })()

/** Errors that faults explain, and that lose nothing: the quiescent rounds settle what is left. */
const explained: ReadonlyArray<SyncError['_tag']> = ['RetriesExhausted', 'ConflictRoundsExhausted']

const syncStep = async (run: Run, device: Device, label: string, signal?: AbortSignal): Promise<boolean> => {
  const result = await syncOf(run, device, signal)
  if (E.isRight(result)) {
    run.seq += 1
    run.synced.push({ device: device.index, seq: run.seq })
    return true
  }
  const crashed = result.left._tag === 'Aborted' && signal?.aborted === true
  if (!crashed && !explained.includes(result.left._tag)) run.errors.push(`${label}: ${device.name}'s sync failed: ${result.left._tag}: ${result.left.message}`)
  return false
}

const program = (run: Run, step: Extract<Step, { _tag: 'Sync' }>, device: Device, controller: AbortController): void => {
  if (step.fault === 'lostAnswer') {
    run.service.dropAfterCommit()
    run.dropping = true
  }
  if (step.fault === 'throttled') run.service.failNext('ListRecords', { errorType: 'TooManyRequestsException', status: 429, count: 2 })
  if (step.fault === 'serverError') run.service.failNext('UpdateRecords', { errorType: 'InternalErrorException', status: 500 })
  if (step.fault === 'crash') device.crash = controller
  const writer = step.slipIn === undefined ? undefined : run.devices[step.slipIn]
  if (writer !== undefined) device.slipIn = () => syncStep(run, writer, `step ${showStep(step)}`).then(() => undefined)
}

const runStep = async (run: Run, step: Step, index: number): Promise<void> => {
  const device = run.devices[step.device]
  if (device === undefined) throw new RangeError(`step ${index + 1} names device ${step.device}, but the fleet has ${run.devices.length}: give simulate one strategy per device`)
  const label = `step ${index + 1}`
  if (step._tag === 'Sync') {
    const controller = new AbortController()
    program(run, step, device, controller)
    try {
      await syncStep(run, device, label, controller.signal)
    } finally {
      run.service.reset()
      run.dropping = false
      device.slipIn = undefined
      device.crash = undefined
    }
    return
  }
  run.time += step.tick
  const content = step._tag === 'Put' ? step.value : null
  const result = await (content === null ? device.dataset.remove(step.key) : device.dataset.put(step.key, content))()
  if (E.isLeft(result)) {
    run.errors.push(`${label}: ${showStep(step)} failed: ${result.left.message}`)
    return
  }
  run.seq += 1
  run.writes.push({ device: step.device, key: step.key, content, step: index, time: run.time, date: clockOf(run, step.device)(), seq: run.seq, acknowledged: undefined })
}

const orThrow = async <A>(task: () => Promise<E.Either<{ readonly message: string }, A>>): Promise<A> => {
  const result = await task()
  if (E.isLeft(result)) throw new Error(result.left.message)
  return result.right
}

interface ServerRecord {
  readonly content: Content
  readonly date: Date | undefined
}

/** Every record the server holds, tombstones included, read through a client of the back end. */
const serverRecords = async (service: Service): Promise<ReadonlyMap<string, ServerRecord>> => {
  const { ListRecordsCommand } = await import('@aws-sdk/client-cognito-sync')
  const records = new Map<string, ServerRecord>()
  let nextToken: string | undefined
  do {
    const page = await service
      .client()
      .send(new ListRecordsCommand({ IdentityPoolId: identityPoolId, IdentityId: identityId, DatasetName: datasetName, LastSyncCount: 0, MaxResults: 1024, ...(nextToken !== undefined && { NextToken: nextToken }) }))
    for (const record of page.Records ?? []) if (record.Key !== undefined) records.set(record.Key, { content: record.Value ?? null, date: record.DeviceLastModifiedDate })
    nextToken = page.NextToken
  } while (nextToken !== undefined)
  return records
}

const liveOf = (records: ReadonlyMap<string, ServerRecord>): Record<string, string> =>
  Object.fromEntries([...records].flatMap(([key, record]) => (record.content === null ? [] : [[key, record.content] as const])).sort(([a], [b]) => (a < b ? -1 : 1)))

const deviceReport = async (device: Device): Promise<DeviceReport> => {
  const entries = await orThrow(device.dataset.list())
  return {
    name: device.name,
    strategy: device.strategy.name,
    contents: Object.fromEntries(entries.map((entry) => [entry.key, entry.value])),
    pending: await orThrow(device.dataset.pendingKeys()),
  }
}

const sameContents = (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean => {
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && a[key] === b[key])
}

/** Whether `strategy`, merging `final` with `write` either way round, answers `final`'s content. */
const absorbs = async (strategy: Strategy, key: string, final: Version, write: Version): Promise<boolean> => {
  try {
    const m = merge(strategy)
    return (await m(key, final, write)).content === final.content && (await m(key, write, final)).content === final.content
  } catch {
    return false
  }
}

/** Whether `later` replaces `write` legitimately: made later, or at the same instant by a device that had seen it. */
const replaces = (run: Run, write: Tracked, later: Tracked): boolean =>
  later !== write &&
  later.key === write.key &&
  (later.time > write.time ||
    (later.time === write.time &&
      later.seq > write.seq &&
      (later.device === write.device || run.synced.some((s) => s.device === later.device && s.seq > (write.acknowledged ?? Infinity) && s.seq < later.seq))))

const lostWrites = async (run: Run, server: ReadonlyMap<string, ServerRecord>): Promise<ReadonlyArray<LostWrite>> => {
  const strategies = [...new Set(run.devices.map((device) => device.strategy))]
  const lost: LostWrite[] = []
  for (const write of run.writes) {
    if (write.acknowledged === undefined) continue
    const record = server.get(write.key)
    const final: Version = { content: record?.content ?? null, ...(record?.date && { deviceLastModifiedDate: record.date }) }
    if (final.content === write.content || run.writes.some((later) => replaces(run, write, later))) continue
    const version: Version = { content: write.content, deviceLastModifiedDate: write.date }
    const absorbed = await Promise.all(strategies.map((strategy) => absorbs(strategy, write.key, final, version)))
    if (!absorbed.some(Boolean)) {
      const { seq: _seq, acknowledged: _acknowledged, ...plain } = write
      lost.push({ write: plain, final: final.content })
    }
  }
  return lost
}

/**
 * Runs `history` on a fleet, device `i` with `fleet[i]`, against `options.backend` (the in-process
 * model by default), then quiescent rounds; answers the report. Rejects only when the history names a
 * device the fleet does not have.
 *
 * @example
 * import { simulate } from 'cognito-reconcile/testkit'
 * import { lastWriterWins } from 'cognito-reconcile/strategies'
 * const report = await simulate([lastWriterWins, lastWriterWins], {
 *   skews: [0, 0],
 *   steps: [
 *     { _tag: 'Put', device: 0, key: 'score', value: '10', tick: 1 },
 *     { _tag: 'Put', device: 1, key: 'score', value: '20', tick: 1 },
 *     { _tag: 'Sync', device: 1, fault: 'lostAnswer' },
 *     { _tag: 'Sync', device: 0, fault: 'none' },
 *   ],
 * })
 * assert.strictEqual(report.converged, true)
 * assert.deepStrictEqual(report.server, { score: '20' })
 * assert.deepStrictEqual(report.lost, [])
 *
 * @since 0.2.0
 */
export const simulate = async (fleet: ReadonlyArray<Strategy>, history: History, options: SimulationOptions = {}): Promise<SimulationReport> => {
  const backend = options.backend ?? modelBackend
  const service = await backend.start()
  try {
    const run: Run = { service, skews: history.skews, devices: [], writes: [], synced: [], errors: [], time: 0, seq: 0, dropping: false }
    fleet.forEach((strategy, index) => {
      const store = memoryStore()
      const dataset = openDataset(store, datasetName, { clock: clockOf(run, index) })
      if (E.isLeft(dataset)) throw new Error(dataset.left.message)
      run.devices.push({ index, name: deviceName(index), strategy, client: watched(run, index, service.client()), dataset: dataset.right, store, slipIn: undefined, crash: undefined, listedAt: undefined })
    })
    for (const [index, step] of history.steps.entries()) await runStep(run, step, index)
    const maxRounds = Math.max(1, options.maxRounds ?? 3)
    let rounds = 0
    let converged = false
    let server: ReadonlyMap<string, ServerRecord> = new Map()
    let devices: ReadonlyArray<DeviceReport> = []
    while (!converged && rounds < maxRounds) {
      rounds += 1
      let clean = true
      for (const device of run.devices) clean = (await syncStep(run, device, `quiescent round ${rounds}`)) && clean
      server = await serverRecords(service)
      devices = await Promise.all(run.devices.map(deviceReport))
      const live = liveOf(server)
      converged = clean && devices.every((device) => device.pending.length === 0 && sameContents(device.contents, live))
    }
    return { backend: backend.name, converged, rounds, lost: await lostWrites(run, server), server: liveOf(server), devices, errors: run.errors }
  } finally {
    await service.close()
  }
}
