// The TypeScript blocks of docs/sync.md (the README's sync example among them) run as written.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { root, runSnippet } from '../snippets.js'

const blocks = [...readFileSync(join(root, 'docs/sync.md'), 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] as string)

describe('docs/sync.md', () => {
  it('has the full example', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2)
  })
  it.each(blocks.map((code, index) => [`docs/sync.md block ${index + 1}`, code] as const))('%s runs', async (name, code) => {
    await runSnippet(name, code, 'docs/sync.md')
  })
})
