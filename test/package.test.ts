// package.json's entry points are derived from scripts/entries.mjs: this holds them together, so that a
// subpath added in one place and not the other fails here rather than in a user's bundler.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { entries } from '../scripts/entries.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const scratch = mkdtempSync(join(tmpdir(), 'entries-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/** The check's exit code and what it printed, for package.json as given. */
const check = (pkg: unknown): { status: number; stderr: string } => {
  const path = join(scratch, 'package.json')
  writeFileSync(path, JSON.stringify(pkg))
  try {
    execFileSync(process.execPath, [join(root, 'scripts/entries.mjs'), '--check', path], { stdio: 'pipe' })
    return { status: 0, stderr: '' }
  } catch (error) {
    const { status, stderr } = error as { status: number; stderr: Buffer }
    return { status, stderr: stderr.toString() }
  }
}

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, Record<string, unknown>>

describe('package.json entry points', () => {
  it('match scripts/entries.mjs', () => {
    expect(check(pkg)).toEqual({ status: 0, stderr: '' })
  })

  it('a subpath missing from "exports" is caught', () => {
    const { './sync': _, ...exports } = pkg.exports as Record<string, unknown>
    const result = check({ ...pkg, exports })
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('exports do not match scripts/entries.mjs')
  })

  it('a subpath missing from "typesVersions" (node10 types) is caught', () => {
    const result = check({ ...pkg, typesVersions: { '*': {} } })
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('typesVersions do not match')
  })

  it('ships the builds and the docs, not the TypeScript sources', () => {
    expect(pkg.files).toEqual(['dist', 'docs', 'README.md', 'CHANGELOG.md'])
  })
})

describe('tsconfig.json paths', () => {
  // the type-check of tests and examples resolves the package's names through them
  const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as { compilerOptions: { paths: Record<string, ReadonlyArray<string>> } }
  const resolved = (name: string): string | undefined => {
    const paths = tsconfig.compilerOptions.paths
    const exact = paths[name]?.[0]
    if (exact !== undefined) return exact
    const wildcard = paths['cognito-reconcile/*']?.[0]
    return name.startsWith('cognito-reconcile/') ? wildcard?.replace('*', name.slice('cognito-reconcile/'.length)) : undefined
  }

  it.each(entries)('map $subpath to its source', ({ subpath, source }) => {
    expect(resolved(`cognito-reconcile${subpath.slice(1)}`)).toBe(`./${source}`)
  })
})
