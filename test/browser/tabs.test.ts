// A device's durable stores in a real browser: two tabs of one app over the same storage, and a tab
// reloaded while its sync is on the wire. Each store kind is the app's: the Promise API over it, the real
// SDK over fetch, the emulator on 127.0.0.1.
import type { Page, Request } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { stored, sync, useDevices } from './devices.js'
import { type TestPage, useBrowser } from './harness.js'

const browser = useBrowser()
const devices = useDevices(browser)

const durableStores = ['localStorage', 'indexedDB']

/** When each request of `page` to the emulator started and ended (Node's clock): a sync's span on the wire. */
const wire = (page: Page, endpoint: string): (() => ReadonlyArray<{ readonly start: number; readonly end: number }>) => {
  const started = new Map<Request, number>()
  const spans: Array<{ start: number; end: number }> = []
  const ours = (request: Request) => request.url().startsWith(endpoint) && request.method() !== 'OPTIONS'
  page.on('request', (request) => {
    if (ours(request)) started.set(request, Date.now())
  })
  page.on('requestfinished', (request) => {
    const start = started.get(request)
    if (start !== undefined) spans.push({ start, end: Date.now() })
  })
  return () => spans
}

/** The span from a page's first request to the end of its last one. */
const envelope = (spans: ReadonlyArray<{ readonly start: number; readonly end: number }>) => ({
  start: Math.min(...spans.map(({ start }) => start)),
  end: Math.max(...spans.map(({ end }) => end)),
})

/** Two tabs syncing at once, each on the wire for at least 300 ms: whether their syncs overlapped. */
const syncTogether = async (a: TestPage, b: TestPage) => {
  const emulator = devices.emulator()
  const [onA, onB] = [wire(a.page, emulator.endpoint), wire(b.page, emulator.endpoint)]
  emulator.faults.setLatency(300, 'ListRecords')
  const summaries = await Promise.all([sync(a), sync(b)])
  const [spanA, spanB] = [envelope(onA()), envelope(onB())]
  return { summaries, overlapped: spanA.start < spanB.end && spanB.start < spanA.end }
}

describe.each(durableStores)('two tabs over %s', (store) => {
  const tabs = async (): Promise<[TestPage, TestPage]> => {
    const context = await browser.newContext()
    return [await devices.open('laptop', { store, context }), await devices.open('laptop', { store, context })]
  }

  it("a write in one tab is seen by the other's next read; their syncs never interleave, and each push happens once", async () => {
    const [a, b] = await tabs()
    // IndexedDB's transactions make a committed write visible to the very next read in any tab. Chromium
    // hands localStorage writes to the other tabs asynchronously (docs/stores.md, "Several tabs"), so over
    // localStorage the other tab sees them within a moment rather than at once.
    const readsInOtherTab = async (read: () => Promise<unknown>, expected: unknown) =>
      store === 'indexedDB' ? expect(await read()).toEqual(expected) : await expect.poll(read, { timeout: 5_000 }).toEqual(expected)
    await a.call('edit', { highScore: '900' })
    await readsInOtherTab(() => b.call('get', 'highScore'), '900')
    await b.call('edit', { nickname: 'ace', highScore: '950' })
    await readsInOtherTab(() => a.call('list'), [
      { key: 'highScore', value: '950' },
      { key: 'nickname', value: 'ace' },
    ])

    const { summaries, overlapped } = await syncTogether(a, b)
    expect(overlapped).toBe(false)
    // the first sync pushed both tabs' edits; the second found nothing left to push
    expect(summaries.map((summary) => summary.pushed).sort()).toEqual([[], ['highScore', 'nickname']])
    expect(stored(devices.emulator())).toEqual([
      ['highScore', '950'],
      ['nickname', 'ace'],
    ])
    expect(await a.call('pendingKeys')).toEqual([])
    expect([...a.errors(), ...b.errors()]).toEqual([])
  })
})

it('tabs whose store takes no cross-tab lock do interleave their syncs: the check above can fail', async () => {
  const context = await browser.newContext()
  const [a, b] = [await devices.open('laptop', { store: 'localStorageWithoutLock', context }), await devices.open('laptop', { store: 'localStorageWithoutLock', context })]
  await a.call('edit', { highScore: '900' })
  const { overlapped } = await syncTogether(a, b)
  expect(overlapped).toBe(true)
})

describe.each(durableStores)('a reload mid-sync over %s', (store) => {
  const edits = { highScore: '900', nickname: 'ace', music: '' }

  const edited = async (): Promise<TestPage> => {
    const tab = await devices.open('laptop', { store })
    await tab.call('edit', edits)
    return tab
  }

  /** After the reload: the edits are still there and still pending; the next sync pushes them. */
  const nothingLost = async (tab: TestPage, afterReload = async () => undefined) => {
    await devices.reload(tab, 'laptop', store)
    await afterReload()
    expect(await tab.call('list')).toEqual([
      { key: 'highScore', value: '900' },
      { key: 'music', value: '' },
      { key: 'nickname', value: 'ace' },
    ])
    expect(await tab.call('pendingKeys')).toEqual(['highScore', 'music', 'nickname'])
    return sync(tab)
  }

  it('cut before the push reached the service: the edits stay pending and the next sync pushes them', async () => {
    const tab = await edited()
    // the browser holds UpdateRecords; the reload abandons it, so the service never sees it
    const held = new Promise<void>((seen) => {
      void tab.page.route(
        (url) => url.href.startsWith(devices.emulator().endpoint),
        (route) => (route.request().method() === 'POST' ? seen() : route.continue()),
      )
    })
    await tab.call('startSync')
    await held
    // once the reload abandoned it, the held request is gone, unseen by the service; later ones go through
    const next = await nothingLost(tab, async () => {
      expect(stored(devices.emulator())).toEqual([])
      await tab.page.unrouteAll()
    })
    expect(next).toMatchObject({ pushed: ['highScore', 'music', 'nickname'], confirmedAfterLoss: [] })
    expect(stored(devices.emulator())).toEqual([
      ['highScore', '900'],
      ['music', ''],
      ['nickname', 'ace'],
    ])
    expect(await tab.call('pendingKeys')).toEqual([])
  })

  it('cut after the service committed, before the answer came: the next sync finds its own write and settles it', async () => {
    const tab = await edited()
    const emulator = devices.emulator()
    // long enough that the answer comes only after the reload, on a busy machine too
    emulator.faults.holdAfterCommit(15_000)
    await tab.call('startSync')
    await expect.poll(() => stored(emulator).length, { timeout: 20_000 }).toBe(3)
    const next = await nothingLost(tab)
    expect(next).toMatchObject({ pushed: [], confirmedAfterLoss: ['highScore', 'music', 'nickname'] })
    expect(stored(emulator)).toEqual([
      ['highScore', '900'],
      ['music', ''],
      ['nickname', 'ace'],
    ])
    expect(await tab.call('pendingKeys')).toEqual([])
  })
})
