/**
 * Documentation code as programs: every `@example` of a doc comment and every `ts` block of a Markdown
 * page becomes one program that is type-checked (see `typecheck.ts`) and run (see test/examples.test.ts).
 *
 * Conventions (documented in docs/README.md):
 * - a snippet imports the package by its public names ('cognito-reconcile', 'cognito-reconcile/sync', ...);
 * - `assert` is Node's: `import assert from 'node:assert'` is added unless the snippet imports `assert`;
 * - a program that runs asserts what it shows (`asserts`), with `assert` or a testkit check;
 * - in Markdown, a ```ts block is a whole program; ```ts continued appends to the program above it on the
 *   same page (checked and run as one program); ```ts excerpt is checked after the program above it (or
 *   alone, when none is above), never run.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository's root. */
export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

/** Where a line of a program comes from: a file of the repository and a 1-based line in it. */
export interface Origin {
  readonly file: string
  readonly line: number
}

/** One piece of documentation code, as written. */
export interface Block {
  /** What the allowlist and error messages call it: `src/reconcile.ts#reconcile`, `README.md#2`. */
  readonly id: string
  readonly file: string
  /** The line of the block's first code line. */
  readonly line: number
  readonly kind: 'whole' | 'continued' | 'excerpt'
  readonly code: string
}

/** A program built from blocks: its code and, for each of its lines, where that line comes from. */
export interface Program {
  readonly id: string
  readonly code: string
  /** `origins[i]` is the origin of line `i + 1` of `code`; `undefined` for a line the checker added. */
  readonly origins: ReadonlyArray<Origin | undefined>
  /** Excerpts are type-checked only. */
  readonly run: boolean
}

const docComments = /\/\*\*[\s\S]*?\*\//g
const lineOf = (text: string, index: number): number => text.slice(0, index).split('\n').length

/** The name a doc comment documents: the declaration after it, or `module` for a file's first comment. */
const subjectOf = (after: string): string =>
  /^\s*(?:export\s+)?(?:declare\s+)?(?:default\s+)?(?:async\s+)?(?:const|let|function\*?|interface|type|class|enum|namespace)\s+([\w$]+)/.exec(after)?.[1] ??
  /^\s*(?:readonly\s+)?([\w$]+)\s*[?:(]/.exec(after)?.[1] ??
  'module'

/** Every `@example` of the doc comments of a TypeScript file: the lines after the tag, to the next tag. */
export const examplesOf = (file: string, text: string): ReadonlyArray<Block> => {
  const seen = new Map<string, number>()
  return [...text.matchAll(docComments)].flatMap((match) => {
    const start = lineOf(text, match.index)
    const subject = subjectOf(text.slice(match.index + match[0].length))
    const lines = match[0].split('\n').map((line) => line.replace(/^\s*\/?\*\*?\/?( |$)/, '').replace(/\s*\*\/\s*$/, ''))
    const blocks: Array<Block> = []
    lines.forEach((line, index) => {
      if (!/^@example\b/.test(line)) return
      const end = lines.findIndex((next, at) => at > index && /^@\w/.test(next))
      const body = lines.slice(index + 1, end === -1 ? lines.length : end)
      const first = body.findIndex((l) => l.trim() !== '')
      if (first === -1) return
      const count = (seen.get(subject) ?? 0) + 1
      seen.set(subject, count)
      blocks.push({
        id: `${file}#${subject}${count > 1 ? `.${count}` : ''}`,
        file,
        line: start + index + 1 + first,
        kind: 'whole',
        code: body.slice(first).join('\n').trimEnd(),
      })
    })
    return blocks
  })
}

/** The `ts` blocks of a Markdown page; a fence with another word than `excerpt` or `continued` is an error. */
export const markdownBlocks = (file: string, text: string): ReadonlyArray<Block> => {
  const lines = text.split('\n')
  const blocks: Array<Block> = []
  let open: { line: number; kind: Block['kind'] } | undefined
  let body: Array<string> = []
  lines.forEach((line, index) => {
    if (open === undefined) {
      const fence = /^```(?:ts|typescript)(?:\s+(\S+))?\s*$/.exec(line)
      if (fence === null) return
      const word = fence[1]
      if (word !== undefined && word !== 'excerpt' && word !== 'continued')
        throw new Error(`${file}:${index + 1}: unknown fence \`ts ${word}\`: use \`ts\`, \`ts excerpt\` or \`ts continued\``)
      open = { line: index + 2, kind: word === undefined ? 'whole' : word }
      body = []
    } else if (/^```\s*$/.test(line)) {
      blocks.push({ id: `${file}#${blocks.length + 1}`, file, line: open.line, kind: open.kind, code: body.join('\n') })
      open = undefined
    } else body.push(line)
  })
  if (open !== undefined) throw new Error(`${file}:${open.line - 1}: a code fence is never closed`)
  return blocks
}

