// Every @example in a doc comment runs as a test, so documentation cannot rot. Examples import the
// package by its public names and use a global `assert` (node:assert).
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const out = join(root, 'test', '.examples')

const sources = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  )

/** The code of each `@example` block: the comment lines after the tag, up to the next tag or the end. */
const examplesOf = (text: string): string[] =>
  [...text.matchAll(/\/\*\*[\s\S]*?\*\//g)].flatMap(([comment]) =>
    comment
      .split(/^\s*\*\s?@/m)
      .filter((part) => part.startsWith('example'))
      .map((part) =>
        part
          .replace(/^example[^\n]*\n/, '')
          .replace(/\*\/\s*$/, '')
          .split('\n')
          .map((line) => line.replace(/^\s*\*( |$)/, ''))
          .join('\n')
          .trim(),
      ),
  )

const examples = ['src', 'strategies'].flatMap(sources).flatMap((file) =>
  examplesOf(readFileSync(join(root, file), 'utf8')).map((code, index) => ({ file, index, code })),
)

rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })

describe('doc comment examples', () => {
  it('finds examples in the core, the strategies and the adapter', () => {
    const files = new Set(examples.map((example) => example.file))
    expect(files).toContain('src/reconcile.ts')
    expect(files).toContain('strategies/lastWriterWins.ts')
    expect(examples.length).toBeGreaterThan(20)
  })

  it.each(examples.map((example) => [`${example.file} #${example.index + 1}`, example] as const))('%s', async (_, example) => {
    const path = join(out, `${relative(root, example.file).replace(/[/.]/g, '_')}_${example.index}.ts`)
    // an internal module's example imports its neighbours relatively: from here, they are absolute
    const code = example.code.replace(/(from\s+['"])(\.{1,2}\/[^'"]+)(['"])/g, (_, open: string, specifier: string, close: string) => `${open}${resolve(root, dirname(example.file), specifier)}${close}`)
    writeFileSync(path, `import assert from 'node:assert'\n${code}\n`)
    await import(pathToFileURL(path).href)
  })
})
