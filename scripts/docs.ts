// npm run docs: writes the API reference, docs/api/*.md, from the doc comments of the entry points.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pages } from './api/reference.js'
import { root } from './examples/snippets.js'

const dir = join(root, 'docs/api')
mkdirSync(dir, { recursive: true })
for (const name of readdirSync(dir)) rmSync(join(dir, name))
const generated = pages()
for (const [name, text] of generated) writeFileSync(join(dir, name), text)
console.log(`docs/api: ${generated.size} pages`)
