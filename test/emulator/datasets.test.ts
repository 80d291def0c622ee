/**
 * DescribeDataset, ListDatasets, DeleteDataset, the usage operations, merged datasets and the
 * unconfigured push/stream/event/bulk operations, through the real SDK client.
 */
import {
  BulkPublishCommand,
  DeleteDatasetCommand,
  DescribeDatasetCommand,
  DescribeIdentityPoolUsageCommand,
  DescribeIdentityUsageCommand,
  DuplicateRequestException,
  GetBulkPublishDetailsCommand,
  GetCognitoEventsCommand,
  GetIdentityPoolConfigurationCommand,
  InvalidConfigurationException,
  InvalidParameterException,
  ListDatasetsCommand,
  ListIdentityPoolUsageCommand,
  RegisterDeviceCommand,
  ResourceNotFoundException,
  SetCognitoEventsCommand,
  SetIdentityPoolConfigurationCommand,
  SubscribeToDatasetCommand,
  UnsubscribeFromDatasetCommand,
  UpdateRecordsCommand,
} from '@aws-sdk/client-cognito-sync'
import { describe, expect, it } from 'vitest'
import { startEmulator } from '../../src/emulator/index.js'
import { alice, bob, failure, list, pool, put, remove, sdkClient, startTime, useEmulator, write } from './harness.js'

const ids = (DatasetName: string, IdentityId = alice) => ({ IdentityPoolId: pool, IdentityId, DatasetName })

