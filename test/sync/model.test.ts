/**
 * Model-based test: three devices make random edits and syncs, some at once in an order a fast-check
 * scheduler picks (down to each HTTP call), under random faults. Afterwards, once every device has
 * synced twice with no faults, all devices and the server agree, and no acknowledged write is lost
 * (a sync aborted by its AbortSignal, before it starts or with a call in flight, is one such fault).
 * Most values are unique (`device:n`); some devices write the same value (`shared`), so that an edit
 * listed back with its own content joins the stored version instead of competing (the equal-content
 * rules). With unique values, under lastWriterWins each key holds the greatest of the writes made to
 * it, by (device date, then content), or is deleted if that greatest write was a delete; with shared
 * ones, a write greater than what the key holds must share its value with another write of the key
 * (it joined that version), or have been replaced by a later write of the key on its own device.
 *
 * Device clocks sit far behind the emulator's (2001 against now), each with its own skew and many
 * ties, so the device dates decide and the test knows them exactly.
 *
 * FC_NUM_RUNS raises the number of runs (12 by default).
 */
import type { CognitoSyncClient } from '@aws-sdk/client-cognito-sync'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { describe, expect, it } from 'vitest'
import { DatasetName, type LocalState, put, remove } from '../../src/index.js'
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js'
import { type LocalStore, type SyncError, memoryStore, sync } from '../../src/sync/index.js'
import { lastWriterWins } from '../../strategies/index.js'
import { expectReach, reach, shortfalls } from '../reach.js'
import { alice, datasetName, dirtyKeys, pool, sdkClient } from './harness.js'

const numRuns = Number(process.env.FC_NUM_RUNS ?? 12)
const deviceNames = ['A', 'B', 'C'] as const
type DeviceName = (typeof deviceNames)[number]
const keys = ['k0', 'k1', 'k2'] as const
const skews: Record<DeviceName, number> = { A: 0, B: -2, C: -5 }
const name = pipe(DatasetName.decode(datasetName), E.getOrElseW(() => expect.fail('dataset name')))

/** Errors a sync may answer under faults; any other is a bug. None loses a local change. */
const tolerated: ReadonlyArray<SyncError['_tag']> = ['RetriesExhausted', 'ConflictRoundsExhausted', 'Aborted']

/** The sync's AbortSignal fires before it starts, or as its first ListRecords or UpdateRecords goes out. */
type Abort = 'abortBefore' | 'abortListRecords' | 'abortUpdateRecords'
type Fault = 'none' | 'drop' | 'updateServerError' | 'listThrottled' | 'listOutage' | Abort

interface Write {
  readonly device: DeviceName
  readonly content: string | null
  readonly date: number
  /**
   * An edit back to the content it started from: the core drops it at the next sync, so it outranks
   * nothing, but it replaces the device's earlier writes of the key.
   */
  readonly noOp?: true
}

/** Values several devices write, so that equal values meet. */
const sharedValues = ['same'] as const
type Shared = (typeof sharedValues)[number]

/** The model: every acknowledged write, by key. */
interface Model {
  readonly writes: Map<string, Array<Write>>
}

interface Device {
  readonly name: DeviceName
  readonly client: CognitoSyncClient
  readonly store: LocalStore
  /** The scheduler that gates this device's HTTP calls, during a concurrent step. */
  gate: fc.Scheduler | undefined
  /** Aborts this device's sync as its first call of `command` goes out. */
  abort: { readonly controller: AbortController; readonly command: string } | undefined
}

interface Real {
  readonly emulator: EmulatorHandle
  /** Orders the starts and HTTP calls of concurrent steps. */
  readonly scheduler: fc.Scheduler
  readonly devices: Record<DeviceName, Device>
  time: number
  seq: number
}

const clockOf = (real: Real, device: DeviceName) => () => new Date(real.time + skews[device])

const injectFault = (emulator: EmulatorHandle, fault: Fault): void => {
  if (fault === 'drop') emulator.faults.dropAfterCommit()
  if (fault === 'updateServerError') emulator.faults.failNext('UpdateRecords', { errorType: 'InternalErrorException' })
  if (fault === 'listThrottled') emulator.faults.failNext('ListRecords', { errorType: 'TooManyRequestsException', count: 2 })
  if (fault === 'listOutage') emulator.faults.failNext('ListRecords', { errorType: 'ServiceUnavailable', status: 503, count: 20 })
}

