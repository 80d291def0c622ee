// Checks the package as users get it. Packs it (or takes the tarball given), lays it out in scratch
// apps as npm installs it (the tarball extracted into node_modules, beside the dependencies the app has
// installed), and then:
// 1. loads every subpath of scripts/entries.mjs in Node, with `import` (ESM, the esm build) and with
//    `require` (CommonJS, the cjs build);
// 2. in an app with none of the optional peers (no AWS SDK, no better-sqlite3, no fast-check), uses the
//    core, the strategies and memoryStore/openDataset from 'cognito-reconcile/sync';
// 3. compiles a consumer importing every subpath, under --strict with skipLibCheck off (so the shipped
//    .d.ts are checked too) and without @types/better-sqlite3, with the build's TypeScript (5.9) and the
//    newest (7), for module nodenext (ESM and CommonJS), node16, commonjs (node10 resolution) and bundler.
//
//   node scripts/check-package.mjs [path/to/cognito-reconcile.tgz] [--no-types]   (--no-types: 1 and 2 only)
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { entries } from './entries.mjs'

const root = resolve(dirname(new URL(import.meta.url).pathname), '..')
const scratch = mkdtempSync(join(tmpdir(), 'check-package-'))
const run = (file, args, options = {}) => execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options })

const [given] = process.argv.slice(2).filter((a) => !a.startsWith('--'))
const tarball = given ? resolve(given) : join(scratch, run('npm', ['pack', '--silent', '--pack-destination', scratch], { cwd: root }).trim().split('\n').at(-1))
const names = entries.map(({ subpath }) => `cognito-reconcile${subpath.slice(1)}`)

/** A scratch app whose node_modules holds the tarball and the named packages, linked from this repository's. */
const app = (name, installed) => {
  const dir = join(scratch, name)
  const modules = join(dir, 'node_modules')
  mkdirSync(modules, { recursive: true })
  run('tar', ['xzf', tarball, '-C', dir])
  renameSync(join(dir, 'package'), join(modules, 'cognito-reconcile'))
  for (const pkg of installed) {
    mkdirSync(dirname(join(modules, pkg)), { recursive: true })
    symlinkSync(join(root, 'node_modules', pkg), join(modules, pkg), 'dir')
  }
  return dir
}

const failures = []
const check = (what, body) => {
  try {
    body()
    console.log(`ok   ${what}`)
  } catch (error) {
    failures.push(what)
    console.log(`FAIL ${what}\n${[error.stdout, error.stderr].filter(Boolean).join('\n') || error.message}`)
  }
}

const peers = ['@aws-sdk/client-cognito-sync', '@smithy/signature-v4', 'better-sqlite3', 'fast-check']
const full = app('full', ['fp-ts', 'io-ts', ...peers, '@types/node'])
const bare = app('bare', ['fp-ts', 'io-ts'])

// 1. Node loads every subpath, each from the build of its format
writeFileSync(
  join(full, 'load.mjs'),
  `for (const name of ${JSON.stringify(names)}) {
  const url = import.meta.resolve(name)
  if (!url.includes('/dist/esm/')) throw new Error(name + ' resolved to ' + url + ', not the esm build')
  if (Object.keys(await import(name)).length === 0) throw new Error(name + ' exports nothing')
}`,
)
writeFileSync(
  join(full, 'load.cjs'),
  `for (const name of ${JSON.stringify(names)}) {
  const path = require.resolve(name)
  if (!path.includes('/dist/cjs/')) throw new Error(name + ' resolved to ' + path + ', not the cjs build')
  if (Object.keys(require(name)).length === 0) throw new Error(name + ' exports nothing')
}`,
)
check(`Node ESM imports ${names.join(', ')}`, () => run(process.execPath, ['load.mjs'], { cwd: full }))
check(`Node CommonJS requires ${names.join(', ')}`, () => run(process.execPath, ['load.cjs'], { cwd: full }))

