// Runs documentation code as a module, so that docs cannot rot: snippets import the package by its
// public names (see the aliases in vitest.config.ts) and use a global `assert` (node:assert).
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const out = join(root, 'test', '.examples')

/**
 * Writes `code` to a module and imports it. `from` is the file the snippet comes from: an internal
 * module's example imports its neighbours relatively, which from here become absolute.
 */
export const runSnippet = async (name: string, code: string, from: string): Promise<void> => {
  mkdirSync(out, { recursive: true })
  const absolute = code.replace(/(from\s+['"])(\.{1,2}\/[^'"]+)(['"])/g, (_, open: string, specifier: string, close: string) => `${open}${resolve(root, dirname(from), specifier)}${close}`)
  const path = join(out, `${name.replace(/[^\w]/g, '_')}.ts`)
  writeFileSync(path, `import assert from 'node:assert'\n${absolute}\n`)
  await import(pathToFileURL(path).href)
}