const runSync = async (real: Real, device: DeviceName, fault: Fault = 'none'): Promise<E.Either<SyncError, unknown>> => {
  const controller = new AbortController()
  if (fault === 'abortBefore') controller.abort('model')
  const command = fault === 'abortListRecords' ? 'ListRecordsCommand' : fault === 'abortUpdateRecords' ? 'UpdateRecordsCommand' : undefined
  real.devices[device].abort = command === undefined ? undefined : { controller, command }
  return sync({
    client: real.devices[device].client,
    identityPoolId: pool,
    identityId: alice,
    datasetName,
    deviceId: device,
    store: real.devices[device].store,
    strategy: lastWriterWins,
    clock: clockOf(real, device),
    random: () => 0.5,
    limits: { backoffBaseMs: 1, backoffMaxMs: 4, maxRetries: 4 },
    signal: controller.signal,
  })()
}

const syncTolerant = async (real: Real, device: DeviceName, fault: Fault = 'none'): Promise<void> => {
  const result = await runSync(real, device, fault)
  if (E.isLeft(result) && !tolerated.includes(result.left._tag)) throw new Error(`sync of ${device} failed: ${result.left.message}`)
}

/** A write through the store, answering the date the core stamped it with, read in the same modify. */
const write = async (model: Model, real: Real, device: DeviceName, key: string, deleting: boolean, shared?: Shared): Promise<void> => {
  real.seq += 1
  const content: string | null = deleting ? null : (shared ?? `${device}:${real.seq}`)
  const now = clockOf(real, device)()
  const result = await real.devices[device].store.modify(name, (state: LocalState) =>
    // A delete of a key this device has no server value for counts as a write only if a put of it, sent
    // with an UpdateRecords whose answer was lost, had landed: the model cannot tell, so such deletes
    // are not made here (faults.test.ts pins that the core keeps them).
    content === null && (state.records.get(key)?.server?.content ?? null) === null
      ? E.right([undefined, state] as const)
      : pipe(
      content === null ? remove(key, now)(state) : put(key, content, now)(state),
      E.map((next) => {
        const record = next.records.get(key)
        // The core drops an edit back to its base (a delete of a key this device sees as absent) at the next
        // sync: it outranks nothing, but it replaces what this device wrote before.
        const noOp = record?.pending === undefined || record.pending.content === (record.server?.content ?? null)
        return [{ date: record?.pending?.deviceLastModifiedDate.getTime() ?? now.getTime(), noOp }, next] as const
      }),
    ),
  )()
  if (E.isLeft(result)) throw new Error(`write failed: ${result.left.message}`)
  if (result.right === undefined) return
  const writes = model.writes.get(key) ?? []
  writes.push({ device, content, date: result.right.date, ...(result.right.noOp && { noOp: true as const }) })
  model.writes.set(key, writes)
}

class WriteCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly device: DeviceName,
    readonly key: string,
    readonly deleting: boolean,
    readonly tick: number,
    readonly shared?: Shared,
  ) {}
  check(): boolean {
    return true
  }
  async run(model: Model, real: Real): Promise<void> {
    real.time += this.tick
    await write(model, real, this.device, this.key, this.deleting, this.shared)
  }
  toString(): string {
    return `${this.deleting ? 'remove' : 'put'}(${this.device}, ${this.key}${this.shared === undefined ? '' : `, ${this.shared}`}, +${this.tick})`
  }
}

class SyncCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly device: DeviceName,
    readonly fault: Fault,
  ) {}
  check(): boolean {
    return true
  }
  async run(_model: Model, real: Real): Promise<void> {
    injectFault(real.emulator, this.fault)
    try {
      await syncTolerant(real, this.device, this.fault)
    } finally {
      real.emulator.faults.reset()
    }
  }
  toString(): string {
    return `sync(${this.device}, ${this.fault})`
  }
}

type Action = { readonly _tag: 'sync'; readonly device: DeviceName } | { readonly _tag: 'write'; readonly device: DeviceName; readonly key: string; readonly shared?: Shared | undefined }

