/**
 * The real-browser harness: page code bundled with esbuild (importing the package by its public names,
 * mapped to the sources as the vitest aliases map them), served from a loopback HTTP server, run in
 * Debian's Chromium driven by playwright-core. One browser per test file, one fresh context (its own
 * storage) per page unless a test shares one, as two tabs of one app do. See test/browser/README.md.
 */
import { existsSync } from 'node:fs'
import { basename, extname } from 'node:path'
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { type PageServer, bundle, servePages } from '../../scripts/pages.js'
import type { ImageStats } from './imageStats.js'

export { bundle, servePages, type PageServer, type Served } from '../../scripts/pages.js'

/** Where the browser is: Debian's package, unless CHROMIUM_PATH says otherwise. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Flags for a quiet, reproducible headless run: no sandbox (CI containers), no GPU, no background traffic. */
export const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']

/** The global a bundled page entry's exports are put on; `TestPage.call` reads it. */
export const exportsGlobal = '__page'

/** A page that loads one bundled script. */
export const pageHtml = (title: string, script: string): string =>
  `<!doctype html>\n<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${title}</title></head><body><script src="${script}"></script></body></html>\n`

// the browser

/**
 * Starts Chromium headless, or fails saying how to install it: a missing browser fails the tests, never
 * skips them. playwright gives every launch a fresh temporary profile (user data dir), deleted on close.
 */
export const launchChromium = async (executablePath = chromiumPath): Promise<Browser> => {
  if (!existsSync(executablePath))
    throw new Error(
      `Chromium not found at ${executablePath}: the browser tests (test/browser) need it. Install Debian's package as root ` +
        '(apt-get update && apt-get install -y chromium; .ci/run does this on CI), or set CHROMIUM_PATH to a Chromium binary.',
    )
  return chromium.launch({ executablePath, headless: true, args: chromiumArgs })
}

/** One page of the browser, with what it reported. */
export interface TestPage {
  /** The playwright page, for clicks, screenshots, network waits. */
  readonly page: Page
  readonly url: string
  /**
   * Calls the page entry's export `name` with `args` (structured-cloneable) and resolves with its
   * answer, awaited in the page. A throw or rejection in the page rejects, with the page's errors so far.
   */
  readonly call: <A = unknown>(name: string, ...args: ReadonlyArray<unknown>) => Promise<A>
  /** Uncaught errors and console errors of the page so far, in order (a reload keeps them). */
  readonly errors: () => ReadonlyArray<string>
  /** Console messages of any kind so far. */
  readonly logs: () => ReadonlyArray<string>
  /** Reloads the page and waits until it loaded again (for a page of `open`, until its script ran). */
  readonly reload: () => Promise<void>
}

export interface OpenOptions {
  /** The context to open the page in, for pages sharing storage (two tabs); a fresh one when absent. */
  readonly context?: BrowserContext
  /** Added to the page's URL, e.g. `?endpoint=...`. */
  readonly search?: string
}

export interface BrowserHarness {
  readonly browser: () => Browser
  /** The page server's origin, e.g. `http://127.0.0.1:40123`. */
  readonly origin: () => string
  readonly server: () => PageServer
  /** A fresh context: its own storage, closed after the test. */
  readonly newContext: () => Promise<BrowserContext>
  /**
   * Bundles `entry` (a path from the repository root; once per file), serves it at
   * `/<n>/<entry's name>.html` and opens it; the page is closed after the test.
   */
  readonly open: (entry: string, options?: OpenOptions) => Promise<TestPage>
  /** Opens any `url` (a page with its own HTML, such as the web example) and waits for its load event. */
  readonly visit: (url: string, options?: Pick<OpenOptions, 'context'>) => Promise<TestPage>
  /** What a PNG (a screenshot) shows, decoded by the browser; see `ImageStats`. */
  readonly imageStats: (png: Uint8Array, colors?: Readonly<Record<string, string>>) => Promise<ImageStats>
}

export type { ImageStats } from './imageStats.js'


const describeError = (e: Error): string => (e.stack !== undefined && e.stack.includes(e.message) ? e.stack : `${e.name}: ${e.message}`)

