/**
 * The message of each error the operations raise (the status and class are asserted where each
 * operation is tested): a caller reads it to learn what is missing or not configured.
 */
import {
  DeleteDatasetCommand,
  DescribeDatasetCommand,
  DescribeIdentityPoolUsageCommand,
  DescribeIdentityUsageCommand,
  RegisterDeviceCommand,
  SubscribeToDatasetCommand,
  UnsubscribeFromDatasetCommand,
} from '@aws-sdk/client-cognito-sync'
import { describe, expect, it } from 'vitest'
import { alice, bob, failure, pool, put, useEmulator, write } from './harness.js'

const otherPool = 'us-east-1:22222222-2222-2222-2222-222222222222'

describe('error messages', () => {
  const ctx = useEmulator()
  const refusal = async (call: () => Promise<unknown>) => {
    const e = await failure(call)
    return [e.name, e.message]
  }

  it('name what does not exist: the dataset, the identity, the pool', async () => {
    await write(ctx.client, 'other', [put('k', 'v')])
    for (const Command of [DescribeDatasetCommand, DeleteDatasetCommand]) {
      // An identity with another dataset, and an identity with none.
      for (const IdentityId of [alice, bob]) {
        const input = { IdentityPoolId: pool, IdentityId, DatasetName: 'missing' }
        expect(await refusal(() => ctx.client.send(new Command(input)))).toEqual(['ResourceNotFoundException', 'Dataset missing does not exist'])
      }
    }
    expect(await refusal(() => ctx.client.send(new DescribeIdentityUsageCommand({ IdentityPoolId: pool, IdentityId: bob })))).toEqual([
      'ResourceNotFoundException',
      `Identity ${bob} does not exist`,
    ])
    expect(await refusal(() => ctx.client.send(new DescribeIdentityPoolUsageCommand({ IdentityPoolId: otherPool })))).toEqual([
      'ResourceNotFoundException',
      `Identity pool ${otherPool} does not exist`,
    ])
  })

  it('say that push sync is not configured, for each operation that needs it', async () => {
    const device = { IdentityPoolId: pool, IdentityId: alice, DatasetName: 'd', DeviceId: 'device-1' }
    const commands = [
      new RegisterDeviceCommand({ IdentityPoolId: pool, IdentityId: alice, Platform: 'ADM', Token: 't' }),
      new SubscribeToDatasetCommand(device),
      new UnsubscribeFromDatasetCommand(device),
    ]
    for (const command of commands) {
      expect(await refusal(() => ctx.client.send(command as RegisterDeviceCommand))).toEqual([
        'InvalidConfigurationException',
        'Push sync is not configured for this identity pool',
      ])
    }
  })
})
