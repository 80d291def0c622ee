// docs/api is generated from the doc comments (npm run docs): it must be what the sources say today.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { entries, pages } from '../scripts/api/reference.js'
import { root } from '../scripts/examples/snippets.js'

describe('the API reference in docs/api', () => {
  const generated = pages()

  it('has a page for every entry point of package.json, and an index', () => {
    expect([...generated.keys()].sort()).toEqual([...entries().map((entry) => entry.page), 'README.md'].sort())
    expect(generated.get('strategies.md')).toContain('### lastWriterWins')
  })

  it('is up to date: run `npm run docs` and commit docs/api when this fails', () => {
    const onDisk = new Map(readdirSync(join(root, 'docs/api')).map((name) => [name, readFileSync(join(root, 'docs/api', name), 'utf8')] as const))
    expect([...onDisk.keys()].sort()).toEqual([...generated.keys()].sort())
    for (const [name, text] of generated) expect(onDisk.get(name), `docs/api/${name}`).toBe(text)
  })
})
