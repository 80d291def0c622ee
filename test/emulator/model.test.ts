/**
 * Model-based test: random command sequences run against the emulator (through the real SDK) and
 * against a small reference model of the sync semantics, written from the protocol notes and not
 * from the emulator code:
 * - a dataset has a count; each successful update raises it by one and every written record takes it;
 * - a patch must carry the record's current count (0 when absent), else the whole call fails with
 *   "Current SyncCount for: K is: N not: M" and nothing changes;
 * - remove leaves a record without value;
 * - listing from `since` returns the records with a count above it, refuses a `since` above the count
 *   of an existing dataset, and reports a delete to callers that synced (since > 0) before it;
 * - after a delete the count continues from the deleted dataset's count.
 */
import {
  DeleteDatasetCommand,
  InvalidParameterException,
  ResourceConflictException,
  ResourceNotFoundException,
  UpdateRecordsCommand,
  type CognitoSyncClient,
} from '@aws-sdk/client-cognito-sync'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { startEmulator } from '../../src/emulator/index.js'
import { alice, failure, list, manualClock, pool, sdkClient } from './harness.js'

const numRuns = Number(process.env['FC_NUM_RUNS'] ?? 40)

interface ModelRecord {
  readonly value: string | undefined
  readonly count: number
}

interface Model {
  readonly datasets: Map<string, { count: number; records: Map<string, ModelRecord> }>
  readonly deletedAt: Map<string, number>
}

interface Real {
  readonly client: CognitoSyncClient
}

type Command = fc.AsyncCommand<Model, Real>

const ids = (DatasetName: string) => ({ IdentityPoolId: pool, IdentityId: alice, DatasetName })

const listAll = async (client: CognitoSyncClient, dataset: string, since: number) => {
  const first = await list(client, dataset, { LastSyncCount: since, MaxResults: 2 })
  const records = [...(first.Records ?? [])]
  for (let token = first.NextToken; token !== undefined; ) {
    const page = await list(client, dataset, { LastSyncCount: since, MaxResults: 2, NextToken: token })
    records.push(...(page.Records ?? []))
    token = page.NextToken
  }
  return { first, records: records.map((r) => [r.Key, r.Value, r.SyncCount]) }
}

interface PatchPlan {
  readonly key: string
  readonly value: string | undefined
  /** 0 sends the record's current count; n > 0 sends a count n away from it. */
  readonly skew: number
}

class Update implements Command {
  constructor(
    readonly dataset: string,
    readonly patches: readonly PatchPlan[],
  ) {}
  check = () => true
  async run(m: Model, r: Real) {
    const d = m.datasets.get(this.dataset)
    const current = (key: string) => d?.records.get(key)?.count ?? 0
    const sent = this.patches.map((p) => ({ ...p, syncCount: p.skew === 0 ? current(p.key) : current(p.key) + p.skew }))
    const { SyncSessionToken } = await list(r.client, this.dataset)
    const call = () =>
      r.client.send(
        new UpdateRecordsCommand({
          ...ids(this.dataset),
          SyncSessionToken,
          RecordPatches: sent.map((p) => ({
            Op: p.value === undefined ? 'remove' : 'replace',
            Key: p.key,
            ...(p.value === undefined ? {} : { Value: p.value }),
            SyncCount: p.syncCount,
          })),
        }),
      )
    const stale = sent.find((p) => p.syncCount !== current(p.key))
    if (stale !== undefined) {
      const e = await failure(call)
      expect(e).toBeInstanceOf(ResourceConflictException)
      expect(e.message).toBe(`Current SyncCount for: ${stale.key} is: ${current(stale.key)} not: ${stale.syncCount}`)
      return
    }
    const out = await call()
    const count = (d?.count ?? m.deletedAt.get(this.dataset) ?? 0) + 1
    expect(out.Records?.map((x) => [x.Key, x.Value, x.SyncCount])).toEqual(sent.map((p) => [p.key, p.value, count]))
    const next = d ?? { count, records: new Map<string, ModelRecord>() }
    next.count = count
    for (const p of sent) next.records.set(p.key, { value: p.value, count })
    m.datasets.set(this.dataset, next)
  }
  toString = () => `Update(${this.dataset}, ${JSON.stringify(this.patches)})`
}

class List implements Command {
  constructor(
    readonly dataset: string,
    /** Where to list from: the model's count plus this offset, floored at 0. */
    readonly offset: number,
  ) {}
  check = () => true
  async run(m: Model, r: Real) {
    const d = m.datasets.get(this.dataset)
    const since = Math.max(0, (d?.count ?? m.deletedAt.get(this.dataset) ?? 0) + this.offset)
    const marker = m.deletedAt.get(this.dataset)
    const deletedAfter = marker !== undefined && since > 0 && since <= marker
    if (d !== undefined && !deletedAfter && since > d.count) {
      const e = await failure(() => list(r.client, this.dataset, { LastSyncCount: since }))
      expect(e).toBeInstanceOf(InvalidParameterException)
      expect(e.message).toBe(`No such SyncCount: ${since} exists for this Dataset`)
      return
    }
    const { first, records } = await listAll(r.client, this.dataset, since)
    const expected = [...(d?.records ?? new Map<string, ModelRecord>())]
      .filter(([, rec]) => rec.count > since)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, rec]) => [key, rec.value, rec.count])
    expect(records).toEqual(expected)
    expect(first).toMatchObject({
      DatasetSyncCount: d?.count ?? 0,
      DatasetExists: d !== undefined,
      DatasetDeletedAfterRequestedSyncCount: deletedAfter,
    })
  }
  toString = () => `List(${this.dataset}, ${this.offset})`
}

class Delete implements Command {
  constructor(readonly dataset: string) {}
  check = () => true
  async run(m: Model, r: Real) {
    const d = m.datasets.get(this.dataset)
    const call = () => r.client.send(new DeleteDatasetCommand(ids(this.dataset)))
    if (d === undefined) {
      expect(await failure(call)).toBeInstanceOf(ResourceNotFoundException)
      return
    }
    expect((await call()).Dataset?.DatasetName).toBe(this.dataset)
    m.datasets.delete(this.dataset)
    m.deletedAt.set(this.dataset, d.count)
  }
  toString = () => `Delete(${this.dataset})`
}

const datasetArb = fc.constantFrom('alpha', 'beta')
const patchArb = fc.record({
  key: fc.constantFrom('k1', 'k2', 'k3', '__proto__'),
  value: fc.option(fc.constantFrom('', 'x', 'y', 'ünï'), { nil: undefined }),
  skew: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 }) }),
})
const commands = [
  fc
    .tuple(datasetArb, fc.uniqueArray(patchArb, { selector: (p) => p.key, minLength: 1, maxLength: 3 }))
    .map(([d, ps]) => new Update(d, ps)),
  fc.tuple(datasetArb, fc.integer({ min: -3, max: 1 })).map(([d, o]) => new List(d, o)),
  datasetArb.map((d) => new Delete(d)),
]

describe('model-based', () => {
  it('the emulator agrees with the reference model of ListRecords, UpdateRecords and DeleteDataset', async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 30 }), async (cmds) => {
        const emulator = await startEmulator({ clock: manualClock() })
        const client = sdkClient(emulator.endpoint)
        try {
          await fc.asyncModelRun(() => ({ model: { datasets: new Map(), deletedAt: new Map() }, real: { client } }), cmds)
        } finally {
          client.destroy()
          await emulator.close()
        }
      }),
      { numRuns },
    )
  })
})
