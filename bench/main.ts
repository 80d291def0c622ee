/**
 * `npm run bench`: runs the parts, prints their tables, writes every figure to reports/bench.json,
 * and exits non-zero when a part found a problem (a floor that differs from the library, a contender
 * that failed). `npm run bench -- --smoke` (or BENCH_SMOKE=1) is the short run CI does.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, availableParallelism, loadavg, totalmem } from 'node:os'
import { dirname } from 'node:path'
import { type PartName, configFrom } from './config.js'
import { type Part, type Target, met } from './part.js'
import { reconcilePart } from './parts/reconcile.js'
import { sizesPart } from './parts/sizes.js'
import { syncPart } from './parts/sync.js'
import { throughputPart } from './parts/throughput.js'
import { writesPart } from './parts/writes.js'
import { table } from './table.js'

const parts: Record<PartName, Part> = {
  reconcile: reconcilePart,
  writes: writesPart,
  sync: syncPart,
  throughput: throughputPart,
  sizes: sizesPart,
}

const config = configFrom(process.argv.slice(2), process.env)
const machine = {
  cpus: availableParallelism(),
  cpu: cpus()[0]?.model ?? 'unknown',
  node: process.version,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
}
const startedAt = new Date()
const loadBefore = loadavg()
console.log(`# cognito-reconcile benchmark${config.smoke ? ' (smoke)' : ''}`)
console.log(`${startedAt.toISOString()} · ${machine.cpus} cores, ${machine.cpu}, node ${machine.node} · load ${loadBefore.map((l) => l.toFixed(1)).join(' ')}\n`)

const results: Record<string, unknown> = {}
const failures: Array<string> = []
const targets: Array<Target> = []
for (const name of config.parts) {
  const part = parts[name]
  const started = performance.now()
  process.stderr.write(`${name}...\n`)
  try {
    const result = await part(config)
    results[name] = result.json
    failures.push(...result.failures)
    targets.push(...result.targets)
    console.log(`${result.text}\n`)
  } catch (e) {
    const message = e instanceof Error ? (e.stack ?? e.message) : String(e)
    results[name] = { error: message }
    failures.push(`${name}: ${message}`)
    console.log(`## ${name}: FAILED\n${message}\n`)
  }
  process.stderr.write(`${name} done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`)
}

const missed = targets.filter((t) => !met(t))
console.log(`## Targets: ${targets.length - missed.length} of ${targets.length} met`)
if (missed.length > 0)
  console.log(
    table(
      ['missed', 'value', 'target'],
      missed.map((t) => [t.what, t.value.toFixed(t.limit >= 100 ? 0 : 2), `${t.atMost ? '≤' : '≥'} ${t.limit}`]),
    ),
  )
console.log()

const report = {
  command: `npm run bench --${config.smoke ? ' --smoke' : ''}`,
  startedAt: startedAt.toISOString(),
  finishedAt: new Date().toISOString(),
  smoke: config.smoke,
  machine,
  loadAverage: { before: loadBefore, after: loadavg() },
  parts: results,
  targets: targets.map((t) => ({ ...t, met: met(t) })),
  failures,
}
mkdirSync(dirname(config.out), { recursive: true })
writeFileSync(config.out, `${JSON.stringify(report, null, 2)}\n`)
console.log(`Figures written to ${config.out}.`)
if (failures.length > 0) {
  console.error(`\n${failures.length} problem(s):\n${failures.map((f) => `- ${f}`).join('\n')}`)
  process.exitCode = 1
}
