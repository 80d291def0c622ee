// The laws of LocalStore (src/stores/LocalStore.ts), checked by the public contract suite
// (`checkStore` from cognito-reconcile/testkit) against every store, one test per law.
import { describe, it } from 'vitest'
import { type StoreLaw, checkStore, storeLaws } from 'cognito-reconcile/testkit'
import { type StoreFactory, checkOptions, storeFactories } from './harness.js'

const contract = (factory: StoreFactory) =>
  describe(`${factory.name} keeps the LocalStore laws`, () => {
    it.each(storeLaws.map(({ law, meaning }) => [law, meaning] as const))('%s: %s', async (law: StoreLaw) => {
      await checkStore(...checkOptions(factory, [law]))
    })
  })

storeFactories.forEach(contract)
