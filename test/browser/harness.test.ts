// The harness itself: the library runs in Chromium as a user imports it, and a failure in the page
// reaches the test with its message; a missing browser fails loudly.
import { describe, expect, it } from 'vitest'
import { bundle, launchChromium, useBrowser } from './harness.js'

const browser = useBrowser()
const page = 'test/browser/pages/offline.ts'

describe('the browser harness', () => {
  it('serves the page from a loopback origin that is a secure context with IndexedDB, Web Locks and localStorage', async () => {
    const tab = await browser.open(page)
    expect(tab.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//)
    expect(await tab.call('environment')).toEqual({ secureContext: true, indexedDB: true, webLocks: true, localStorage: true })
    expect(tab.errors()).toEqual([])
  })

  it('runs the pure reconcile and the memory store in the page, imported by their public names', async () => {
    const tab = await browser.open(page)
    expect(await tab.call('reconcileConflict')).toEqual({ patches: [['replace', 'highScore', '1800', 1]], decidedBy: ['maxValue'] })
    expect(await tab.call('memoryRoundTrip')).toEqual({ list: [{ key: 'theme', value: 'dark' }], pending: ['theme', 'volume'] })
    expect(tab.errors()).toEqual([])
  })

  it('a throw in the page rejects the call with its message; an uncaught error is collected', async () => {
    const tab = await browser.open(page)
    await expect(tab.call('failWith', 'broken on purpose')).rejects.toThrow(/failWith\(\.\.\.\) failed in the page: .*broken on purpose/)
    await expect(tab.call('noSuchExport')).rejects.toThrow(/the page exports no function noSuchExport/)
    await tab.call('failUncaught', 'later, on purpose')
    await expect.poll(() => tab.errors()).toEqual([expect.stringMatching(/^uncaught Error: later, on purpose/)])
  })

  it('a page importing a subpath the package does not have fails to bundle, naming it', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs')
    const dir = mkdtempSync('test/browser/.tmp-')
    try {
      writeFileSync(`${dir}/wrong.ts`, "import { x } from 'cognito-reconcile/nowhere'\nexport const y = x\n")
      await expect(bundle(`${dir}/wrong.ts`)).rejects.toThrow(/cognito-reconcile\/nowhere is not an entry point of the package/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('without Chromium it fails saying how to install it, rather than skipping', async () => {
    await expect(launchChromium('/nonexistent/chromium')).rejects.toThrow(/Chromium not found at \/nonexistent\/chromium.*apt-get install -y chromium/)
  })
})