/** Syncs and writes at once; the scheduler orders their starts and every HTTP call each makes. */
class ConcurrentCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly actions: ReadonlyArray<Action>,
    readonly fault: Fault,
  ) {}
  check(): boolean {
    return true
  }
  async run(model: Model, real: Real): Promise<void> {
    const s = real.scheduler
    injectFault(real.emulator, this.fault)
    for (const device of deviceNames) real.devices[device].gate = s
    try {
      const all = Promise.all(
        this.actions.map((action) =>
          s.schedule(Promise.resolve(), `${action._tag} ${action.device}`).then(() =>
            action._tag === 'sync' ? syncTolerant(real, action.device) : ((real.time += 1), write(model, real, action.device, action.key, false, action.shared)),
          ),
        ),
      )
      await s.waitFor(all)
    } finally {
      for (const device of deviceNames) real.devices[device].gate = undefined
      real.emulator.faults.reset()
    }
  }
  toString(): string {
    return `concurrently(${this.fault}: ${this.actions.map((a) => (a._tag === 'sync' ? `sync ${a.device}` : `put ${a.device} ${a.key}${a.shared === undefined ? '' : ` ${a.shared}`}`)).join(', ')})`
  }
}

const device = fc.constantFrom(...deviceNames)
const key = fc.constantFrom(...keys)
const fault = fc.constantFrom<Fault>('none', 'none', 'drop', 'updateServerError', 'listThrottled', 'listOutage')
const syncFault = fc.oneof(fault, fc.constantFrom<Fault>('abortBefore', 'abortListRecords', 'abortUpdateRecords', 'abortUpdateRecords'))
/** A value several devices write, half the time; a unique one otherwise. */
const sharedValue: fc.Arbitrary<Shared | undefined> = fc.option(fc.constantFrom(...sharedValues), { nil: undefined, freq: 2 })

const actionWith = (shared: fc.Arbitrary<Shared | undefined>): fc.Arbitrary<Action> =>
  fc.oneof(
    device.map((d) => ({ _tag: 'sync' as const, device: d })),
    fc.record({ _tag: fc.constant('write' as const), device, key, shared }, { requiredKeys: ['_tag', 'device', 'key'] }),
  )

/** The commands, with writes of a shared value (or none, for the reach test's narrowed generator). */
const commandsWith = (shared: fc.Arbitrary<Shared | undefined>) =>
  fc.commands(
    [
      fc.tuple(device, key, fc.boolean(), fc.constantFrom(0, 0, 1, 3), shared).map(([d, k, r, t, v]) => new WriteCommand(d, k, r, t, v)),
      fc.tuple(device, syncFault).map(([d, f]) => new SyncCommand(d, f)),
      fc.tuple(fc.array(actionWith(shared), { minLength: 2, maxLength: 4 }), fault).map(([a, f]) => new ConcurrentCommand(a, f)),
    ],
    { maxCommands: 16, size: 'medium' },
  )
const commands = commandsWith(sharedValue)

/**
 * What a run's writes can meet: one value written to a key by two devices (an edit may then be listed
 * back with its own value), and a delete of a key by one device with a put of it by another (a
 * tombstone conflict, when both are offline edits).
 */
const reachOf = (cmds: Iterable<fc.AsyncCommand<Model, Real>>): ReadonlyArray<string> => {
  // fast-check hands the commands over wrapped, each as `cmd`
  const writes = [...cmds]
    .map((wrapped) => (wrapped as unknown as { readonly cmd: unknown }).cmd)
    .flatMap((command): ReadonlyArray<{ readonly device: DeviceName; readonly key: string; readonly deleting: boolean; readonly shared?: Shared | undefined }> =>
      command instanceof WriteCommand
        ? [command]
        : command instanceof ConcurrentCommand
          ? command.actions.flatMap((action) => (action._tag === 'write' ? [{ ...action, deleting: false }] : []))
          : [],
    )
  return keys.flatMap((k) => {
    const ofKey = writes.filter((w) => w.key === k)
    const devicesWriting = (value: Shared) => new Set(ofKey.filter((w) => !w.deleting && w.shared === value).map((w) => w.device)).size
    return [
      ...(sharedValues.some((value) => devicesWriting(value) >= 2) ? ['one value on two devices'] : []),
      ...(ofKey.some((a) => a.deleting && ofKey.some((b) => !b.deleting && b.device !== a.device)) ? ['a delete and a put on two devices'] : []),
    ]
  })
}
const modelReach = { 'one value on two devices': 20, 'a delete and a put on two devices': 35 }

