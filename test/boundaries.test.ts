// The architecture's lines, enforced: the pure core and the strategies stay free of IO so that they run
// in browsers and React Native; the emulator stays independent of the library so that a bug shared by
// both cannot cancel out in our tests.
import { readFileSync, readdirSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

const sources = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  )

/** Every module specifier a file imports or re-exports, static or dynamic. */
const importsOf = (file: string): string[] => {
  // doc comments hold @example imports of the package itself: those are not the module's imports
  const text = readFileSync(join(root, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '')
  const specifiers = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm)]
  return specifiers.map((m) => (m[1] ?? m[2] ?? m[3]) as string)
}

/** Where a relative import lands, as a path from the repository root. */
const target = (file: string, specifier: string): string => relative(root, resolve(root, dirname(file), specifier))

const coreFiles = sources('src').filter((file) => dirname(file) === 'src')
const strategyFiles = sources('strategies')
const emulatorFiles = sources('src/emulator')
const syncFiles = sources('src/sync')
const storeFiles = sources('src/stores')

describe('module boundaries', () => {
  it('finds the files it checks', () => {
    expect(coreFiles).toContain('src/reconcile.ts')
    expect(strategyFiles).toContain('strategies/lastWriterWins.ts')
    expect(storeFiles).toContain('src/stores/sqlite/index.ts')
  })

  it.each([...coreFiles, ...strategyFiles])('%s imports only the core, fp-ts and io-ts', (file) => {
    for (const specifier of importsOf(file)) {
      if (specifier.startsWith('.')) expect(target(file, specifier), `${file} imports ${specifier}`).toMatch(/^(src\/[^/]+|strategies\/[^/]+)$/)
      else expect(specifier, `${file} imports ${specifier}`).toMatch(/^(fp-ts|io-ts)(\/|$)/)
    }
  })

  it.each(emulatorFiles)('%s never imports the library', (file) => {
    for (const specifier of importsOf(file)) {
      if (specifier.startsWith('.')) expect(target(file, specifier), `${file} imports ${specifier}`).toMatch(/^src\/emulator\//)
      else expect(specifier, `${file} imports ${specifier}`).toMatch(/^(node:|@smithy\/signature-v4$)/)
    }
  })

  // the simulator's model of the service stands for the service, as the emulator does: a bug shared
  // with reconcile or a strategy must not cancel out
  it('src/testkit/serviceModel.ts imports only the protocol\'s value types, never reconcile, strategies, the adapter or the emulator', () => {
    for (const specifier of importsOf('src/testkit/serviceModel.ts')) {
      if (specifier.startsWith('.')) expect(target('src/testkit/serviceModel.ts', specifier), specifier).toMatch(/^src\/(codecs|RecordPatch|RemoteRecord)\.js$/)
      else expect(specifier).toBe('@aws-sdk/client-cognito-sync')
    }
  })

  // `cognito-reconcile/stores` is for apps that write before (or without) loading the AWS SDK
  it.each(storeFiles)('%s imports only the core, the stores, fp-ts, io-ts and (SQLite only) better-sqlite3', (file) => {
    for (const specifier of importsOf(file)) {
      if (specifier.startsWith('.')) expect(target(file, specifier), `${file} imports ${specifier}`).toMatch(/^src\/([^/]+|stores\/.+)$/)
      else expect(specifier, `${file} imports ${specifier}`).toMatch(file.startsWith('src/stores/sqlite/') ? /^(fp-ts|io-ts|better-sqlite3)(\/|$)/ : /^(fp-ts|io-ts)(\/|$)/)
    }
  })

  // so that `memoryStore` and `openDataset` import from 'cognito-reconcile/sync' without the SDK installed
  it('the sync adapter loads the AWS SDK only when it calls the service', () => {
    expect(syncFiles).toContain('src/sync/remote.ts')
    const staticSdk = syncFiles.filter((file) => /^import\s+(?!type\s)[^(]*['"]@aws-sdk\/client-cognito-sync['"]/m.test(readFileSync(join(root, file), 'utf8')))
    expect(staticSdk).toEqual([])
  })

  it('the emulator loads the SigV4 signer only when asked to check signatures', () => {
    const staticSigner = emulatorFiles.filter((file) => /^import[^(]*['"]@smithy\/signature-v4['"]/m.test(readFileSync(join(root, file), 'utf8')))
    expect(staticSigner).toEqual([])
  })
})
