/**
 * Type-checks documentation programs as a user's code: written to files beside a tsconfig.json that
 * extends the repository's (its strict settings, and `paths` that resolve 'cognito-reconcile/...' to the
 * sources), then checked in one TypeScript program with the pinned compiler's API, or by any `tsc` CLI
 * over the same files (the newest TypeScript has no stable JS API).
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, relative, resolve } from 'node:path'
import ts from 'typescript'
import { type Program, root, where } from './snippets.js'

/** A type error in a program, named by where it is written. */
export interface Failure {
  /** The program's id: `src/reconcile.ts#reconcile`, `docs/sync.md#2`. */
  readonly example: string
  /** `file:line` in the repository. */
  readonly at: string
  readonly message: string
}

/** Programs written to a directory, each under the name of its file there. */
export interface Emitted {
  readonly dir: string
  readonly files: ReadonlyMap<string, Program>
}

/**
 * Snippets are checked under the repository's settings, except that an unused name is no error: an
 * example may declare a value only to show it.
 */
const overrides = { noEmit: true, noUnusedLocals: false, noUnusedParameters: false }

/** Writes each program to `dir` (emptied first), with a tsconfig.json over exactly those files. */
export const emit = (programs: ReadonlyArray<Program>, dir: string): Emitted => {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const files = new Map(programs.map((program, index) => [join(dir, `${String(index).padStart(3, '0')}_${program.id.replace(/[^\w]+/g, '_')}.ts`), program] as const))
  for (const [path, program] of files) writeFileSync(path, program.code)
  const tsconfig = {
    extends: relative(dir, join(root, 'tsconfig.json')),
    compilerOptions: overrides,
    files: [...files.keys()].map((path) => relative(dir, path)),
    include: [],
  }
  writeFileSync(join(dir, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`)
  return { dir, files }
}

const failure = (emitted: Emitted, path: string | undefined, line: number, message: string): Failure => {
  const program = path === undefined ? undefined : emitted.files.get(resolve(path))
  return program === undefined
    ? { example: '(none)', at: path === undefined ? '(options)' : `${relative(root, path)}:${line}`, message }
    : { example: program.id, at: where(program, line), message }
}

/** Type errors of the emitted programs with the pinned TypeScript, in one program. */
export const typecheck = (emitted: Emitted): ReadonlyArray<Failure> => {
  const config = ts.getParsedCommandLineOfConfigFile(join(emitted.dir, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'))
    },
  })
  if (config === undefined) throw new Error(`cannot read ${emitted.dir}/tsconfig.json`)
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options })
  const diagnostics = [
    ...config.errors,
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...config.fileNames.flatMap((name) => {
      const file = program.getSourceFile(name)
      return file === undefined ? [] : [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]
    }),
  ]
  return diagnostics
    .filter((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error)
    .map((diagnostic) =>
      failure(
        emitted,
        diagnostic.file?.fileName,
        diagnostic.file === undefined || diagnostic.start === undefined ? 0 : diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1,
        `TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`,
      ),
    )
}

/** The `tsc` of the newest TypeScript, installed as the devDependency `typescript7`. */
export const newestTsc = (): string => join(createRequire(import.meta.url).resolve('typescript7/package.json'), '../bin/tsc')

/** The version a `tsc` CLI reports. */
export const tscVersion = (tsc: string): string => execFileSync(process.execPath, [tsc, '--version'], { encoding: 'utf8' }).trim()

/** Type errors of the emitted programs with a `tsc` CLI (`tsc -p <dir>`), parsed from its output. */
export const typecheckWithCli = (emitted: Emitted, tsc: string): ReadonlyArray<Failure> => {
  let output: string
  try {
    output = execFileSync(process.execPath, [tsc, '-p', join(emitted.dir, 'tsconfig.json'), '--pretty', 'false'], { cwd: root, encoding: 'utf8' })
  } catch (error) {
    // tsc exits non-zero when it reports errors; its report is on stdout
    output = String((error as { stdout?: unknown }).stdout ?? error)
  }
  const failures: Array<Failure> = []
  for (const line of output.split('\n')) {
    const located = /^(.+?)\((\d+),\d+\): error (TS\d+: .*)$/.exec(line)
    const global = /^error (TS\d+: .*)$/.exec(line)
    if (located !== null) failures.push(failure(emitted, resolve(root, located[1] as string), Number(located[2]), located[3] as string))
    else if (global !== null) failures.push(failure(emitted, undefined, 0, global[1] as string))
    else if (/^\s+\S/.test(line) && failures.length > 0) {
      const last = failures.pop() as Failure
      failures.push({ ...last, message: `${last.message}\n${line}` })
    } else if (line.trim() !== '') failures.push(failure(emitted, undefined, 0, line))
  }
  return failures
}

/** One line per failure: `file:line example: message`. */
export const format = (failures: ReadonlyArray<Failure>): string =>
  failures.map((f) => `${f.at} ${f.example}: ${f.message.replace(/\n/g, '\n    ')}`).join('\n')