const importsAssert = /^\s*import\s+(?:\*\s+as\s+)?(?:assert\b|\{[^}]*\bassert\b[^}]*\})/m

/** Relative imports (an internal module's example importing its neighbours) become absolute. */
const absolute = (code: string, from: string): string =>
  code.replace(/(from\s+['"]|import\s*\(\s*['"])(\.{1,2}\/[^'"]+)(['"])/g, (_, open: string, specifier: string, close: string) => `${open}${resolve(root, dirname(from), specifier)}${close}`)

/**
 * Programs from blocks, in order: a whole block starts a program, `continued` extends it, and an
 * excerpt is checked after it.
 */
export const programsOf = (blocks: ReadonlyArray<Block>): ReadonlyArray<Program> => {
  const programs: Array<Program> = []
  let current: { id: string; file: string; parts: Array<Block> } | undefined
  const build = (id: string, parts: ReadonlyArray<Block>, run: boolean): Program => {
    const code = parts.map((part) => absolute(part.code, part.file)).join('\n')
    const body = parts.flatMap((part) => part.code.split('\n').map((_, at): Origin => ({ file: part.file, line: part.line + at })))
    const prelude = importsAssert.test(code) ? [] : ["import assert from 'node:assert'"]
    return {
      id,
      code: [...prelude, code, 'export {}', ''].join('\n'),
      origins: [...prelude.map(() => undefined), ...body, undefined],
      run,
    }
  }
  for (const block of blocks) {
    if (block.kind === 'whole') {
      current = { id: block.id, file: block.file, parts: [block] }
      programs.push(build(block.id, current.parts, true))
    } else if (block.kind === 'continued') {
      if (current === undefined || current.file !== block.file)
        throw new Error(`${block.file}:${block.line - 1}: \`ts continued\` with no \`ts\` block above it on the page`)
      current.parts.push(block)
      // the program grows: it replaces the one built so far, keeping its name
      programs.splice(programs.findIndex((program) => program.id === current?.id), 1, build(current.id, current.parts, true))
    } else {
      const context = current !== undefined && current.file === block.file ? current.parts : []
      programs.push(build(block.id, [...context, block], false))
    }
  }
  return programs
}

const tsFiles = (dir: string): ReadonlyArray<string> =>
  readdirSync(join(root, dir), { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? tsFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []))
    .sort()

/** The pages whose `ts` blocks are programs: the README and every page of docs/ (not the generated reference). */
export const markdownPages = (): ReadonlyArray<string> => [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`),
]

/** Every documentation program of the repository: @examples of src/ and strategies/, then the Markdown pages. */
export const repositoryPrograms = (): ReadonlyArray<Program> => {
  const read = (file: string): string => readFileSync(join(root, file), 'utf8')
  const examples = ['src', 'strategies'].flatMap(tsFiles).flatMap((file) => examplesOf(file, read(file)))
  const pages = markdownPages().flatMap((file) => programsOf(markdownBlocks(file, read(file))))
  return [...programsOf(examples), ...pages]
}

const comments = /\/\*[\s\S]*?\*\/|\/\/.*$/gm
const assertion = /\bassert(?:\.\w+)?\s*\(|\bawait\s+check(?:Laws|ThreeWayLaws|Convergence|Store)\s*\(/

/**
 * Whether a program asserts what it shows: it calls Node's `assert` (any of its functions) or awaits one
 * of the testkit's checks (which reject when the check fails). A value shown only in a comment does not
 * count, and neither does the `assert` import.
 */
export const asserts = (program: Program): boolean => assertion.test(program.code.replace(comments, ''))

/** `file:line` of a line of a program, for messages. */
export const where = (program: Program, line: number): string => {
  const origin = program.origins[line - 1]
  return origin === undefined ? `${program.id} (a line the checker added)` : `${origin.file}:${origin.line}`
}
