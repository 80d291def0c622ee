/** `npm run demo` is the project's main job: it must run, exit 0, show why each conflict went its way and converge. */
import { spawnSync } from 'node:child_process'
import { beforeAll, describe, expect, it } from 'vitest'

// A run takes seconds; the deadline only stops a demo that hangs, with room for a loaded two-core machine
// (tsx compiles the sources on every start). Each test allows for the runs it makes.
const deadline = 180_000
const demo = (...args: Array<string>) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', ...args], { encoding: 'utf8', timeout: deadline })
const runs = (count: number) => ({ timeout: count * deadline + 10_000 })

describe('the demo', () => {
  let run: ReturnType<typeof demo>
  beforeAll(() => {
    run = demo()
  }, runs(1).timeout)

  it('runs against the embedded emulator, exits 0 and converges', () => {
    expect(run.status, `${run.error?.message ?? ""}\n${run.stderr}`).toBe(0)
    expect(run.stdout).toContain('Converged: both devices hold the same records.')
    expect(run.stdout).toMatch(/\| highScore +\| 1800 +\| 1800 +\|/)
    expect(run.stdout).toMatch(/\| inventory +\| \["potion","shield","sword"\] +\| \["potion","shield","sword"\] +\|/)
    expect(run.stdout).toMatch(/\| settings\.theme +\| light +\| light +\|/)
    expect(run.stdout).toMatch(/\| profile +\| \{"avatar":"dog","name":"Ada L\."\} +\| \{"avatar":"dog","name":"Ada L\."\} +\|/)
    expect(run.stdout).toContain('Coins (readCounter): phone 180, tablet 180')
  })

  it('shows what each device wrote offline and when, and why each conflict went the way it did', () => {
    const { stdout } = run
    expect(stdout).toMatch(/\| phone +\| Jan 2 10:00 +\| settings\.theme +\| light +\|/)
    expect(stdout).toMatch(/\| tablet +\| Jan 2 08:00 +\| settings\.theme +\| solarized +\|/)
    expect(stdout).toMatch(/\| 4\. tablet syncs \| settings\.theme +\| solarized @ Jan 2 08:00 +\| light @ Jan 2 10:00 +\| take remote +\| lastWriterWins +\| the later write wins: remote at Jan 2 10:00 +\|/)
    expect(stdout).toMatch(/\| 4\. tablet syncs \| highScore +\| 1800 @ Jan 2 08:00 +\| 1500 @ Jan 2 10:00 +\| keep local +\| maxValue +\| the higher number wins: 1800 +\|/)
  })

  it('--help prints the usage and exits 0; an unknown option prints it and exits 2, without a stack trace', runs(2), () => {
    const help = demo('--help')
    expect(help.status).toBe(0)
    expect(help.stdout).toMatch(/^Usage: npm run demo/)
    const wrong = demo('--bogus')
    expect(wrong.status).toBe(2)
    expect(wrong.stderr).toMatch(/Unknown option '--bogus'[\s\S]*Usage: npm run demo/)
    expect(wrong.stderr).not.toMatch(/\n\s+at /)
  })

  it('a bad option value fails with the typed error, not a stack trace', runs(1), () => {
    const run = demo('--identity-pool-id', 'us-east-1_AbC123')
    expect(run.status).toBe(1)
    expect(run.stderr).toMatch(/The demo failed: \w+: Invalid identity pool id/)
    expect(run.stderr).not.toMatch(/\n\s+at /)
  })
})
