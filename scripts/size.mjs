// Bundle sizes beside their budgets: what a browser app pays for the imports it writes. Each bundle is
// built from the package as published (dist/, through package.json's "exports", so run `npm run build`
// first) with esbuild for the browser, minified, then gzipped. Prints a table, writes reports/size.json,
// and exits 1 when a budget is missed or a core bundle pulls in a Node built-in module.
//
//   npm run size                          the check
//   npm run size -- --limit readme=4000   a budget set below the actual, to see the check fail
//   npm run size -- --core-imports node:fs
//                                         as if every module of the core imported node:fs, to see that check fail
//   --json PATH                           where to write the figures (default reports/size.json)
import { build } from 'esbuild'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { builtinModules, isBuiltin } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import { gzipSync } from 'node:zlib'

const { values: args } = parseArgs({ options: {
    limit: { type: 'string', multiple: true, default: [] },
    'core-imports': { type: 'string' },
    json: { type: 'string', default: 'reports/size.json' },
  } })

const KiB = 1024
const readmeImports = `
export { Listing, currentContent, emptyState, put, reconcile } from 'cognito-reconcile'
export { byKey, lastWriterWins, maxValue } from 'cognito-reconcile/strategies'
`

/**
 * `core` bundles must not import Node built-ins. `budget` is in gzipped bytes: a number, or the id of
 * another bundle of this run that this one must be smaller than. `missedAt` records a budget that the
 * code still misses, as measured when recorded (the table still says NO): until the budget is met, the
 * check fails only if the bundle grows more than 2% past that figure, so that a lost tree-shake or a new
 * dependency fails at once while a reworded message does not. Delete it once the budget is met.
 */
const bundles = [
  { id: 'lastWriterWins', what: "lastWriterWins alone, from 'cognito-reconcile/strategies'", core: true, code: `export { lastWriterWins } from 'cognito-reconcile/strategies'`, budget: 2 * KiB },
  { id: 'readme', what: "the README's core + strategies imports", core: true, code: readmeImports, budget: 8 * KiB },
  { id: 'indexeddb', what: "indexedDbStore, from 'cognito-reconcile/indexeddb' (a browser's durable store)", core: true, code: `export { indexedDbStore } from 'cognito-reconcile/indexeddb'`, budget: 10 * KiB },
  { id: 'keyValueStore', what: "keyValueStore, from 'cognito-reconcile/stores' (localStorage, AsyncStorage)", core: true, code: `export { keyValueStore } from 'cognito-reconcile/stores'`, budget: 11 * KiB },
  {
    id: 'adapter',
    what: 'core + strategies + sync adapter + @aws-sdk/client-cognito-sync',
    code: `${readmeImports}
export { memoryStore, openDataset, sync, syncPromise, SyncFailedError } from 'cognito-reconcile/sync'
export { CognitoSyncClient } from '@aws-sdk/client-cognito-sync'`,
    budget: 'baseline',
  },
  {
    id: 'baseline',
    what: "amazon-cognito-js + aws-sdk v2's CognitoSync client (the client it replaces)",
    // amazon-cognito-js requires all of "aws-sdk"; an app that wants only CognitoSync gives it this
    code: `import 'amazon-cognito-js'`,
    // aws-sdk v2 depends on the npm ports of Node's util and events for browsers: bundled, as an app gets them
    polyfills: true,
    awsSdkV2: `module.exports = require('aws-sdk/global'); require('aws-sdk/clients/cognitosync')`,
  },
]

/** Routes `require('aws-sdk')` to a module with only the parts of the v2 SDK that the bundle names. */
const onlyPartsOfAwsSdkV2 = (contents) => ({
  name: 'aws-sdk-v2-parts',
  setup(b) {
    b.onResolve({ filter: /^aws-sdk$/ }, () => ({ path: 'aws-sdk', namespace: 'aws-sdk-v2-parts' }))
    b.onLoad({ filter: /.*/, namespace: 'aws-sdk-v2-parts' }, () => ({ contents, resolveDir: process.cwd(), loader: 'js' }))
  },
})

/** Breaks the core on purpose: each of its modules also imports `specifier`. */
const coreImports = (specifier) => ({
  name: 'core-imports',
  setup(b) {
    b.onLoad({ filter: /dist\/bundler\/src\/[^/]+\.js$/ }, async ({ path }) => ({
      contents: `import '${specifier}'\n${await readFile(path, 'utf8')}`,
      loader: 'js',
    }))
  },
})

// The repository's tsconfig.json maps 'cognito-reconcile/*' to the TypeScript sources, and esbuild
// would follow it: bundles get an empty tsconfig, so that they resolve the package through "exports".
const emptyTsconfig = join(mkdtempSync(join(tmpdir(), 'size-')), 'tsconfig.json')
writeFileSync(emptyTsconfig, '{}')

