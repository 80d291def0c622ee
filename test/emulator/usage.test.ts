/**
 * Usage operations at scale (a pool of 200,000 identities, loaded from a data file) and for an
 * identity Cognito Identity issued that has no data yet.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DescribeIdentityPoolUsageCommand, DescribeIdentityUsageCommand, ListIdentityPoolUsageCommand, ResourceNotFoundException } from '@aws-sdk/client-cognito-sync'
import { CognitoIdentityClient, GetIdCommand } from '@aws-sdk/client-cognito-identity'
import { describe, expect, it } from 'vitest'
import { startEmulator } from '../../src/emulator/index.js'
import { failure, manualClock, pool, sdkClient } from './harness.js'

describe('usage', () => {
  it('describes and lists a pool of 200,000 identities (Math.max(...) overflowed the stack)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'usage-'))
    const file = join(dir, 'state.json')
    const identities = Array.from({ length: 200_000 }, (_, i) => ({
      identityId: `us-east-1:${i.toString(16).padStart(8, '0')}`,
      lastModifiedDate: 1_700_000_000_000 + i,
      datasets: [],
      deletedDatasets: [],
    }))
    writeFileSync(file, JSON.stringify({ version: 1, state: { pools: [{ identityPoolId: pool, identities }] } }))
    const emulator = await startEmulator({ clock: manualClock(), dataFile: file })
    const client = sdkClient(emulator.endpoint)
    try {
      const described = await client.send(new DescribeIdentityPoolUsageCommand({ IdentityPoolId: pool }))
      expect(described.IdentityPoolUsage?.LastModifiedDate).toEqual(new Date(1_700_000_000_000 + 199_999))
      const listed = await client.send(new ListIdentityPoolUsageCommand({}))
      expect(listed.IdentityPoolUsages?.map((u) => u.IdentityPoolId)).toEqual([pool])
    } finally {
      client.destroy()
      await emulator.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('DescribeIdentityUsage: zeros for an identity GetId issued, 404 for one never seen', async () => {
    const emulator = await startEmulator({ clock: manualClock(), identityPools: [{ identityPoolId: pool }] })
    const identity = new CognitoIdentityClient({ region: 'us-east-1', endpoint: emulator.endpoint, maxAttempts: 1 })
    const client = sdkClient(emulator.endpoint)
    try {
      const { IdentityId } = await identity.send(new GetIdCommand({ IdentityPoolId: pool }))
      const usage = await client.send(new DescribeIdentityUsageCommand({ IdentityPoolId: pool, IdentityId }))
      expect(usage.IdentityUsage).toEqual({ IdentityId, IdentityPoolId: pool, DatasetCount: 0, DataStorage: 0 })
      const unknown = failure(() => client.send(new DescribeIdentityUsageCommand({ IdentityPoolId: pool, IdentityId: 'us-east-1:0000' })))
      expect(await unknown).toBeInstanceOf(ResourceNotFoundException)
    } finally {
      identity.destroy()
      client.destroy()
      await emulator.close()
    }
  })
})
