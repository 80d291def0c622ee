/**
 * Every listing in UTF-16 code-unit order whatever the order things were written in, checked with
 * several elements written out of order (one element is in order whatever the code does): records,
 * datasets, merged dataset names and pools.
 */
import { ListDatasetsCommand, ListIdentityPoolUsageCommand } from '@aws-sdk/client-cognito-sync'
import { describe, expect, it } from 'vitest'
import { alice, bob, list, pool, put, useEmulator, write } from './harness.js'

const carol = 'us-east-1:cccccccc-cccc-cccc-cccc-cccccccccccc'
/** Pools whose ids sort the other way round from the order they are first written in. */
const pools = ['us-east-1:33333333-3333-3333-3333-333333333333', 'us-east-1:22222222-2222-2222-2222-222222222222', pool]

describe('listing order', () => {
  const ctx = useEmulator()

  it('ListRecords: keys in code-unit order (B < _ < a < é), for a full listing, a delta and every page', async () => {
    await write(ctx.client, 'd', [put('é', '1'), put('a', '1'), put('_', '1')])
    await write(ctx.client, 'd', [put('B', '2'), put('a', '2', 1)])
    expect((await list(ctx.client, 'd')).Records?.map((r) => r.Key)).toEqual(['B', '_', 'a', 'é'])
    expect((await list(ctx.client, 'd', { LastSyncCount: 1 })).Records?.map((r) => [r.Key, r.Value])).toEqual([
      ['B', '2'],
      ['a', '2'],
    ])
    const first = await list(ctx.client, 'd', { MaxResults: 3 })
    expect(first.Records?.map((r) => r.Key)).toEqual(['B', '_', 'a'])
    expect((await list(ctx.client, 'd', { MaxResults: 3, NextToken: first.NextToken ?? '' })).Records?.map((r) => r.Key)).toEqual(['é'])
  })

  it('ListDatasets: names in code-unit order', async () => {
    for (const name of ['c', 'a', 'B', '_']) await write(ctx.client, name, [put('k', 'v')])
    const out = await ctx.client.send(new ListDatasetsCommand({ IdentityPoolId: pool, IdentityId: alice }))
    expect(out.Datasets?.map((d) => d.DatasetName)).toEqual(['B', '_', 'a', 'c'])
  })

  it("MergedDatasetNames: every dataset merged into this name, in order, and none merged into another's", async () => {
    await write(ctx.client, 'profile', [put('k', 'a')])
    for (const from of [carol, bob]) {
      await write(ctx.client, 'profile', [put('k', from)], from)
      await write(ctx.client, 'other', [put('k', from)], from)
      ctx.emulator.linkIdentity({ identityPoolId: pool, fromIdentityId: from, toIdentityId: alice })
    }
    expect((await list(ctx.client, 'profile')).MergedDatasetNames).toEqual([`profile.${bob}`, `profile.${carol}`])
    expect((await list(ctx.client, 'other')).MergedDatasetNames).toEqual([`other.${bob}`, `other.${carol}`])
  })

  it('ListIdentityPoolUsage: pools in id order, on every page', async () => {
    for (const identityPoolId of pools) await write(ctx.client, 'd', [put('k', 'v')], alice, identityPoolId)
    const all = await ctx.client.send(new ListIdentityPoolUsageCommand({}))
    expect(all.IdentityPoolUsages?.map((u) => u.IdentityPoolId)).toEqual([...pools].reverse())
    const first = await ctx.client.send(new ListIdentityPoolUsageCommand({ MaxResults: 2 }))
    const second = await ctx.client.send(new ListIdentityPoolUsageCommand({ MaxResults: 2, NextToken: first.NextToken }))
    expect([...(first.IdentityPoolUsages ?? []), ...(second.IdentityPoolUsages ?? [])].map((u) => u.IdentityPoolId)).toEqual([
      ...pools,
    ].reverse())
  })
})
