/**
 * Step 2 of a sync over several ListRecords pages: what each page asks, what the pages fold into, and
 * a write that lands between two pages.
 */
import type { CognitoSyncClient } from '@aws-sdk/client-cognito-sync'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { bob, contents, datasetName, useWorld, withMergedDataset } from './harness.js'

const world = useWorld()

interface Exchange {
  readonly input: Record<string, unknown>
  readonly output: Record<string, unknown>
}

/** Every ListRecords `client` makes, as asked and as answered. */
const listings = (client: CognitoSyncClient): Array<Exchange> => {
  const seen: Array<Exchange> = []
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args)
      if (context.commandName === 'ListRecordsCommand') seen.push({ input: { ...(args.input as Record<string, unknown>) }, output: result.output as unknown as Record<string, unknown> })
      return result
    },
    { step: 'initialize', name: 'listings' },
  )
  return seen
}

describe('a listing of several pages', () => {
  it('asks each next page with the NextToken and the SyncSessionToken of the page before', async () => {
    const a = world.device('a')
    for (const key of ['a', 'b', 'c', 'd', 'e']) await a.put(key, key)
    await a.synced()
    const b = world.device('b')
    const seen = listings(b.client)
    await b.synced({ limits: { pageSize: 2 } })
    expect(seen.map(({ input }) => [input.LastSyncCount, input.MaxResults, input.NextToken, input.SyncSessionToken])).toEqual([
      [0, 2, undefined, undefined],
      [0, 2, seen[0]?.output.NextToken, seen[0]?.output.SyncSessionToken],
      [0, 2, seen[1]?.output.NextToken, seen[1]?.output.SyncSessionToken],
    ])
    expect(new Set(seen.map(({ output }) => output.SyncSessionToken)).size).toBe(3)
  })

  it('a write that lands between pages, before the cursor, is missed now and listed next time: the sync count is the lowest page\'s', async () => {
    const a = world.device('a')
    for (const key of ['b', 'c', 'd', 'e']) await a.put(key, '1')
    await a.synced()
    const b = world.device('b')
    const seen = listings(b.client)
    let pages = 0
    b.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'ListRecordsCommand' && (pages += 1) === 2) {
          await a.put('a', 'between')
          await a.synced()
        }
        return next(args)
      },
      { step: 'initialize', name: 'writeBetweenPages' },
    )
    const first = await b.synced({ limits: { pageSize: 2 } })
    expect(seen.map(({ output }) => [output.DatasetSyncCount, (output.Records as Array<{ Key: string }>).map((r) => r.Key)])).toEqual([
      [1, ['b', 'c']],
      [2, ['d', 'e']],
    ])
    expect(first.lastSyncCount).toBe(1)
    expect(await contents(b)).toEqual({ b: '1', c: '1', d: '1', e: '1' })
    const second = await b.synced({ limits: { pageSize: 2 } })
    expect([second.adopted, second.lastSyncCount]).toEqual([['a'], 2])
    expect(await contents(b)).toEqual({ a: 'between', b: '1', c: '1', d: '1', e: '1' })
  })

  it('names each merged dataset once, though every page names it', async () => {
    const a = await withMergedDataset(world)
    for (const key of ['a', 'b', 'c']) await a.put(key, key)
    await a.synced()
    const b = world.device('b')
    const seen = listings(b.client)
    const result = await b.sync({ limits: { pageSize: 1 }, policies: { onMergedDatasets: 'fail' } })
    expect(seen.map(({ output }) => output.MergedDatasetNames)).toEqual([[`${datasetName}.${bob}`], [`${datasetName}.${bob}`], [`${datasetName}.${bob}`]])
    expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'MergedDatasetsFound', names: [`${datasetName}.${bob}`] })
  })
})
