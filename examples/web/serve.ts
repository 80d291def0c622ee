/**
 * `npm run example:web`: starts the emulator on 127.0.0.1, bundles the page (src/main.ts) with esbuild
 * and serves it on 127.0.0.1, then prints the address to open. The page calls the emulator from the
 * browser, across origins: the emulator answers CORS for pages on loopback origins.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { type EmulatorHandle, startEmulator } from '../../src/emulator/index.js'
import { bundle, root, servePages } from '../../scripts/pages.js'

export interface Example {
  /** The page, e.g. `http://127.0.0.1:5173/`. */
  readonly url: string
  readonly emulator: EmulatorHandle
  readonly close: () => Promise<void>
}

const endpointTag = '<meta name="emulator-endpoint" content="" />'

/** The page's HTML, telling the page where the emulator is. */
const pageFor = (endpoint: string): string => {
  const html = readFileSync(join(root, 'examples/web/index.html'), 'utf8')
  if (!html.includes(endpointTag)) throw new Error(`examples/web/index.html lost its ${endpointTag}`)
  return html.replace(endpointTag, `<meta name="emulator-endpoint" content="${endpoint}" />`)
}

/** Starts the emulator and the page server, each on `port` and `emulatorPort` (free ones by default). */
export const startExample = async (ports: { readonly port?: number; readonly emulatorPort?: number } = {}): Promise<Example> => {
  const [emulator, script] = await Promise.all([startEmulator({ port: ports.emulatorPort ?? 0 }), bundle('examples/web/src/main.ts', { sourcemap: true })])
  const server = await servePages(ports.port ?? 0).catch(async (e: unknown) => {
    await emulator.close()
    throw e
  })
  const html = { type: 'text/html', body: pageFor(emulator.endpoint) }
  server.put('/', html)
  server.put('/index.html', html)
  server.put('/main.js', { type: 'text/javascript', body: script })
  return {
    url: `${server.origin}/`,
    emulator,
    close: async () => {
      await Promise.all([server.close(), emulator.close()])
    },
  }
}

const usage = `Usage: npm run example:web [-- --port <n> --emulator-port <n>]

Serves the two-device page on http://127.0.0.1:<port>/ (default 5173) and an emulator for it on
127.0.0.1:<emulator-port> (default: a free port). Stop with Ctrl-C.
`

const options = { port: { type: 'string', default: '5173' }, 'emulator-port': { type: 'string', default: '0' }, help: { type: 'boolean', short: 'h' } } as const

/** Stops with `message` and the usage, without a stack trace. */
const refuse = (message: string): never => {
  process.stderr.write(`${message}\n\n${usage}`)
  process.exit(2)
}

const portOf = (text: string, name: string): number => {
  const port = Number(text)
  return Number.isInteger(port) && port >= 0 && port < 65536 ? port : refuse(`--${name} must be a port number (0 picks a free one), got '${text}'`)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = (() => {
    try {
      return parseArgs({ options })
    } catch (e) {
      return refuse(e instanceof Error ? e.message : String(e))
    }
  })()
  if (values.help === true) {
    process.stdout.write(usage)
    process.exit(0)
  }
  const example = await startExample({ port: portOf(values.port, 'port'), emulatorPort: portOf(values['emulator-port'], 'emulator-port') }).catch((e: unknown) =>
    refuse(`Could not start: ${e instanceof Error ? e.message : String(e)}`),
  )
  console.log(`Emulator at ${example.emulator.endpoint}\nOpen ${example.url} (Ctrl-C stops both)`)
  const stop = () => void example.close().then(() => process.exit(0))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}