/** contentOrd, as lastWriterWins breaks ties: a value beats a delete, then code-unit order. */
const compareContent = (a: string | null, b: string | null): number => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1)

const compareWrites = (a: Write, b: Write): number => a.date - b.date || compareContent(a.content, b.content)

/**
 * The writes lost, with shared values: for each key, the writes greater than every write of the value
 * the server holds (all of them when it holds nothing) that share their value with no other write of
 * the key and were not replaced by a later write of the key on their device (an edit back to its base
 * included, which itself counts for nothing else).
 */
const lost = (model: Model, held: ReadonlyMap<string, string | null>): ReadonlyArray<string> =>
  [...model.writes].flatMap(([key, writes]) =>
    writes.flatMap((w, i) => {
      const counted = writes.filter((other) => other.noOp === undefined)
      const holding = counted.filter((other) => held.has(key) && other.content === held.get(key))
      const outranks = holding.every((version) => compareWrites(w, version) > 0)
      const joinable = counted.some((other) => other !== w && other.content === w.content)
      const replaced = writes.slice(i + 1).some((later) => later.device === w.device)
      return w.noOp === undefined && outranks && !joinable && !replaced ? [`${key}: ${w.device} wrote ${JSON.stringify(w.content)} at ${w.date}`] : []
    }),
  )

const survivors = (model: Model): Record<string, string> => {
  const expected: Record<string, string> = {}
  for (const [key, writes] of model.writes) {
    const last = writes.reduce((best, w) => (w.date > best.date || (w.date === best.date && compareContent(w.content, best.content) > 0) ? w : best))
    if (last.content !== null) expected[key] = last.content
  }
  return expected
}

const contentsOf = async (store: LocalStore): Promise<{ live: Record<string, string>; dirty: ReadonlyArray<string> }> => {
  const state = await store.read(name)()
  if (E.isLeft(state)) throw new Error(state.left.message)
  const live: Record<string, string> = {}
  for (const record of state.right.records.values()) {
    const content = record.pending !== undefined ? record.pending.content : (record.server?.content ?? null)
    if (content !== null) live[record.key] = content
  }
  return { live, dirty: dirtyKeys(state.right) }
}

const setup = async (scheduler: fc.Scheduler): Promise<Real> => {
  const emulator = await startEmulator()
  const make = (deviceName: DeviceName): Device => {
    const client = sdkClient(emulator.endpoint)
    const made: Device = { name: deviceName, client, store: memoryStore(), gate: undefined, abort: undefined }
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const abort = made.abort
        if (abort !== undefined && abort.command === context.commandName) {
          made.abort = undefined
          // the call goes out, and is cut off while in flight: the server may or may not have it
          const answer = next(args)
          abort.controller.abort('model')
          return answer
        }
        const gate = made.gate
        if (gate === undefined) return next(args)
        // Both ends of the call are scheduled, so other steps can land while it is in flight.
        await gate.schedule(Promise.resolve(), `${deviceName} sends ${context.commandName}`)
        const answer = next(args)
        // a failure may land before the scheduler releases it: mark it handled now, the scheduled copy
        // still delivers it to the sync, and nothing is reported as an unhandled rejection
        answer.catch(() => undefined)
        return gate.schedule(answer, `${deviceName} receives ${context.commandName}`)
      },
      { step: 'initialize', name: 'schedulerGate' },
    )
    return made
  }
  return { emulator, scheduler, devices: { A: make('A'), B: make('B'), C: make('C') }, time: 1_000_000_000_000, seq: 0 }
}

const teardown = async (real: Real): Promise<void> => {
  for (const d of deviceNames) real.devices[d].client.destroy()
  await real.emulator.close()
}

