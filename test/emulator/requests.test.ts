/**
 * Request edges of the sync operations: which label a refusal names, a repeated session token, an
 * UpdateRecords without patches on an existing dataset (a no-op, later too), and a deletion marker
 * kept when an emulator restarted with `recreatedSyncCount: 'restart'` writes a dataset it re-created
 * before, under 'continue'.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DeleteDatasetCommand, DescribeDatasetCommand, ListRecordsCommand, UpdateRecordsCommand } from '@aws-sdk/client-cognito-sync'
import { describe, expect, it } from 'vitest'
import { startEmulator } from '../../src/emulator/index.js'
import { alice, failure, list, manualClock, pool, put, sdkClient, startTime, useEmulator, write } from './harness.js'
import { datasetPath, errorOf, raw } from './raw.js'

describe('sync requests', () => {
  const ctx = useEmulator()

  it('a malformed label is refused naming it: IdentityPoolId or IdentityId', async () => {
    const cases = [
      [{ IdentityPoolId: 'us-east-1:XYZ', IdentityId: alice }, 'IdentityPoolId'],
      [{ IdentityPoolId: pool, IdentityId: 'no-colon' }, 'IdentityId'],
    ] as const
    for (const [ids, field] of cases) {
      const e = await failure(() => ctx.client.send(new ListRecordsCommand({ ...ids, DatasetName: 'd' })))
      expect([e.name, e.message]).toEqual(['InvalidParameterException', `${field} must match [\\w-]+:[0-9a-f-]+ and have 1 to 55 characters`])
    }
  })

  it('ListRecords refuses syncSessionToken given twice, as any repeated parameter', async () => {
    const r = await raw(ctx.emulator.endpoint, 'GET', `${datasetPath()}/records?syncSessionToken=a&syncSessionToken=b`)
    expect([r.status, errorOf(r).message]).toEqual([400, 'syncSessionToken must be given at most once'])
    expect((await raw(ctx.emulator.endpoint, 'GET', `${datasetPath()}/records?syncSessionToken=a`)).status).toBe(200)
  })

  it('an UpdateRecords without patches on an existing dataset answers no records and changes nothing, dates included', async () => {
    await write(ctx.client, 'd', [put('k', 'v')])
    const before = ctx.emulator.snapshot()
    ctx.clock.advance(60_000)
    const { SyncSessionToken } = await list(ctx.client, 'd')
    const out = await ctx.client.send(
      new UpdateRecordsCommand({ IdentityPoolId: pool, IdentityId: alice, DatasetName: 'd', SyncSessionToken, RecordPatches: [] }),
    )
    expect(out.Records).toEqual([])
    expect(ctx.emulator.snapshot()).toEqual(before)
    const { Dataset } = await ctx.client.send(new DescribeDatasetCommand({ IdentityPoolId: pool, IdentityId: alice, DatasetName: 'd' }))
    expect(Dataset?.LastModifiedDate).toEqual(new Date(startTime))
  })
})

describe('recreatedSyncCount over one data file', () => {
  it("'restart' forgets a marker only when it creates the dataset, not when it writes one re-created under 'continue'", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recreated-'))
    const run = async (recreatedSyncCount: 'continue' | 'restart', body: (client: ReturnType<typeof sdkClient>) => Promise<void>) => {
      const emulator = await startEmulator({ clock: manualClock(), dataFile: join(dir, 'state.json'), recreatedSyncCount })
      const client = sdkClient(emulator.endpoint)
      try {
        await body(client)
      } finally {
        client.destroy()
        await emulator.close()
      }
    }
    try {
      await run('continue', async (client) => {
        await write(client, 'd', [put('k', '1')])
        await client.send(new DeleteDatasetCommand({ IdentityPoolId: pool, IdentityId: alice, DatasetName: 'd' }))
        await write(client, 'd', [put('k', '2')])
      })
      await run('restart', async (client) => {
        await write(client, 'd', [put('k', '3', 2)])
        expect(await list(client, 'd', { LastSyncCount: 1 })).toMatchObject({ DatasetExists: true, DatasetDeletedAfterRequestedSyncCount: true })
      })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
