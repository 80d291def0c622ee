/**
 * Every quota at its edge, through the real SDK client: exactly at the limit is accepted, one over is
 * `LimitExceededException` (400) or `InvalidParameterException`, and a refused call changes nothing.
 * Small limits (EmulatorOptions.limits) stand in for the documented ones (protocol notes, section 3).
 */
import {
  DeleteDatasetCommand,
  InvalidParameterException,
  LimitExceededException,
  ListDatasetsCommand,
  ListIdentityPoolUsageCommand,
} from '@aws-sdk/client-cognito-sync'
import { describe, expect, it } from 'vitest'
import { alice, failure, list, pool, put, remove, useEmulator, write } from './harness.js'

const ids = (DatasetName: string) => ({ IdentityPoolId: pool, IdentityId: alice, DatasetName })

describe('quotas at their edges', () => {
  const ctx = useEmulator({
    limits: { maxDatasetsPerIdentity: 3, maxRecordsPerDataset: 3, maxDatasetBytes: 10, maxKeyLength: 4, maxValueLength: 6 },
  })

  const refused = async (call: () => Promise<unknown>, type: new (...args: never[]) => Error, message: RegExp) => {
    const before = ctx.emulator.snapshot()
    const e = await failure(call)
    expect(e).toBeInstanceOf(type)
    expect(e.message).toMatch(message)
    expect(e.$metadata?.httpStatusCode).toBe(400)
    expect(ctx.emulator.snapshot()).toEqual(before)
  }

  it('datasets per identity: the 3rd is created, the 4th refused; a full identity still writes its own', async () => {
    for (const name of ['a', 'b', 'c']) await write(ctx.client, name, [put('k', 'v')])
    await refused(() => write(ctx.client, 'd', [put('k', 'v')]), LimitExceededException, /^An identity can hold at most 3 datasets$/)
    // An UpdateRecords without patches would create the dataset too: refused the same way.
    await refused(() => write(ctx.client, 'd', []), LimitExceededException, /at most 3 datasets/)
    // The limit is on new datasets: writing one of the three goes on.
    expect((await write(ctx.client, 'a', [put('k', 'w', 1)])).Records?.[0]?.SyncCount).toBe(2)
    // A deleted dataset frees its place.
    await ctx.client.send(new DeleteDatasetCommand(ids('b')))
    await write(ctx.client, 'd', [put('k', 'v')])
    const listed = await ctx.client.send(new ListDatasetsCommand({ IdentityPoolId: pool, IdentityId: alice }))
    expect(listed.Datasets?.map((d) => d.DatasetName)).toEqual(['a', 'c', 'd'])
  })

  it('live records per dataset: 3 fit, a 4th is refused, a tombstone frees a place', async () => {
    await write(ctx.client, 'd', [put('a', ''), put('b', '')])
    await write(ctx.client, 'd', [put('c', '')])
    await refused(() => write(ctx.client, 'd', [put('e', '')]), LimitExceededException, /^A dataset can hold at most 3 records$/)
    // Removing one and adding one in the same call stays at 3.
    await write(ctx.client, 'd', [remove('a', 1), put('e', '')])
    expect((await list(ctx.client, 'd')).Records?.map((r) => [r.Key, r.Value])).toEqual([
      ['a', undefined],
      ['b', ''],
      ['c', ''],
      ['e', ''],
    ])
  })

  it('bytes per dataset: exactly 10 UTF-8 bytes of keys and values fit, 11 are refused', async () => {
    // k (1 byte) + ééé (6) = 7, then x (1) + yy (2) = 3: 10 bytes.
    await write(ctx.client, 'd', [put('k', 'ééé')])
    await write(ctx.client, 'd', [put('x', 'yy')])
    await refused(() => write(ctx.client, 'd', [put('x', 'yyy', 2)]), LimitExceededException, /^A dataset can hold at most 10 bytes$/)
    // A tombstone counts no bytes: with k removed, z (1) + abcdef (6) fits again.
    await write(ctx.client, 'd', [remove('k', 1), put('z', 'abcdef')])
    expect((await list(ctx.client, 'd')).Records?.map((r) => r.Key)).toEqual(['k', 'x', 'z'])
  })

  it('key and value lengths: 4 and 6 code units fit, one more is InvalidParameterException', async () => {
    await write(ctx.client, 'd', [put('kkkk', 'vvvvvv')])
    await refused(() => write(ctx.client, 'e', [put('kkkkk', 'v')]), InvalidParameterException, /Key/)
    await refused(() => write(ctx.client, 'e', [put('k', 'vvvvvvv')]), InvalidParameterException, /Value/)
  })

})

describe('the page size limit', () => {
  const ctx = useEmulator({ limits: { maxPageSize: 2 } })

  it('page size: no maxResults and one above the cap both give pages of the cap (2), Count and NextToken following', async () => {
    for (const name of ['c', 'a', 'b']) await write(ctx.client, name, [put('k', '')])
    const listDatasets = (MaxResults: number | undefined, NextToken?: string) =>
      ctx.client.send(new ListDatasetsCommand({ IdentityPoolId: pool, IdentityId: alice, MaxResults, NextToken }))
    for (const size of [undefined, 3, 1000]) {
      const first = await listDatasets(size)
      expect([first.Datasets?.map((d) => d.DatasetName), first.Count], String(size)).toEqual([['a', 'b'], 2])
      const rest = await listDatasets(size, first.NextToken)
      expect([rest.Datasets?.map((d) => d.DatasetName), rest.NextToken], String(size)).toEqual([['c'], undefined])
    }
    expect((await listDatasets(1)).Datasets?.map((d) => d.DatasetName)).toEqual(['a'])
    await write(ctx.client, 'a', [put('x', ''), put('y', '')])
    const records = await list(ctx.client, 'a', { MaxResults: 1000 })
    expect([records.Records?.map((r) => r.Key), records.Count]).toEqual([['k', 'x'], 2])
    expect((await list(ctx.client, 'a', { NextToken: records.NextToken ?? '' })).Records?.map((r) => r.Key)).toEqual(['y'])
    for (const MaxResults of [undefined, 2, 1000]) {
      expect((await ctx.client.send(new ListIdentityPoolUsageCommand({ MaxResults }))).MaxResults, String(MaxResults)).toBe(2)
    }
    expect((await ctx.client.send(new ListIdentityPoolUsageCommand({ MaxResults: 1 }))).MaxResults).toBe(1)
  })
})