// 2. without the optional peers
const withoutPeers = `const { emptyState } = core
const { lastWriterWins } = strategies
if (emptyState === undefined || lastWriterWins === undefined) throw new Error('the core or the strategies are missing exports')
const opened = sync.openDataset(sync.memoryStore(), 'settings')
if (opened._tag !== 'Right') throw new Error('openDataset: ' + JSON.stringify(opened))
const written = opened.right.put('theme', 'dark')()
written.then(() => opened.right.get('theme')()).then((read) => {
  if (JSON.stringify(read) !== JSON.stringify({ _tag: 'Right', right: { _tag: 'Some', value: 'dark' } })) throw new Error('read back ' + JSON.stringify(read))
})`
writeFileSync(
  join(bare, 'use.mjs'),
  `import * as core from 'cognito-reconcile'\nimport * as strategies from 'cognito-reconcile/strategies'\nimport * as sync from 'cognito-reconcile/sync'\n${withoutPeers}`,
)
writeFileSync(join(bare, 'use.cjs'), `const core = require('cognito-reconcile')\nconst strategies = require('cognito-reconcile/strategies')\nconst sync = require('cognito-reconcile/sync')\n${withoutPeers}`)
check('without the AWS SDK or any other optional peer, ESM: the core, strategies, memoryStore and openDataset', () => run(process.execPath, ['use.mjs'], { cwd: bare }))
check('without the AWS SDK or any other optional peer, CommonJS: the same', () => run(process.execPath, ['use.cjs'], { cwd: bare }))

// 3. the shipped types, in every resolution mode, with both compilers
const tscOf = (pkg) => join(dirname(createRequire(join(root, 'package.json')).resolve(`${pkg}/package.json`)), 'bin', 'tsc')
const compilers = [
  { name: 'TypeScript 5.9', tsc: tscOf('typescript'), node10: true },
  // TypeScript 7 no longer has node10 resolution
  { name: 'TypeScript 7', tsc: tscOf('typescript7'), node10: false },
]
const modes = [
  { name: 'module nodenext, ESM', type: 'module', options: { module: 'nodenext' } },
  { name: 'module nodenext, CommonJS', type: 'commonjs', options: { module: 'nodenext' } },
  { name: 'module node16, ESM', type: 'module', options: { module: 'node16' } },
  // fast-check 4's own .d.ts import pure-rand through "exports", which node10 cannot follow: the testkit's
  // types need node16 or bundler resolution whatever this package does
  { name: 'module commonjs, node10 resolution', type: 'commonjs', options: { module: 'commonjs', moduleResolution: 'node10' }, node10: true, without: ['cognito-reconcile/testkit'] },
  { name: 'module esnext, bundler resolution', type: 'module', options: { module: 'esnext', moduleResolution: 'bundler' } },
]
const consumer = (imported) => `${imported.map((name, i) => `import * as entry${i} from '${name}'`).join('\n')}
export const entries: ReadonlyArray<object> = [${imported.map((_, i) => `entry${i}`).join(', ')}]
`
for (const [i, mode] of process.argv.includes('--no-types') ? [] : modes.entries()) {
  const dir = join(full, `types-${i}`)
  mkdirSync(dir)
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: mode.type }))
  writeFileSync(join(dir, 'consumer.ts'), consumer(names.filter((name) => !mode.without?.includes(name))))
  const options = { strict: true, noEmit: true, skipLibCheck: false, target: 'es2022', lib: ['es2022'], types: ['node'], ...mode.options }
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: options, files: ['consumer.ts'] }))
  for (const compiler of compilers.filter((c) => c.node10 || !mode.node10)) {
    check(`${compiler.name}, ${mode.name}: every subpath's types compile under --strict`, () => run(process.execPath, [compiler.tsc, '-p', dir], { cwd: dir }))
  }
}

rmSync(scratch, { recursive: true, force: true })
console.log(`package checks: ${failures.length === 0 ? 'all passed' : `${failures.length} failed`}`)
process.exit(failures.length === 0 ? 0 : 1)
