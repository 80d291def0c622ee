// examples/web in Chromium, driven as a user drives it: two devices edit offline and sync with the
// emulator; the page shows each conflict, how it was decided, and the converged state, and a screenshot
// of it (saved under reports/) is checked, so that the example cannot rot.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Example, startExample } from '../../examples/web/serve.js'
import { root } from '../../scripts/pages.js'
import { type ImageStats, type TestPage, useBrowser } from './harness.js'

const browser = useBrowser()

let example: Example
beforeAll(async () => {
  example = await startExample()
})
afterAll(() => example.close())

const open = async (search = ''): Promise<TestPage> => {
  const tab = await browser.visit(`${example.url}${search}`)
  await tab.page.waitForSelector('body[data-ready="true"]')
  return tab
}

const panel = (page: Page, device: string): Locator => page.locator(`#device-${device}`)

/** The rows of the table under `selector`, cell by cell. */
const rows = async (page: Page, selector: string): Promise<Array<Array<string>>> =>
  (await page.locator(`${selector} tbody tr`).allInnerTexts()).map((row) => row.split('\t'))

/** Types `key` (and `value`) into a device's form and presses Put (Delete without a value), as a user does. */
const write = async (page: Page, device: string, key: string, value?: string): Promise<void> => {
  const form = panel(page, device)
  await form.locator('input[name=key]').fill(key)
  if (value !== undefined) await form.locator('input[name=value]').fill(value)
  await form.locator(value === undefined ? 'button[name=remove]' : 'button[name=put]').click()
  const shown = value === undefined ? '(deleted)' : value
  await expect.poll(async () => (await rows(page, `#device-${device}`)).find(([k]) => k === key)).toEqual([key, shown, 'pending'])
}

/** Presses a device's Sync and waits for its line in the sync log. */
const sync = async (page: Page, device: string): Promise<void> => {
  const before = await page.locator('#log li').count()
  await panel(page, device).locator('button.sync').click()
  await expect.poll(() => page.locator('#log li').count()).toBe(before + 1)
  expect(await page.locator('#log li').last().innerText()).toMatch(new RegExp(`^\\d+\\. ${device} synced: `))
}

const verdict = (page: Page): Promise<string> => page.locator('#converged .verdict').innerText()

// the verdict's backgrounds in examples/web/index.html
const colors = { converged: '#b9e4bd', waiting: '#ffd8a8' }

/** A picture of the converged section that shows convergence: the green verdict, no amber one, and text. */
const showsConverged = (stats: ImageStats): boolean => (stats.shares['converged'] ?? 0) > 0.02 && stats.shares['waiting'] === 0 && stats.distinctColors > 20

describe('the web example', () => {
  it('two devices edit offline through the forms and sync: the conflicts, their decisions and the converged state are shown', async () => {
    const { page, errors } = await open()
    expect(await verdict(page)).toBe('Not converged yet: 0 key(s) differ, 0 edit(s) pending.')
    await write(page, 'phone', 'highScore', '900')
    await write(page, 'phone', 'nickname', 'ace')
    await sync(page, 'phone')
    await sync(page, 'tablet')
    expect(await rows(page, '#device-tablet')).toEqual([
      ['highScore', '900', 'synced'],
      ['nickname', 'ace', 'synced'],
    ])

    // offline: the phone raises the score and deletes the nickname; the tablet, later, sets both
    await write(page, 'phone', 'highScore', '1500')
    await write(page, 'phone', 'nickname')
    await write(page, 'tablet', 'highScore', '1300')
    await write(page, 'tablet', 'nickname', 'captain')
    expect(await verdict(page)).toBe('Not converged yet: 2 key(s) differ, 4 edit(s) pending.')
    await sync(page, 'phone')
    await sync(page, 'tablet')
    await sync(page, 'phone')

    expect(await rows(page, '#conflicts')).toEqual([
      ['4. tablet', 'highScore', '1300', '1500', "took the other's 1500", 'maxValue'],
      ['4. tablet', 'nickname', 'captain', '(deleted)', "kept this device's captain", 'lastWriterWins'],
    ])
    expect(await verdict(page)).toBe('Converged: both devices hold the same 2 records.')
    expect(await rows(page, '#converged')).toEqual([
      ['highScore', '1500', '1500'],
      ['nickname', 'captain', 'captain'],
    ])
    expect(errors()).toEqual([])
  })

  it('"Play a scenario" converges, and a screenshot shows the converged state (reports/web-example.png)', async () => {
    const { page, errors } = await open('?dataset=played')
    // the checker on a page not converged yet: amber, no green
    const before = await browser.imageStats(await page.locator('#converged').screenshot(), colors)
    expect(before.shares['waiting']).toBeGreaterThan(0.02)
    expect(showsConverged(before)).toBe(false)

    await page.locator('#play').click()
    await expect.poll(() => verdict(page), { timeout: 30_000 }).toBe('Converged: both devices hold the same 3 records.')
    expect(await rows(page, '#converged')).toEqual([
      ['highScore', '950', '950'],
      ['inventory', '["lamp","map","rope"]', '["lamp","map","rope"]'],
      ['nickname', 'captain', 'captain'],
    ])
    expect((await rows(page, '#conflicts')).map(([, key, , , decision, decidedBy]) => [key, decision, decidedBy])).toEqual([
      ['highScore', "took the other's 950", 'maxValue'],
      ['inventory', 'wrote ["lamp","map","rope"]', 'jsonSetUnion'],
      ['nickname', "kept this device's captain", 'lastWriterWins'],
    ])

    const reports = join(root, 'reports')
    mkdirSync(reports, { recursive: true })
    const [whole, region] = [await page.screenshot({ fullPage: true }), await page.locator('#converged').screenshot()]
    writeFileSync(join(reports, 'web-example.png'), whole)
    writeFileSync(join(reports, 'web-example-converged.png'), region)
    const [wholeStats, regionStats] = [await browser.imageStats(whole, colors), await browser.imageStats(region, colors)]
    expect(wholeStats.distinctColors).toBeGreaterThan(50)
    expect(wholeStats.height).toBeGreaterThan(regionStats.height)
    expect(wholeStats.shares['converged']).toBeGreaterThan(0)
    expect(regionStats).toMatchObject({ width: expect.any(Number), height: expect.any(Number) })
    expect(showsConverged(regionStats)).toBe(true)
    expect(errors()).toEqual([])
  })
})