describe('datasets', () => {
  const ctx = useEmulator()

  it('DescribeDataset reports dates, live records and their UTF-8 size', async () => {
    await write(ctx.client, 'd', [put('a', 'é'), put('b', 'xy')])
    ctx.clock.advance(2000)
    await write(ctx.client, 'd', [remove('b', 1)])
    const { Dataset } = await ctx.client.send(new DescribeDatasetCommand(ids('d')))
    expect(Dataset).toEqual({
      IdentityId: alice,
      DatasetName: 'd',
      CreationDate: new Date(startTime),
      LastModifiedDate: new Date(startTime + 2000),
      LastModifiedBy: '123456789012',
      DataStorage: 3,
      NumRecords: 1,
    })
  })

  it('DescribeDataset and DeleteDataset answer 404 ResourceNotFoundException for a missing dataset', async () => {
    for (const command of [new DescribeDatasetCommand(ids('none')), new DeleteDatasetCommand(ids('none'))]) {
      const e = await failure(() => ctx.client.send(command as DescribeDatasetCommand))
      expect(e).toBeInstanceOf(ResourceNotFoundException)
      expect(e.$metadata?.httpStatusCode).toBe(404)
    }
  })

  it('ListDatasets pages in name order; an unknown identity has none', async () => {
    for (const name of ['c', 'a', 'b']) await write(ctx.client, name, [put('k', 'v')])
    const first = await ctx.client.send(new ListDatasetsCommand({ IdentityPoolId: pool, IdentityId: alice, MaxResults: 2 }))
    expect(first.Datasets?.map((d) => d.DatasetName)).toEqual(['a', 'b'])
    expect(first.Count).toBe(2)
    const second = await ctx.client.send(
      new ListDatasetsCommand({ IdentityPoolId: pool, IdentityId: alice, MaxResults: 2, NextToken: first.NextToken }),
    )
    expect(second.Datasets?.map((d) => d.DatasetName)).toEqual(['c'])
    expect(second.NextToken).toBeUndefined()
    const none = await ctx.client.send(new ListDatasetsCommand({ IdentityPoolId: pool, IdentityId: bob }))
    expect(none).toMatchObject({ Datasets: [], Count: 0 })
  })

  it('DeleteDataset returns the dataset and leaves a marker that ListRecords reports', async () => {
    await write(ctx.client, 'd', [put('a', '1')])
    await write(ctx.client, 'd', [put('a', '2', 1)])
    const deleted = await ctx.client.send(new DeleteDatasetCommand(ids('d')))
    expect(deleted.Dataset).toMatchObject({ DatasetName: 'd', NumRecords: 1 })
    expect(await failure(() => ctx.client.send(new DescribeDatasetCommand(ids('d'))))).toBeInstanceOf(ResourceNotFoundException)
    for (const lastSyncCount of [1, 2]) {
      expect(await list(ctx.client, 'd', { LastSyncCount: lastSyncCount })).toMatchObject({
        DatasetExists: false,
        DatasetDeletedAfterRequestedSyncCount: true,
        DatasetSyncCount: 0,
        Records: [],
      })
    }
    expect((await list(ctx.client, 'd')).DatasetDeletedAfterRequestedSyncCount).toBe(false)
  })

  it('re-creates a deleted dataset from scratch, its count continuing after the marker', async () => {
    await write(ctx.client, 'd', [put('a', '1'), put('b', '1')])
    await write(ctx.client, 'd', [put('a', '2', 1)])
    await ctx.client.send(new DeleteDatasetCommand(ids('d')))
    const re = await write(ctx.client, 'd', [put('c', '1')])
    expect(re.Records?.[0]?.SyncCount).toBe(3)
    const old = await list(ctx.client, 'd', { LastSyncCount: 2 })
    expect(old).toMatchObject({ DatasetExists: true, DatasetDeletedAfterRequestedSyncCount: true, DatasetSyncCount: 3 })
    expect(old.Records?.map((r) => r.Key)).toEqual(['c'])
    expect((await list(ctx.client, 'd', { LastSyncCount: 3 })).DatasetDeletedAfterRequestedSyncCount).toBe(false)
  })

  it("with recreatedSyncCount 'restart': counts start again at 1 and the marker is forgotten", async () => {
    const emulator = await startEmulator({ recreatedSyncCount: 'restart' })
    const client = sdkClient(emulator.endpoint)
    try {
      await write(client, 'd', [put('a', '1')])
      await write(client, 'd', [put('a', '2', 1)])
      await client.send(new DeleteDatasetCommand(ids('d')))
      expect((await list(client, 'd', { LastSyncCount: 2 })).DatasetDeletedAfterRequestedSyncCount).toBe(true)
      expect((await write(client, 'd', [put('c', '1')])).Records?.[0]?.SyncCount).toBe(1)
      expect(await list(client, 'd', { LastSyncCount: 1 })).toMatchObject({ DatasetExists: true, DatasetDeletedAfterRequestedSyncCount: false, Count: 0 })
      expect(emulator.snapshot().pools[0]?.identities[0]?.deletedDatasets).toEqual([])
    } finally {
      client.destroy()
      await emulator.close()
    }
  })

  it('an UpdateRecords without patches creates a missing dataset, empty, and changes an existing one not at all', async () => {
    const listed = await list(ctx.client, 'e')
    const empty = { IdentityPoolId: pool, IdentityId: alice, DatasetName: 'e', SyncSessionToken: listed.SyncSessionToken, RecordPatches: [] }
    expect((await ctx.client.send(new UpdateRecordsCommand(empty))).Records).toEqual([])
    expect(await list(ctx.client, 'e')).toMatchObject({ DatasetExists: true, DatasetSyncCount: 0, Count: 0 })
    expect((await ctx.client.send(new DescribeDatasetCommand(ids('e')))).Dataset).toMatchObject({ NumRecords: 0, DataStorage: 0 })
    await write(ctx.client, 'e', [put('k', 'v')])
    const before = ctx.emulator.snapshot()
    await ctx.client.send(new UpdateRecordsCommand({ ...empty, SyncSessionToken: (await list(ctx.client, 'e')).SyncSessionToken }))
    expect(ctx.emulator.snapshot()).toEqual(before)
  })

  it('reports merged datasets after an identity link, until they are deleted', async () => {
    await write(ctx.client, 'profile', [put('theme', 'dark')], bob)
    await write(ctx.client, 'profile', [put('theme', 'light')])
    expect(ctx.emulator.linkIdentity({ identityPoolId: pool, fromIdentityId: bob, toIdentityId: alice })).toEqual([
      `profile.${bob}`,
    ])
    expect((await list(ctx.client, 'profile')).MergedDatasetNames).toEqual([`profile.${bob}`])
    const merged = await list(ctx.client, `profile.${bob}`)
    expect(merged.Records?.map((r) => [r.Key, r.Value])).toEqual([['theme', 'dark']])
    const old = await list(ctx.client, 'profile', { IdentityId: bob, LastSyncCount: 1 })
    expect(old.DatasetDeletedAfterRequestedSyncCount).toBe(true)
    await ctx.client.send(new DeleteDatasetCommand(ids(`profile.${bob}`)))
    expect((await list(ctx.client, 'profile')).MergedDatasetNames).toBeUndefined()
    expect(() => ctx.emulator.linkIdentity({ identityPoolId: pool, fromIdentityId: 'bad', toIdentityId: alice })).toThrow()
  })
})

describe('usage', () => {
  const ctx = useEmulator()
  const otherPool = 'us-east-1:22222222-2222-2222-2222-222222222222'

  it('DescribeIdentityUsage counts datasets and bytes; an unknown identity is 404', async () => {
    await write(ctx.client, 'a', [put('k', 'vv')])
    ctx.clock.advance(1000)
    await write(ctx.client, 'b', [put('kk', 'v')])
    const { IdentityUsage } = await ctx.client.send(new DescribeIdentityUsageCommand({ IdentityPoolId: pool, IdentityId: alice }))
    expect(IdentityUsage).toEqual({
      IdentityId: alice,
      IdentityPoolId: pool,
      LastModifiedDate: new Date(startTime + 1000),
      DatasetCount: 2,
      DataStorage: 6,
    })
    const e = await failure(() => ctx.client.send(new DescribeIdentityUsageCommand({ IdentityPoolId: pool, IdentityId: bob })))
    expect(e).toBeInstanceOf(ResourceNotFoundException)
  })

  it('DescribeIdentityPoolUsage counts sync sessions and bytes; ListIdentityPoolUsage pages pools', async () => {
    await write(ctx.client, 'a', [put('k', 'v')])
    await write(ctx.client, 'a', [put('k', 'v')], bob)
    const { IdentityPoolUsage } = await ctx.client.send(new DescribeIdentityPoolUsageCommand({ IdentityPoolId: pool }))
    expect(IdentityPoolUsage).toEqual({
      IdentityPoolId: pool,
      SyncSessionsCount: 2,
      DataStorage: 4,
      LastModifiedDate: new Date(startTime),
    })
    const missing = await failure(() => ctx.client.send(new DescribeIdentityPoolUsageCommand({ IdentityPoolId: otherPool })))
    expect(missing).toBeInstanceOf(ResourceNotFoundException)
    await write(ctx.client, 'x', [put('k', 'v')], alice, otherPool)
    const first = await ctx.client.send(new ListIdentityPoolUsageCommand({ MaxResults: 1 }))
    expect(first).toMatchObject({ MaxResults: 1, Count: 1 })
    expect(first.IdentityPoolUsages?.map((u) => u.IdentityPoolId)).toEqual([pool])
    const second = await ctx.client.send(new ListIdentityPoolUsageCommand({ MaxResults: 1, NextToken: first.NextToken }))
    expect(second.IdentityPoolUsages?.map((u) => u.IdentityPoolId)).toEqual([otherPool])
    expect(second.NextToken).toBeUndefined()
  })
})

