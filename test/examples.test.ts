// Every @example in a doc comment runs as a test, so documentation cannot rot. Examples import the
// package by its public names and use a global `assert` (node:assert).
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { root, runSnippet } from './snippets.js'

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

describe('doc comment examples', () => {
  it('finds examples in the core, the strategies and the adapter', () => {
    const files = new Set(examples.map((example) => example.file))
    expect(files).toContain('src/reconcile.ts')
    expect(files).toContain('strategies/lastWriterWins.ts')
    expect(examples.length).toBeGreaterThan(20)
  })

  it.each(examples.map((example) => [`${example.file} #${example.index + 1}`, example] as const))('%s', async (name, example) => {
    await runSnippet(name, example.code, example.file)
  })
})
