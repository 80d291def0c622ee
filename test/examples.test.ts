// Every code example compiles under the repository's strict settings and runs, as a user would paste it:
// each @example of src/ and strategies/, each `ts` block of README.md and docs/*.md (conventions in
// docs/README.md). All are type-checked in one program with the pinned TypeScript and again with the
// newest TypeScript's CLI over the same files; known failures are listed, with their reasons, in
// test/examples.allowlist.json, which only shrinks.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { type Program, asserts, repositoryPrograms, root } from '../scripts/examples/snippets.js'
import { type Emitted, type Failure, emit, format, newestTsc, tscVersion, typecheck, typecheckWithCli } from '../scripts/examples/typecheck.js'

interface Allowed {
  readonly example: string
  readonly reason: string
}

const allowlist = JSON.parse(readFileSync(join(root, 'test/examples.allowlist.json'), 'utf8')) as ReadonlyArray<Allowed>
const allowed = new Set(allowlist.map((entry) => entry.example))
const programs = repositoryPrograms()
const dir = join(root, 'test/.examples/repository')
const byId = (failures: ReadonlyArray<Failure>, id: string): ReadonlyArray<Failure> => failures.filter((failure) => failure.example === id)

let emitted: Emitted
let failures: ReadonlyArray<Failure>
beforeAll(() => {
  emitted = emit(programs, dir)
  failures = typecheck(emitted)
}, 180_000)

describe('documentation examples', () => {
  it('come from the core, the strategies, the adapter, the README and the docs', () => {
    const files = new Set(programs.map((program) => program.id.replace(/#.*/, '')))
    for (const file of ['src/reconcile.ts', 'strategies/lastWriterWins.ts', 'src/sync/sync.ts', 'README.md', 'docs/sync.md']) expect(files).toContain(file)
    expect(programs.length).toBeGreaterThan(90)
  })

  it('the allowlist names existing examples, each once, each with a reason', () => {
    const ids = new Set(programs.map((program) => program.id))
    expect(allowlist.filter((entry) => !ids.has(entry.example) || entry.reason.trim().length < 10)).toEqual([])
    expect(allowed.size).toBe(allowlist.length)
  })

  it('type errors come only from examples (none from the options or the sources)', () => {
    expect(format(failures.filter((failure) => failure.example === '(none)'))).toBe('')
  })

  it('every allowlisted example still fails to type-check: remove from the allowlist those that pass', () => {
    expect(allowlist.filter((entry) => byId(failures, entry.example).length === 0).map((entry) => entry.example)).toEqual([])
  })

  it.each(programs.map((program) => [program.id, program] as const))('%s type-checks', (id) => {
    if (!allowed.has(id)) expect(format(byId(failures, id))).toBe('')
  })

  it('every example that runs asserts what it shows (with assert or a testkit check, not in a comment)', () => {
    expect(programs.filter((program) => program.run && !asserts(program)).map((program) => program.id)).toEqual([])
  })

  it.each(programs.filter((program) => program.run).map((program) => [program.id, program] as const))('%s runs', async (_, program: Program) => {
    const path = [...emitted.files].find(([, p]) => p === program)?.[0] as string
    await import(pathToFileURL(path).href)
  })
})

describe('with the newest TypeScript', () => {
  it('its CLI finds type errors only in allowlisted examples, over the same files', () => {
    expect(tscVersion(newestTsc())).toMatch(/^Version 7\./)
    expect(format(typecheckWithCli(emitted, newestTsc()).filter((failure) => !allowed.has(failure.example)))).toBe('')
  }, 180_000)
})
