/** `npm run demo` is the project's main job: it must run, exit 0 and show the converged state. */
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'

describe('the demo', () => {
  it('runs against the embedded emulator, exits 0 and converges', () => {
    const run = spawnSync('npx', ['tsx', 'scripts/demo.ts'], { encoding: 'utf8', timeout: 30_000 })
    expect(run.status, run.stderr).toBe(0)
    expect(run.stdout).toContain('Converged: both devices hold the same records.')
    expect(run.stdout).toMatch(/\| highScore +\| 1800 +\| 1800 +\|/)
    expect(run.stdout).toMatch(/\| inventory +\| \["potion","shield","sword"\] +\| \["potion","shield","sword"\] +\|/)
    expect(run.stdout).toMatch(/\| settings\.theme +\| light +\| light +\|/)
    expect(run.stdout).toMatch(/\| 4\. tablet syncs \| highScore +\| 1800 +\| 1500 +\| keep local +\| maxValue +\|/)
  })
})
