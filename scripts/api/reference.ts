/**
 * The API reference: one Markdown page per entry point of the package (`docs/api/<entry>.md`), listing
 * each export with its doc comment, its declaration as the shipped `.d.ts` has it, `@since` and its
 * examples. Generated from the sources by `npm run docs`; test/apiReference.test.ts fails when the
 * pages on disk differ from what it generates.
 */
import { readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import ts from 'typescript'
import { root } from '../examples/snippets.js'

/** An entry point: the name a user imports and the page it gets. */
export interface Entry {
  readonly specifier: string
  readonly page: string
}

/** The package's entry points, from package.json "exports". */
export const entries = (): ReadonlyArray<Entry> => {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; exports: Record<string, unknown> }
  return Object.keys(manifest.exports)
    .filter((subpath) => subpath !== './package.json')
    .map((subpath) => (subpath === '.' ? { specifier: manifest.name, page: `${manifest.name}.md` } : { specifier: `${manifest.name}/${subpath.slice(2)}`, page: `${subpath.slice(2)}.md` }))
}

interface Documented {
  readonly name: string
  readonly kind: 'Types' | 'Classes' | 'Functions and values'
  readonly description: string
  readonly declaration: string
  readonly since: string | undefined
  readonly examples: ReadonlyArray<string>
  readonly source: string
}

const compilerOptions = (): ts.CompilerOptions => {
  const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })
  if (config === undefined) throw new Error('cannot read tsconfig.json')
  return { ...config.options, noEmit: false, declaration: true, emitDeclarationOnly: true, declarationMap: false, sourceMap: false, rootDir: root, outDir: join(root, '.api') }
}

const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed })

/** The statements of a declaration file that declare `name`. */
const declarationsOf = (dts: ts.SourceFile, name: string): ReadonlyArray<ts.Statement> =>
  dts.statements.filter((statement) =>
    ts.isVariableStatement(statement)
      ? statement.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name)
      : (ts.isFunctionDeclaration(statement) || ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) &&
        statement.name?.text === name,
  )

const tagText = (tag: ts.JSDocTagInfo): string => ts.displayPartsToString(tag.text).trim()

/** An entry point's source file and its exports, documented. */
export interface Module {
  readonly entry: Entry
  readonly file: string
  readonly exports: ReadonlyArray<Documented>
}

/** Every export of every entry point, documented, in one program. */
export const reference = (): ReadonlyArray<Module> => {
  const options = compilerOptions()
  const host = ts.createCompilerHost(options)
  const resolve = (specifier: string): string => {
    const resolved = ts.resolveModuleName(specifier, join(root, 'index.ts'), options, host).resolvedModule
    if (resolved === undefined) throw new Error(`${specifier} does not resolve: is it in tsconfig.json "paths"?`)
    return resolved.resolvedFileName
  }
  const files = new Map(entries().map((entry) => [entry, resolve(entry.specifier)] as const))
  const program = ts.createProgram({ rootNames: [...files.values()], options, host })
  const checker = program.getTypeChecker()
  const emitted = new Map<string, ts.SourceFile>()
  program.emit(undefined, (fileName, text) => emitted.set(fileName, ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true)), undefined, true)
  const dtsOf = (file: string): ts.SourceFile | undefined => emitted.get(join(options.outDir as string, relative(root, file)).replace(/\.ts$/, '.d.ts'))

  return [...files].map(([entry, file]): Module => {
      const module = checker.getSymbolAtLocation(program.getSourceFile(file) as ts.SourceFile)
      const exported = module === undefined ? [] : checker.getExportsOfModule(module)
      const documented = exported.map((symbol): Documented => {
        const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol
        const declaration = target.declarations?.[0]
        const sourceFile = declaration?.getSourceFile()
        const dts = sourceFile === undefined ? undefined : dtsOf(sourceFile.fileName)
        const statements = dts === undefined ? [] : declarationsOf(dts, target.name)
        const tags = target.getJsDocTags(checker)
        const kind = target.flags & ts.SymbolFlags.Class ? 'Classes' : target.flags & ts.SymbolFlags.Value ? 'Functions and values' : 'Types'
        return {
          name: symbol.name,
          kind,
          description: ts.displayPartsToString(target.getDocumentationComment(checker)).trim(),
          declaration: statements
            .map((statement) => printer.printNode(ts.EmitHint.Unspecified, statement, dts as ts.SourceFile).replace(/^export /, ''))
            .join('\n'),
          since: tags.find((tag) => tag.name === 'since')?.text === undefined ? undefined : tagText(tags.find((tag) => tag.name === 'since') as ts.JSDocTagInfo),
          examples: tags.filter((tag) => tag.name === 'example').map(tagText),
          source: sourceFile === undefined ? '' : relative(root, sourceFile.fileName),
        }
      })
      return { entry, file, exports: documented.sort((a, b) => a.name.localeCompare(b.name, 'en')) }
  })
}

/** The module's own doc comment: the first comment of its file, before any statement. */
const moduleDoc = (module: Module): string => {
  const text = readFileSync(module.file, 'utf8')
  const first = /^\s*\/\*\*([\s\S]*?)\*\//.exec(text)?.[1]
  if (first === undefined) return ''
  return first
    .split('\n')
    .map((line) => line.replace(/^\s*\* ?/, ''))
    .filter((line) => !line.startsWith('@'))
    .join('\n')
    .trim()
}

const anchor = (name: string): string => name.toLowerCase().replace(/[^\w-]/g, '')

/** The Markdown page of one entry point. */
export const page = (module: Module): string => {
  const { entry, exports: documented } = module
  const kinds = (['Functions and values', 'Classes', 'Types'] as const).filter((kind) => documented.some((d) => d.kind === kind))
  const lines = [
    `# ${entry.specifier}`,
    '',
    moduleDoc(module),
    '',
    `<!-- Generated by \`npm run docs\` from the doc comments of the sources: edit those, not this page. -->`,
    '',
    ...kinds.flatMap((kind) => [`- ${kind}: ${documented.filter((d) => d.kind === kind).map((d) => `[${d.name}](#${anchor(d.name)})`).join(', ')}`]),
    '',
  ]
  for (const kind of kinds) {
    lines.push(`## ${kind}`, '')
    for (const d of documented.filter((x) => x.kind === kind)) {
      lines.push(`### ${d.name}`, '')
      if (d.description !== '') lines.push(d.description, '')
      if (d.declaration !== '') lines.push('```ts', d.declaration, '```', '')
      for (const example of d.examples) lines.push('Example:', '', '```ts', example, '```', '')
      lines.push(`${d.since === undefined ? 'No `@since`' : `Since ${d.since}`}, in \`${d.source}\`.`, '')
    }
  }
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`
}

/** Every page of docs/api, by file name, with the index page `README.md`. */
export const pages = (): ReadonlyMap<string, string> => {
  const result = new Map<string, string>()
  const index = ['# API reference', '', '<!-- Generated by `npm run docs`: edit the doc comments of the sources, not these pages. -->', '', '| import | exports |', '|---|---|']
  for (const module of reference()) {
    result.set(module.entry.page, page(module))
    index.push(`| [\`${module.entry.specifier}\`](${module.entry.page}) | ${module.exports.length} |`)
  }
  result.set('README.md', `${index.join('\n')}\n`)
  return result
}
