// The move from amazon-cognito-js in a real browser: the published amazon-cognito-js and aws-sdk v2
// (their browser builds) write the page's real localStorage while they sync with the emulator, the
// history of test/migrate/ plays out, then the import takes over in the page and syncs through the
// real @aws-sdk/client-cognito-sync, and every dataset ends as the expected merge.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { type EmulatorHandle, startEmulator } from 'cognito-reconcile/emulator'
import type { CognitoJsApp } from '../migrate/cognitoJs.js'
import { alice, bob, expected, onService, playHistory, pool, staleOnA, syncWith } from '../migrate/scenario.js'
import { type TestPage, useBrowser } from './harness.js'

/** What the page's importAndSync answers. */
interface Moved {
  readonly pending: ReadonlyArray<readonly [string, ReadonlyArray<string>]>
  readonly synced: Readonly<Record<string, { readonly conflicts: ReadonlyArray<string>; readonly live: Record<string, string> }>>
}

const browser = useBrowser()
let emulator: EmulatorHandle
beforeEach(async () => {
  emulator = await startEmulator()
})
afterEach(async () => {
  await emulator.close()
})

const require = createRequire(import.meta.url)
const vendor = [
  ['/vendor/aws-sdk.min.js', require.resolve('aws-sdk/dist/aws-sdk.min.js')],
  ['/vendor/amazon-cognito.min.js', require.resolve('amazon-cognito-js')],
] as const

/** amazon-cognito-js in `tab`, signed in as `identityId`, as test/migrate's history drives it. */
const inPage = async (tab: TestPage, identityId: string): Promise<CognitoJsApp> => {
  await tab.call('signInCognitoJs', vendor.map(([path]) => path), emulator.endpoint, pool, identityId)
  return {
    dataset: async (name) => {
      await tab.call('jsOpen', name)
      return {
        get: (key) => tab.call('jsGet', name, key),
        put: (key, value) => tab.call('jsPut', name, key, value),
        remove: (key) => tab.call('jsRemove', name, key),
        synchronize: () => tab.call('jsSynchronize', name),
      }
    },
  }
}

it('amazon-cognito-js writes and partly syncs from a page, the import takes over there, and nothing is lost', async () => {
  for (const [path, file] of vendor) browser.server().put(path, { type: 'text/javascript', body: readFileSync(file) })
  const tab = await browser.open('test/browser/pages/cognitoJs.ts')
  const b = await playHistory(emulator, await inPage(tab, alice), () => inPage(tab, bob))
  // what amazon-cognito-js shows alice before the move
  expect(await (await (await inPage(tab, alice)).dataset('scores')).get('hi')).toBe(staleOnA.hi)
  const before = await tab.call<Record<string, string>>('localStorageEntries')
  expect(Object.keys(before)).toContain('_internal._metadata')

  const moved = await tab.call<Moved>('importAndSync', emulator.endpoint, pool, alice)
  expect(moved.pending).toEqual([
    ['game', ['coins', 'fresh', 'lives', 'note']],
    ['inbox', ['msg']],
    ['scores', []],
    ['settings', ['sound', 'volume']],
  ])
  expect(moved.synced.game?.conflicts).toEqual(['lives'])
  // the import only read amazon-cognito-js's entries; the new store's entries sit beside them
  const after = await tab.call<Record<string, string>>('localStorageEntries')
  expect(Object.fromEntries(Object.entries(after).filter(([name]) => !name.startsWith('cognito-reconcile/')))).toEqual(before)
  expect(Object.keys(after).filter((name) => name.startsWith('cognito-reconcile/')).length).toBeGreaterThan(0)

  for (const name of Object.keys(expected)) await syncWith(emulator, b, name, 'b')
  for (const [name, records] of Object.entries(expected)) {
    expect(onService(emulator, name), name).toEqual(records)
    expect(moved.synced[name]?.live, name).toEqual(records)
  }
  // the only errors: the browser's log of the 500s the history's failed settings sync met
  expect(tab.errors().length).toBeGreaterThan(0)
  expect(tab.errors().filter((error) => !error.includes('the server responded with a status of 500'))).toEqual([])
})
