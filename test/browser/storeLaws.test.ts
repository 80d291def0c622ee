// The public store contract suite, in Chromium, on the browser's own storage: every LocalStore law
// checked on the durable browser stores as a user checks their own store.
import { describe, expect, it } from 'vitest'
import { useBrowser } from './harness.js'

const browser = useBrowser()

// runs per property law: fewer than the suite's 100, since each run writes real storage
const numRuns = 25

describe.each(['localStorage', 'indexedDB'])('the store over %s', (kind) => {
  it('keeps every LocalStore law (checkStore of cognito-reconcile/testkit), sharedData through a second store as a second tab', async () => {
    const page = await browser.open('test/browser/pages/storeLaws.ts')
    expect(await page.call('checkLaws', kind, numRuns)).toEqual({ leftover: 0 })
    expect(page.errors()).toEqual([])
  })
})
