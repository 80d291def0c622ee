/**
 * Browser code from this repository's sources: bundled with esbuild for the browser, the package's
 * public names (`cognito-reconcile`, `cognito-reconcile/sync`, ...) mapped to their sources from the
 * list the build and the vitest aliases use, and served from a loopback HTTP server. The browser tests'
 * harness (test/browser/harness.ts) and `npm run example:web` (examples/web/serve.ts) share it. An app
 * needs none of this: its bundler finds the installed package's browser build.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, type Plugin } from 'esbuild'
import { entries } from './entries.mjs'

export const root = resolve(fileURLToPath(new URL('..', import.meta.url)))

// bundling

/** Resolves `cognito-reconcile` and its subpaths to their sources, from the list the build and the test aliases use. */
const packageSources: Plugin = {
  name: 'cognito-reconcile-sources',
  setup(build) {
    build.onResolve({ filter: /^cognito-reconcile(\/.*)?$/ }, ({ path }) => {
      const entry = entries.find(({ subpath }) => `cognito-reconcile${subpath.slice(1)}` === path)
      return entry === undefined ? { errors: [{ text: `${path} is not an entry point of the package (scripts/entries.mjs)` }] } : { path: join(root, entry.source) }
    })
  },
}

export interface BundleOptions {
  /** A classic script whose exports land on `window[globalName]`; without it, an ES module (top-level await allowed). */
  readonly globalName?: string
  /** An inline source map, for the browser's developer tools (the tests go without: a third of the size). */
  readonly sourcemap?: boolean
}

/** Bundles `entry` (a path from the repository root) for the browser into one script. */
export const bundle = async (entry: string, options: BundleOptions = {}): Promise<string> => {
  const result = await build({
    entryPoints: [join(root, entry)],
    bundle: true,
    write: false,
    platform: 'browser',
    ...(options.globalName === undefined ? { format: 'esm' } : { format: 'iife', globalName: options.globalName }),
    target: 'es2022',
    sourcemap: options.sourcemap === true ? 'inline' : false,
    logLevel: 'silent',
    // Node's modules, which only the testkit's emulator backend loads, and only when it runs
    external: ['node:*'],
    plugins: [packageSources],
  })
  const [output] = result.outputFiles
  if (output === undefined) throw new Error(`esbuild wrote nothing for ${entry}`)
  return output.text
}

// serving

/** What the server answers at one path. */
export interface Served {
  readonly type: string
  readonly body: string | Uint8Array
}

export interface PageServer {
  /** E.g. `http://127.0.0.1:40123`. */
  readonly origin: string
  /** Serves `body` at `path` (from now on, over what was there). */
  readonly put: (path: string, served: Served) => void
  readonly close: () => Promise<void>
}

const closeServer = (server: Server): Promise<void> =>
  new Promise((done) => {
    server.close(() => done())
    server.closeAllConnections()
  })

/** A static server on 127.0.0.1 and `port` (a free one by default), answering only the paths put on it (404 otherwise). */
export const servePages = async (port = 0): Promise<PageServer> => {
  const files = new Map<string, Served>()
  const server = createServer((req, res) => {
    const served = files.get(new URL(req.url ?? '/', 'http://localhost').pathname)
    if (served === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`not served: ${req.url}`)
      return
    }
    res.writeHead(200, { 'content-type': served.type, 'cache-control': 'no-store' }).end(served.body)
  })
  await new Promise<void>((listening, failed) => server.once('error', failed).listen(port, '127.0.0.1', listening))
  const bound = (server.address() as AddressInfo).port
  return { origin: `http://127.0.0.1:${bound}`, put: (path, served) => files.set(path, served), close: () => closeServer(server) }
}