const measure = async (bundle) => {
  const result = await build({
    stdin: { contents: bundle.code, resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    // Node built-ins stay outside the bundle, so that the check below can name who imports them
    external: bundle.polyfills ? [] : ['node:*', ...builtinModules],
    tsconfig: emptyTsconfig,
    plugins: [
      ...(bundle.awsSdkV2 ? [onlyPartsOfAwsSdkV2(bundle.awsSdkV2)] : []),
      ...(args['core-imports'] ? [coreImports(args['core-imports'])] : []),
    ],
    define: { 'process.env.NODE_ENV': '"production"' },
    write: false,
    metafile: true,
    logLevel: 'error',
  })
  const code = result.outputFiles[0].contents
  const inputs = Object.entries(result.metafile.outputs[Object.keys(result.metafile.outputs)[0]].inputs)
  const nodeImports = Object.entries(result.metafile.inputs).flatMap(([file, input]) =>
    input.imports.filter((i) => i.external && isBuiltin(i.path)).map((i) => `${file} imports ${i.path}`),
  )
  const byPackage = new Map()
  for (const [file, { bytesInOutput }] of inputs) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? (file.startsWith('dist/') ? 'cognito-reconcile' : file)
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput)
  }
  return {
    id: bundle.id,
    what: bundle.what,
    minBytes: code.length,
    gzipBytes: gzipSync(code, { level: 9 }).length,
    nodeImports,
    // which build of fp-ts the bundler was given: the CommonJS one cannot be tree-shaken
    commonJsFpTs: inputs.some(([file]) => /node_modules\/(fp-ts|io-ts)\/lib\//.test(file)),
    largest: [...byPackage].sort((a, b) => b[1] - a[1]).filter(([, bytes]) => bytes > 0).slice(0, 4).map(([name, bytes]) => ({ name, minBytes: bytes })),
    largestFiles: inputs.sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput).slice(0, 6).map(([file, { bytesInOutput }]) => ({ file, minBytes: bytesInOutput })),
  }
}

const limits = Object.fromEntries(args.limit.map((l) => l.split('=')).map(([id, bytes]) => [id, Number(bytes)]))
const measured = []
for (const bundle of bundles) measured.push({ ...(await measure(bundle)), budget: limits[bundle.id] ?? bundle.budget, core: bundle.core === true })

const largest = (m) => `largest parts (min): ${m.largestFiles.map((l) => `${l.file.replace(/^.*node_modules\//, '')} ${l.minBytes} B`).join(', ')}`

const failures = []
for (const m of measured) {
  const limit = typeof m.budget === 'string' ? measured.find((o) => o.id === m.budget).gzipBytes - 1 : m.budget
  m.limitBytes = limit ?? null
  m.pass = limit === undefined || m.gzipBytes <= limit
  const bundle = bundles.find((b) => b.id === m.id)
  const tolerated = !m.pass && bundle.missedAt !== undefined && m.id in limits === false && m.gzipBytes <= bundle.missedAt * 1.02
  if (tolerated) console.warn(`size: ${m.id} misses its budget of ${limit} B by ${m.gzipBytes - limit} B (known, recorded at ${bundle.missedAt} B); ${largest(m)}`)
  else if (m.pass && bundle.missedAt !== undefined) console.warn(`size: ${m.id} meets its budget now (${m.gzipBytes} B <= ${limit} B): delete its missedAt in scripts/size.mjs`)
  const recorded = bundle.missedAt !== undefined && !(m.id in limits) ? `, and more than 2% past the miss recorded at ${bundle.missedAt} B` : ''
  if (!m.pass && !tolerated) failures.push(`${m.id}: ${m.gzipBytes} B min+gz, budget ${limit} B (${typeof m.budget === 'string' ? `smaller than ${m.budget}` : 'fixed'}), over by ${m.gzipBytes - limit} B${recorded}; ${largest(m)}`)
  if (m.core && m.nodeImports.length > 0) failures.push(`${m.id}: a core bundle pulls in Node built-ins: ${m.nodeImports.join('; ')}`)
  if (m.core && m.commonJsFpTs) failures.push(`${m.id}: bundled fp-ts's or io-ts's CommonJS build (lib/), which cannot be tree-shaken: the "default" export condition must point at dist/bundler`)
}

const kib = (bytes) => `${(bytes / KiB).toFixed(1)} KiB`
console.table(
  Object.fromEntries(
    measured.map((m) => [
      m.id,
      {
        'min': kib(m.minBytes),
        'min+gz': kib(m.gzipBytes),
        'budget (min+gz)': m.limitBytes === null ? '' : typeof m.budget === 'string' ? `< ${m.budget}` : kib(m.limitBytes),
        'node:*': m.nodeImports.length,
        'ok': m.pass && !(m.core && m.nodeImports.length > 0) ? 'yes' : 'NO',
      },
    ]),
  ),
)
mkdirSync(dirname(args.json), { recursive: true })
writeFileSync(args.json, JSON.stringify({ bundles: measured, failures }, null, 2) + '\n')
for (const failure of failures) console.error(`size: ${failure}`)
process.exit(failures.length === 0 ? 0 : 1)
