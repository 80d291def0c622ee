// The TypeScript blocks of the README and of the docs that promise runnable code run as written.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { root, runSnippet } from './snippets.js'

const blocksOf = (file: string) => [...readFileSync(join(root, file), 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] as string)
const blocks = ['README.md', 'docs/app.md', 'docs/strategies.md', 'docs/testkit.md'].flatMap((file) => blocksOf(file).map((code, index) => ({ file, index, code })))

describe('documentation code', () => {
  it('the README has examples', () => {
    expect(blocks.filter((block) => block.file === 'README.md').length).toBeGreaterThan(0)
  })
  it.each(blocks.map((block) => [`${block.file} block ${block.index + 1}`, block] as const))('%s runs', async (name, block) => {
    await runSnippet(name, block.code, block.file)
  })
})
