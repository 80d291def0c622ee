// Builds the three flavours of scripts/entries.mjs from the same sources: dist/esm and dist/cjs with
// tsc, each with declarations of its own format, then dist/bundler from dist/esm with fp-ts's and
// io-ts's imports pointed at their ES modules.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import ts from 'typescript'
import { entries, flavours, staleFields } from './entries.mjs'

const stale = staleFields(JSON.parse(readFileSync('package.json', 'utf8')))
if (stale.length > 0) throw new Error(`package.json: ${stale.join(', ')} do not match scripts/entries.mjs; run \`node scripts/entries.mjs --write\``)

// TypeScript 5.9 by its path: the typescript7 devDependency (TypeScript 7, for checks) installs a `tsc` too
const tsc = (...args) => execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', ...args], { stdio: 'inherit' })

rmSync('dist', { recursive: true, force: true })
tsc('--outDir', flavours.esm)
tsc('--module', 'CommonJS', '--moduleResolution', 'Node10', '--verbatimModuleSyntax', 'false', '--outDir', flavours.cjs)
writeFileSync(join(flavours.cjs, 'package.json'), JSON.stringify({ type: 'commonjs' }) + '\n')

/**
 * Where a bundler should find what Node finds at `specifier`: fp-ts and io-ts have no "exports" and
 * their `es6/` ES modules are not loadable by Node, so the sources import `fp-ts/lib/X.js`; here that
 * becomes `fp-ts/es6/X.js`. Any other form of an fp-ts or io-ts import is refused, so none slips through.
 */
const bundlerSpecifier = (specifier) => {
  const match = /^(fp-ts|io-ts)(?:\/lib\/([\w]+\.js))?$/.exec(specifier)
  if (match) return `${match[1]}/es6/${match[2] ?? 'index.js'}`
  if (/^(fp-ts|io-ts)(\/|$)/.test(specifier)) throw new Error(`cannot map ${specifier} to an ES module: import fp-ts/lib/X.js or io-ts`)
  return specifier
}

const specifiers = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])([^'"\n]+)\2/g

const files = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]))

/**
 * Where a call or `new` runs at module load, to compute a top-level constant: those get a
 * `@__PURE__` annotation, so that a bundler drops the constants an app does not use (bundlers keep any
 * call they cannot prove free of side effects). The package's modules have none ("sideEffects": false).
 */
const moduleLoadCalls = (text) => {
  const file = ts.createSourceFile('module.js', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS)
  const starts = []
  const visit = (node) => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) starts.push(node.getStart(file))
    ts.forEachChild(node, visit)
  }
  for (const statement of file.statements.filter(ts.isVariableStatement)) {
    for (const declaration of statement.declarationList.declarations) if (declaration.initializer) visit(declaration.initializer)
  }
  return starts
}

const forBundlers = (text) => {
  const annotated = moduleLoadCalls(text)
    .sort((a, b) => b - a)
    .reduce((code, start) => `${code.slice(0, start)}/* @__PURE__ */ ${code.slice(start)}`, text)
  return annotated.replace(specifiers, (_, before, quote, specifier) => `${before}${quote}${bundlerSpecifier(specifier)}${quote}`)
}

for (const file of files(flavours.esm).filter((f) => f.endsWith('.js'))) {
  const target = join(flavours.bundler, file.slice(flavours.esm.length))
  mkdirSync(dirname(target), { recursive: true })
  writeFileSync(target, forBundlers(readFileSync(file, 'utf8')))
}

const missing = entries.flatMap(({ source }) => Object.values(flavours).map((dir) => join(dir, source.replace(/\.ts$/, '.js')))).filter((f) => !existsSync(f))
if (missing.length > 0) throw new Error(`entries not built: ${missing.join(', ')}`)