/** Waits until the page's script ran: its exports are on `window`. */
const loaded = async (page: Page): Promise<void> => {
  await page.waitForFunction((global) => global in globalThis, exportsGlobal)
}

const watch = (page: Page, url: string, ready: (page: Page) => Promise<void>): TestPage => {
  const errors: Array<string> = []
  const logs: Array<string> = []
  page.on('pageerror', (e) => errors.push(`uncaught ${describeError(e)}`))
  page.on('console', (message) => {
    logs.push(`${message.type()}: ${message.text()}`)
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`)
  })
  return {
    page,
    url,
    call: async <A>(name: string, ...args: ReadonlyArray<unknown>): Promise<A> => {
      try {
        return (await page.evaluate(
          async ([global, fn, input]) => {
            const exported = (globalThis as unknown as Record<string, Record<string, unknown>>)[global]?.[fn]
            if (typeof exported !== 'function') throw new Error(`the page exports no function ${fn}`)
            return (await (exported as (...xs: ReadonlyArray<unknown>) => unknown)(...input)) as A
          },
          [exportsGlobal, name, args] as const,
        )) as A
      } catch (e) {
        const seen = errors.length === 0 ? '' : `\npage errors so far:\n  ${errors.join('\n  ')}`
        throw new Error(`${name}(...) failed in the page: ${e instanceof Error ? e.message : String(e)}${seen}`, { cause: e })
      }
    },
    errors: () => [...errors],
    logs: () => [...logs],
    reload: async () => {
      await page.reload()
      await ready(page)
    },
  }
}

/**
 * Registers the hooks of a browser test file: Chromium and the page server start once before its
 * tests and stop after them; contexts and pages opened by a test close after it.
 */
export const useBrowser = (): BrowserHarness => {
  let launched: Browser | undefined
  let server: PageServer | undefined
  // each entry bundled once per file, served under its own directory
  const bundles = new Map<string, { readonly dir: string; readonly script: Promise<string> }>()
  const contexts: Array<BrowserContext> = []
  const need = <A>(a: A | undefined): A => {
    if (a === undefined) throw new Error('the browser harness is used outside a test: call useBrowser() at the top of a test file')
    return a
  }

  beforeAll(async () => {
    ;[launched, server] = await Promise.all([launchChromium(), servePages()])
  }, 60_000)
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()))
  })
  afterAll(async () => {
    await Promise.all([launched?.close(), server?.close()])
  })

  /** Opens `url` in `context` (a fresh one by default) and waits for its load event and `ready`. */
  const openAt = async (url: string, context: BrowserContext | undefined, ready: (page: Page) => Promise<void>): Promise<TestPage> => {
    const page = await (context ?? (await harness.newContext())).newPage()
    const opened = watch(page, url, ready)
    await page.goto(url)
    await ready(page)
    return opened
  }

  const harness: BrowserHarness = {
    browser: () => need(launched),
    origin: () => need(server).origin,
    server: () => need(server),
    newContext: async () => {
      const context = await harness.browser().newContext()
      contexts.push(context)
      return context
    },
    visit: (url, options = {}) => openAt(url, options.context, async () => undefined),
    open: async (entry, options = {}) => {
      const name = basename(entry, extname(entry))
      const built = bundles.get(entry) ?? { dir: `/${bundles.size}`, script: bundle(entry, { globalName: exportsGlobal }) }
      bundles.set(entry, built)
      const pages = need(server)
      pages.put(`${built.dir}/${name}.js`, { type: 'text/javascript', body: await built.script })
      pages.put(`${built.dir}/${name}.html`, { type: 'text/html', body: pageHtml(name, `${built.dir}/${name}.js`) })
      return openAt(`${pages.origin}${built.dir}/${name}.html${options.search ?? ''}`, options.context, loaded)
    },
    imageStats: async (png, colors = {}) => (await harness.open('test/browser/pages/image.ts')).call<ImageStats>('imageStats', Buffer.from(png).toString('base64'), colors),
  }
  return harness
}
