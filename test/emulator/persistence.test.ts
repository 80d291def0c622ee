/**
 * The data file: state survives a restart, and every save replaces the file by rename.
 */
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DeleteDatasetCommand, DescribeDatasetCommand, DescribeIdentityUsageCommand, ResourceNotFoundException } from '@aws-sdk/client-cognito-sync'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startEmulator } from '../../src/emulator/index.js'
import { alice, bob, failure, list, manualClock, pool, put, sdkClient, write } from './harness.js'

describe('persistence', () => {
  let dir: string
  let file: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cognito-sync-local-'))
    file = join(dir, 'state.json')
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  const session = async <A>(run: (client: ReturnType<typeof sdkClient>) => Promise<A>) => {
    const emulator = await startEmulator({ clock: manualClock(), dataFile: file })
    const client = sdkClient(emulator.endpoint)
    try {
      return { result: await run(client), snapshot: emulator.snapshot() }
    } finally {
      client.destroy()
      await emulator.close()
    }
  }

  it('keeps records, counts, deletion markers and merged datasets across a restart', async () => {
    const first = await session(async (client) => {
      await write(client, 'd', [put('__proto__', 'p'), put('k', 'v')])
      await write(client, 'gone', [put('k', 'v')])
      await client.send(new DeleteDatasetCommand({ IdentityPoolId: pool, IdentityId: alice, DatasetName: 'gone' }))
      await write(client, 'm', [put('k', 'v')], bob)
    })
    const again = await startEmulator({ clock: manualClock(), dataFile: file })
    again.linkIdentity({ identityPoolId: pool, fromIdentityId: bob, toIdentityId: alice })
    const linked = again.snapshot()
    await again.close()
    expect(linked.pools[0]?.identities.find((i) => i.identityId === alice)?.datasets.map((d) => d.datasetName)).toEqual([
      'd',
      `m.${bob}`,
    ])
    const second = await session(async (client) => {
      expect((await list(client, 'd')).Records?.map((r) => r.Key)).toEqual(['__proto__', 'k'])
      expect((await list(client, 'gone', { LastSyncCount: 1 })).DatasetDeletedAfterRequestedSyncCount).toBe(true)
      expect((await list(client, 'm')).MergedDatasetNames).toEqual([`m.${bob}`])
      return (await write(client, 'd', [put('k', 'w', 1)])).Records?.[0]?.SyncCount
    })
    expect(second.result).toBe(2)
    expect(first.snapshot.pools[0]?.identities.length).toBe(2)
  })

  it('keeps a DeleteDataset made just before the restart: the dataset gone, its marker and the identity date', async () => {
    const clock = manualClock()
    const first = await startEmulator({ clock, dataFile: file })
    const client = sdkClient(first.endpoint)
    try {
      await write(client, 'd', [put('k', 'v')])
      await write(client, 'kept', [put('k', 'v')])
      clock.advance(5000)
      // The last call before the restart: nothing else saves the state after it.
      await client.send(new DeleteDatasetCommand({ IdentityPoolId: pool, IdentityId: alice, DatasetName: 'd' }))
    } finally {
      client.destroy()
      await first.close()
    }
    await session(async (again) => {
      expect(await failure(() => again.send(new DescribeDatasetCommand({ IdentityPoolId: pool, IdentityId: alice, DatasetName: 'd' })))).toBeInstanceOf(
        ResourceNotFoundException,
      )
      expect(await list(again, 'd', { LastSyncCount: 1 })).toMatchObject({ DatasetExists: false, DatasetDeletedAfterRequestedSyncCount: true })
      const usage = await again.send(new DescribeIdentityUsageCommand({ IdentityPoolId: pool, IdentityId: alice }))
      expect(usage.IdentityUsage).toMatchObject({ DatasetCount: 1, LastModifiedDate: new Date(clock.now()) })
    })
  })

  it('replaces the file by rename and leaves no temporary file behind', async () => {
    writeFileSync(file, JSON.stringify({ version: 1, state: { pools: [] } }))
    const inode = statSync(file).ino
    await session((client) => write(client, 'd', [put('k', 'v')]))
    expect(statSync(file).ino).not.toBe(inode)
    expect(readdirSync(dir)).toEqual(['state.json'])
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ version: 1, state: { pools: [{ identityPoolId: pool }] } })
  })

  it('never writes through a planted symlink, and keeps the data file to its owner (0600)', async () => {
    const victim = join(dir, 'victim.txt')
    writeFileSync(victim, 'precious')
    // The temporary name the save used to take, predictable from the pid.
    symlinkSync(victim, `${file}.${process.pid}.tmp`)
    await session((client) => write(client, 'd', [put('k', 'v')]))
    expect(readFileSync(victim, 'utf8')).toBe('precious')
    expect(lstatSync(file).isSymbolicLink()).toBe(false)
    expect(statSync(file).mode & 0o777).toBe(0o600)
  })

  it('refuses to start on a file that is not a data file, leaving it alone', async () => {
    writeFileSync(file, '{"something":"else"}')
    await expect(startEmulator({ dataFile: file })).rejects.toThrow(/not a cognito-sync-local data file/)
    expect(readFileSync(file, 'utf8')).toBe('{"something":"else"}')
  })
})
