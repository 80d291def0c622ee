/** What the device tests share: an emulator per test and the device page (test/browser/pages/device.ts) opened on it. */
import type { BrowserContext } from 'playwright-core'
import { afterEach, beforeEach } from 'vitest'
import { type EmulatorHandle, startEmulator } from 'cognito-reconcile/emulator'
import type { BrowserHarness, TestPage } from './harness.js'
import type { DeviceConfig, SyncSummary } from './protocol.js'

export const devicePage = 'test/browser/pages/device.ts'

export interface Devices {
  readonly emulator: () => EmulatorHandle
  /**
   * The device page bound to `name` and a store of `kind` (`memory`, `localStorage`, ...), in a fresh
   * context (another device) or in `context` (another tab of the same device).
   */
  readonly open: (name: string, options?: { readonly store?: string; readonly context?: BrowserContext }) => Promise<TestPage>
  /** Reloads `tab` (what the page held in memory is gone) and binds it again, as the app does when it starts. */
  readonly reload: (tab: TestPage, name: string, store: string) => Promise<void>
}

/** Registers hooks giving each test a fresh emulator; opens device pages on it. */
export const useDevices = (browser: BrowserHarness): Devices => {
  let emulator: EmulatorHandle | undefined
  beforeEach(async () => {
    emulator = await startEmulator()
  })
  afterEach(() => emulator?.close())
  const running = (): EmulatorHandle => {
    if (emulator === undefined) throw new Error('useDevices: no emulator outside a test')
    return emulator
  }
  const config = (name: string): DeviceConfig => ({
    endpoint: running().endpoint,
    identityPoolId: 'us-east-1:11111111-1111-1111-1111-111111111111',
    identityId: 'us-east-1:aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa',
    deviceId: name,
    datasetName: 'game',
  })
  return {
    emulator: running,
    open: async (name, options = {}) => {
      const tab = await browser.open(devicePage, options.context === undefined ? {} : { context: options.context })
      await tab.call('start', config(name), options.store ?? 'memory')
      return tab
    },
    reload: async (tab, name, store) => {
      await tab.reload()
      await tab.call('start', config(name), store)
    },
  }
}

export const sync = (tab: TestPage): Promise<SyncSummary> => tab.call<SyncSummary>('sync')

/** The records the emulator stores for the test's dataset, as `[key, value]` (`null` for a tombstone). */
export const stored = (emulator: EmulatorHandle): Array<[string, string | null]> =>
  (emulator.snapshot().pools[0]?.identities[0]?.datasets[0]?.records ?? []).map(({ key, value }) => [key, value])
