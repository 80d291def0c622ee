// The testkit works under any runner: node's test runner and jest report the checks that pass and, for the one
// that fails, the readable counterexample.
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'

describe('under node:test', () => {
  it('reports passing checks as ok, and a broken claim with its counterexample', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', 'test/testkit/runners/node-test.ts'], { encoding: 'utf8', timeout: 120_000 })
    expect(run.status).toBe(1)
    expect(run.stdout).toMatch(/^ok \d+ - lastWriterWins holds its laws$/m)
    expect(run.stdout).toMatch(/^ok \d+ - a fleet on lastWriterWins converges$/m)
    expect(run.stdout).toMatch(/^not ok \d+ - localWins claimed commutative$/m)
    expect(run.stdout).toContain('merge(local=a, remote=b) = a')
    expect(run.stdout).toMatch(/Replay: checkLaws\(strategy, options, \{ seed: 1, path: /)
  })
})

describe('under jest', () => {
  it('reports passing checks as ok, and a broken claim with its counterexample', () => {
    const run = spawnSync(process.execPath, ['node_modules/jest/bin/jest.js', '--config', 'test/testkit/runners/jest.config.cjs', '--ci', '--verbose'], { encoding: 'utf8', timeout: 120_000 })
    const output = run.stdout + run.stderr
    expect(run.status).toBe(1)
    expect(output).toMatch(/✓ lastWriterWins holds its laws/)
    expect(output).toMatch(/✓ a fleet on lastWriterWins converges/)
    expect(output).toMatch(/✕ localWins claimed commutative/)
    expect(output).toContain('merge(local=a, remote=b) = a')
    expect(output).toMatch(/Replay: checkLaws\(strategy, options, \{ seed: 1, path: /)
  })
})
