// The example checker catches what it must: a type error in an @example or a Markdown block, named by
// file, line and example, and Markdown programs built over several blocks as the fences say.
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { asserts, examplesOf, markdownBlocks, programsOf, root } from '../scripts/examples/snippets.js'
import { type Failure, emit, newestTsc, typecheck, typecheckWithCli } from '../scripts/examples/typecheck.js'

const source = `/**
 * A function.
 *
 * @example
 * import { emptyState } from 'cognito-reconcile'
 * const count: number = 'three'
 * assert.strictEqual(emptyState.records.size, 0)
 *
 * @since 0.1.0
 */
export const f = () => 1

/**
 * @example
 * assert.strictEqual(1 + 1, 2)
 */
export interface Fine {}
`

const page = [
  '# A page', // 1
  '', // 2
  '```ts', // 3
  "import { emptyState } from 'cognito-reconcile'", // 4
  'const size = emptyState.records.size', // 5
  '```', // 6
  '', // 7
  '```ts continued', // 8
  'assert.strictEqual(size, 0)', // 9
  '```', // 10
  '', // 11
  '```ts excerpt', // 12
  'const wrong: string = size', // 13
  '```', // 14
  '', // 15
  '```ts', // 16
  'const alone: number = size', // 17
  '```', // 18
  '',
].join('\n')

const programs = [...programsOf(examplesOf('src/broken.ts', source)), ...programsOf(markdownBlocks('docs/page.md', page))]
let failures: ReadonlyArray<Failure>
let emitted: ReturnType<typeof emit>
beforeAll(() => {
  emitted = emit(programs, join(root, 'test/.examples/checker'))
  failures = typecheck(emitted)
}, 120_000)

const summary = (list: ReadonlyArray<Failure>) => list.map((failure) => `${failure.at} ${failure.example} ${failure.message.slice(0, 6)}`)
const expected = [
  'src/broken.ts:6 src/broken.ts#f TS2322',
  'docs/page.md:13 docs/page.md#3 TS2322', // the excerpt, checked after the program above it
  "docs/page.md:17 docs/page.md#4 TS2304", // a new whole block does not see the one before
]

describe('the example checker', () => {
  it('names each example by file and declaration, and each Markdown block by page and number', () => {
    expect(programs.map((program) => [program.id, program.run])).toEqual([
      ['src/broken.ts#f', true],
      ['src/broken.ts#Fine', true],
      ['docs/page.md#1', true], // with the block that continues it
      ['docs/page.md#3', false],
      ['docs/page.md#4', true],
    ])
  })

  it('fails on a type error, naming the file, the line and the example (TypeScript 5.9)', () => {
    expect(summary(failures)).toEqual(expected)
  })

  it('fails the same way with the newest TypeScript CLI over the same files', () => {
    expect(summary(typecheckWithCli(emitted, newestTsc()))).toEqual(expected)
  }, 120_000)

  it('adds Node\'s assert unless the example imports it', () => {
    expect(programs[0]?.code.split('\n')[0]).toBe("import assert from 'node:assert'")
    const own = programsOf(examplesOf('src/x.ts', "/**\n * @example\n * import * as assert from 'node:assert'\n * assert.ok(true)\n */\nexport const x = 1\n"))
    expect(own[0]?.code.split('\n')[0]).toBe("import * as assert from 'node:assert'")
  })

  it('tells an example that asserts from one that only shows its result in a comment', () => {
    const program = (body: string) => programsOf(markdownBlocks('docs/x.md', `\`\`\`ts\n${body}\n\`\`\`\n`))[0]!
    const asserting = [
      "assert.strictEqual(f(), 1)",
      "assert(f() === 1)",
      "await assert.rejects(g(), /boom/)",
      "await checkLaws(strategy)",
      "await checkConvergence([a, b], {}, { numRuns: 50 })",
    ]
    const showing = [
      "f() // 1",
      "// assert.strictEqual(f(), 1)",
      "/* assert.strictEqual(f(), 1) */ f()",
      "import assert from 'node:assert'\nf()",
      "checkLaws(strategy) // not awaited: its failure is lost",
      "const assertion = f()",
    ]
    expect(asserting.filter((body) => !asserts(program(body)))).toEqual([])
    expect(showing.filter((body) => asserts(program(body)))).toEqual([])
    // of the programs above that run, only the page's last block asserts nothing
    expect(programs.filter((p) => p.run).map(asserts)).toEqual([true, true, true, false])
  })

  it('refuses an unknown fence word and a continued block with nothing above it', () => {
    expect(() => markdownBlocks('docs/p.md', '```ts partial\nx\n```\n')).toThrow('docs/p.md:1: unknown fence `ts partial`')
    expect(() => programsOf(markdownBlocks('docs/p.md', '```ts continued\nx\n```\n'))).toThrow('docs/p.md:1: `ts continued` with no `ts` block above it')
  })
})
