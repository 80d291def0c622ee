// Every exported function of the core and the strategies has a doc comment with an example, but for the
// ones marked `@internal`: exported for the library's other modules and tests, not for users.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { root } from '../scripts/examples/snippets.js'

const modules = [
  ...readdirSync(join(root, 'src')).filter((name) => name.endsWith('.ts')).map((name) => `src/${name}`),
  ...readdirSync(join(root, 'strategies')).map((name) => `strategies/${name}`),
  ...readdirSync(join(root, 'src/testkit')).map((name) => `src/testkit/${name}`),
]

/** Exported functions (`export const f = (` or `export function f`), each with the doc comment before it. */
const exportedFunctions = (text: string): Array<{ name: string; doc: string }> =>
  [...text.matchAll(/(\/\*\*(?:(?!\*\/)[\s\S])*\*\/)?\s*export (?:const (\w+)(?:: [^=]+)? =\s*(?:<[^>]*>)?\s*(?:\(|async \()|function (\w+))/g)].map((m) => ({
    name: (m[2] ?? m[3]) as string,
    doc: m[1] ?? '',
  }))

describe('doc comments', () => {
  it.each(modules)('%s: every exported function has an @example', (file) => {
    // an overloaded function is documented once, on its first signature
    const functions = exportedFunctions(readFileSync(join(root, file), 'utf8'))
    const documented = new Set(functions.filter(({ doc }) => doc.includes('@example') || doc.includes('@internal')).map(({ name }) => name))
    expect([...new Set(functions.map(({ name }) => name))].filter((name) => !documented.has(name))).toEqual([])
  })
})
