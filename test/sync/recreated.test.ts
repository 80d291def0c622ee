/**
 * The sync adapter against both settings of the emulator's open fidelity question "a dataset deleted
 * and written again: does its SyncCount continue or start from scratch?" (docs/emulator.md).
 */
import { DeleteDatasetCommand } from '@aws-sdk/client-cognito-sync'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { alice, contents, datasetName, pool, useWorld, type Device } from './harness.js'

const deleteDataset = (device: Device) =>
  device.client.send(new DeleteDatasetCommand({ IdentityPoolId: pool, IdentityId: alice, DatasetName: datasetName }))

for (const recreatedSyncCount of ['continue', 'restart'] as const) {
  describe(`a dataset deleted and written again (recreatedSyncCount: '${recreatedSyncCount}')`, () => {
    const world = useWorld({ recreatedSyncCount })

    /** a synced `k` at count `counts`; b deletes the dataset and writes `writes` again, one sync each. */
    const scenario = async (counts: number, writes: number) => {
      const a = world.device('a')
      for (let i = 0; i < counts; i++) {
        await a.put('k', String(i))
        await a.synced()
      }
      const b = world.device('b')
      await deleteDataset(b)
      for (let i = 0; i < writes; i++) {
        await b.put(`x${i}`, 'new')
        await b.synced()
      }
      return { a, b }
    }

    it('a device that synced more often than the new dataset: told, and with recreate policies both converge', async () => {
      const { a, b } = await scenario(2, 1)
      const told = await a.sync()
      expect(E.isLeft(told) && told.left._tag).toBe(recreatedSyncCount === 'continue' ? 'DatasetDeleted' : 'DatasetReset')
      await a.synced({ policies: { onDatasetDeleted: 'recreate', onDatasetReset: 'recreate' } })
      await b.synced()
      expect(await contents(a)).toEqual({ k: '1', x0: 'new' })
      expect(await contents(b)).toEqual(await contents(a))
    })

    it('a device that synced less often than the new dataset: told only when counts continue', async () => {
      const { a } = await scenario(1, 2)
      const result = await a.sync()
      if (recreatedSyncCount === 'continue') {
        expect(E.isLeft(result) && result.left._tag).toBe('DatasetDeleted')
      } else {
        // From scratch, the old count 1 is a count of the new dataset: the service cannot say the
        // dataset was deleted, and the device takes the listing after count 1 as all it missed.
        expect(E.isRight(result)).toBe(true)
        expect(await contents(a)).toEqual({ k: '0', x1: 'new' })
      }
    })
  })
}