describe('push sync, streams, events and bulk publish', () => {
  const ctx = useEmulator()
  const device = { IdentityPoolId: pool, IdentityId: alice, DatasetName: 'd', DeviceId: 'device-1' }

  it('answer as for an unconfigured pool', async () => {
    const config = await ctx.client.send(new GetIdentityPoolConfigurationCommand({ IdentityPoolId: pool }))
    expect(config.IdentityPoolId).toBe(pool)
    expect(config.PushSync).toBeUndefined()
    expect(config.CognitoStreams).toBeUndefined()
    expect((await ctx.client.send(new GetCognitoEventsCommand({ IdentityPoolId: pool }))).Events).toEqual({})
    const register = new RegisterDeviceCommand({ IdentityPoolId: pool, IdentityId: alice, Platform: 'GCM', Token: 't' })
    for (const command of [register, new SubscribeToDatasetCommand(device), new UnsubscribeFromDatasetCommand(device)]) {
      const e = await failure(() => ctx.client.send(command as RegisterDeviceCommand))
      expect(e).toBeInstanceOf(InvalidConfigurationException)
    }
    expect(await failure(() => ctx.client.send(new BulkPublishCommand({ IdentityPoolId: pool })))).toBeInstanceOf(
      InvalidParameterException,
    )
    const details = await ctx.client.send(new GetBulkPublishDetailsCommand({ IdentityPoolId: pool }))
    expect(details.BulkPublishStatus).toBe('NOT_STARTED')
  })

  it('keep what Set* configures, and refuse bad input', async () => {
    const PushSync = { ApplicationArns: ['arn:aws:sns:us-east-1:123456789012:app/GCM/x'], RoleArn: 'arn:aws:iam::123456789012:role/r' }
    const CognitoStreams = { StreamName: 's', RoleArn: 'arn:aws:iam::123456789012:role/r', StreamingStatus: 'ENABLED' as const }
    await ctx.client.send(new SetIdentityPoolConfigurationCommand({ IdentityPoolId: pool, PushSync, CognitoStreams }))
    expect(await ctx.client.send(new GetIdentityPoolConfigurationCommand({ IdentityPoolId: pool }))).toMatchObject({
      PushSync,
      CognitoStreams,
    })
    const registered = await ctx.client.send(
      new RegisterDeviceCommand({ IdentityPoolId: pool, IdentityId: alice, Platform: 'GCM', Token: 't' }),
    )
    expect(registered.DeviceId).toMatch(/./)
    await ctx.client.send(new SubscribeToDatasetCommand(device))
    await ctx.client.send(new UnsubscribeFromDatasetCommand(device))
    const Events = { SyncTrigger: 'arn:aws:lambda:us-east-1:123456789012:function:f' }
    await ctx.client.send(new SetCognitoEventsCommand({ IdentityPoolId: pool, Events }))
    expect((await ctx.client.send(new GetCognitoEventsCommand({ IdentityPoolId: pool }))).Events).toEqual(Events)
    const two = { ...Events, Other: 'arn:x' }
    expect(await failure(() => ctx.client.send(new SetCognitoEventsCommand({ IdentityPoolId: pool, Events: two })))).toBeInstanceOf(
      InvalidParameterException,
    )
    await ctx.client.send(new BulkPublishCommand({ IdentityPoolId: pool }))
    expect((await ctx.client.send(new GetBulkPublishDetailsCommand({ IdentityPoolId: pool }))).BulkPublishStatus).toBe('SUCCEEDED')
    expect(await failure(() => ctx.client.send(new BulkPublishCommand({ IdentityPoolId: pool })))).toBeInstanceOf(
      DuplicateRequestException,
    )
    const badPlatform = new RegisterDeviceCommand({ IdentityPoolId: pool, IdentityId: alice, Platform: 'WEB' as never, Token: 't' })
    expect(await failure(() => ctx.client.send(badPlatform))).toBeInstanceOf(InvalidParameterException)
  })
})
