// The README's TypeScript blocks run as written.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { root, runSnippet } from './snippets.js'

const blocks = [...readFileSync(join(root, 'README.md'), 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] as string)

describe('README', () => {
  it('has examples', () => {
    expect(blocks.length).toBeGreaterThan(0)
  })
  it.each(blocks.map((code, index) => [`README block ${index + 1}`, code] as const))('%s runs', async (name, code) => {
    await runSnippet(name, code, 'README.md')
  })
})