describe('three devices, random edits, syncs and faults', () => {
  it('converge, and the greatest write of every key survives', async () => {
    await fc.assert(
      fc.asyncProperty(commands, fc.scheduler(), async (cmds, scheduler) => {
        const model: Model = { writes: new Map() }
        let real: Real | undefined
        try {
          await fc.asyncModelRun(async () => {
            real = await setup(scheduler)
            return { model, real }
          }, cmds)
          if (real === undefined) throw new Error('no setup')
          const world = real
          for (let pass = 0; pass < 2; pass++)
            for (const d of deviceNames) {
              const result = await runSync(world, d)
              if (E.isLeft(result)) throw new Error(`final sync of ${d} failed: ${result.left.message}`)
            }
          const stored = world.emulator.snapshot().pools[0]?.identities[0]?.datasets[0]?.records ?? []
          const server = Object.fromEntries(stored.flatMap((r) => (r.value === null ? [] : [[r.key, r.value]])))
          const writes = [...model.writes.values()].flat()
          const values = writes.map((w) => w.content)
          if (new Set(values).size === values.length && writes.every((w) => w.noOp === undefined)) expect(server).toEqual(survivors(model))
          else expect(lost(model, new Map(stored.map((r) => [r.key, r.value])))).toEqual([])
          for (const d of deviceNames) expect(await contentsOf(world.devices[d].store)).toEqual({ live: server, dirty: [] })
        } finally {
          if (real !== undefined) await teardown(real)
        }
      }),
      { numRuns },
    )
  })
})

describe('the oracle with shared values', () => {
  const w = (device: DeviceName, content: string | null, date: number): Write => ({ device, content, date })
  it('finds a greater write the server does not hold, unless its value is shared or its device replaced it', () => {
    const model: Model = { writes: new Map([['k0', [w('A', 'A:1', 5), w('B', 'B:2', 7), w('C', 'same', 9)]]]) }
    expect(lost(model, new Map([['k0', 'A:1']]))).toEqual(['k0: B wrote "B:2" at 7', 'k0: C wrote "same" at 9'])
    expect(lost(model, new Map([['k0', 'same']]))).toEqual([])
    const shared: Model = { writes: new Map([['k0', [w('A', 'same', 5), w('B', 'B:2', 3), w('C', 'same', 9)]]]) }
    expect(lost(shared, new Map([['k0', 'same']]))).toEqual([]) // C's edit joined A's version, dated 5
    const replaced: Model = { writes: new Map([['k0', [w('A', 'z', 5), w('A', 'a', 5)]]]) }
    expect(lost(replaced, new Map([['k0', 'a']]))).toEqual([])
    expect(lost(replaced, new Map())).toEqual(['k0: A wrote "a" at 5'])
  })
  it('counts an edit back to its base as replacing the earlier writes of its device, and for nothing else', () => {
    // A synced "same", wrote "A:2", then "same" again before syncing: the core drops the last edit and the
    // server keeps "same", A's own latest word; A:2 was replaced, not lost (seed -2024854242 found this)
    const backToBase: Write = { ...w('A', 'same', 3), noOp: true }
    const reverted: Model = { writes: new Map([['k1', [w('A', 'same', 1), w('A', 'A:2', 2), backToBase]]]) }
    expect(lost(reverted, new Map([['k1', 'same']]))).toEqual([])
    // without it, A:2 is lost; and the edit back to base is never a version that outranks or is owed
    expect(lost({ writes: new Map([['k1', [w('A', 'same', 1), w('A', 'A:2', 2)]]]) }, new Map([['k1', 'same']]))).toEqual(['k1: A wrote "A:2" at 2'])
    const laterWriter: Model = { writes: new Map([['k1', [w('A', 'same', 1), w('B', 'B:5', 5), { ...w('A', 'same', 6), noOp: true }]]]) }
    expect(lost(laterWriter, new Map([['k1', 'B:5']]))).toEqual([])
    expect(lost(laterWriter, new Map([['k1', 'same']]))).toEqual(['k1: B wrote "B:5" at 5'])
  })
})

describe('the generator of the model test', () => {
  it('writes one value on two devices, and deletes a key another device puts', () => {
    expectReach(reach(commands, reachOf), modelReach)
  })

  it('fails the reach test when every value is unique', () => {
    expect(shortfalls(reach(commandsWith(fc.constant(undefined)), reachOf), modelReach)).toEqual([expect.stringMatching(/^one value on two devices: 0% < /)])
  })
})
