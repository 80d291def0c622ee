// npm run test:mutation [-- area ...] [--verify-only]: Stryker on each area (stryker/areas.mjs), then
// the checks Stryker cannot make here, and the scores that count (CONTRIBUTING.md, "Mutation testing").
//
// 1. Module-level ("static") mutants, which Stryker leaves out (ignoreStatic: each would run every suite of
//    the area): each is applied to a copy of the repository and the area's suites run on a fresh load;
//    a failing suite kills it, a passing one makes it a survivor.
// 2. Timeouts, re-checked: on a loaded machine a mutant whose tests merely ran slow is reported as timed
//    out, which counts as a kill. Each is applied to a copy of the repository and the suites covering it
//    run on a fresh load with a generous limit: they fail or hang (a real kill), or pass (a survivor).
// 3. Survivors judged equivalent (stryker/equivalent/<area>.json, each with its reason) are listed apart; a
//    judgement that no longer matches a surviving mutant is reported, so the list cannot go stale.
// Writes reports/mutation/<area>.verified.json and prints the scores per file.
import { spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { areas, propertyRuns } from '../stryker/areas.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const args = process.argv.slice(2)
const verifyOnly = args.includes('--verify-only')
const option = (flag, fallback) => {
  const at = args.indexOf(flag)
  return at === -1 ? fallback : Number(args[at + 1])
}
const staticWorkers = option('--static-workers', 2)
const staticMinutes = option('--static-minutes', Infinity)
const timeoutMinutes = option('--timeout-minutes', Infinity)
const valued = ['--static-workers', '--static-minutes', '--timeout-minutes']
const names = args.filter((arg, i) => !arg.startsWith('--') && !valued.includes(args[i - 1] ?? ''))
const chosen = names.length === 0 ? Object.keys(areas) : names
for (const name of chosen) if (areas[name] === undefined) throw new Error(`unknown area '${name}': one of ${Object.keys(areas).join(', ')}`)

const detected = new Set(['Killed', 'Timeout'])
const counted = new Set(['Killed', 'Timeout', 'Survived', 'NoCoverage'])

/** A mutant's identity across runs: file, position, mutator and replacement. */
const keyOf = (file, mutant) => `${file}:${mutant.location.start.line}:${mutant.location.start.column} ${mutant.mutatorName} ${JSON.stringify(mutant.replacement ?? '')}`

/** The source with one mutant applied (lines and columns are 1-based). */
const applied = (source, { location, replacement }) => {
  const lines = source.split('\n')
  const offset = (pos) => lines.slice(0, pos.line - 1).reduce((n, line) => n + line.length + 1, 0) + pos.column - 1
  return source.slice(0, offset(location.start)) + (replacement ?? '') + source.slice(offset(location.end))
}

/** A copy of the repository (node_modules linked) in which mutants are applied one at a time. */
const scratchCopy = () => {
  const dir = mkdtempSync(join(tmpdir(), 'mutation-'))
  cpSync(root, dir, { recursive: true, filter: (path) => !/[/\\](node_modules|\.git|\.stryker-tmp|reports|dist)$/.test(path) })
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'))
  return dir
}

/**
 * The area's suites in a new process, on one module registry (`--no-isolate`, one worker): the mutated
 * module is loaded once, fresh, and every suite sees it; a failing suite (or a crash) kills the mutant.
 */
const runSuites = (dir, name, files = [], limitMs = 30 * 60_000) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...files, '--config', 'stryker/vitest.ts', '--bail', '1', '--no-isolate', '--pool', 'threads', '--maxWorkers', '1'], {
      cwd: dir,
      env: { ...propertyRuns, ...process.env, STRYKER_AREA: name, CI: '' },
      stdio: 'ignore',
      timeout: limitMs,
    })
    child.on('close', (code) => resolve(code === 0))
  })

/**
 * How long a run of `files` may take before it counts as hanging: five times what the unmutated run takes
 * now, on this machine under its present load (measured once per set of suites), and at least a minute.
 */
const limitFor = async (dir, name, files, measured) => {
  const key = files.join(' ')
  if (!measured.has(key)) {
    const started = Date.now()
    if (!(await runSuites(dir, name, files))) throw new Error(`the suites ${key} fail without any mutant: fix them first`)
    measured.set(key, Date.now() - started)
  }
  return Math.max(60_000, 5 * measured.get(key))
}

const sha = (text) => createHash('sha256').update(text).digest('hex').slice(0, 16)

/**
 * Re-checks, `workers` at a time, each in its own copy of the repository, until `minutes` have passed (the
 * rest keep Stryker's status and are reported so): the mutants `pick` chooses, against each set of suites
 * `stagesOf` names in turn (all of the area's for an empty set). A failing or hanging run kills the mutant
 * (any suite's failure is a kill, so a small set of likely suites goes first); passing every stage makes
 * it a survivor. Kills are remembered in reports/mutation/<area>.<kind>.json, by mutant and the
 * file's source, so a later run re-checks only the survivors and what changed.
 */
const recheck = async (name, report, kind, { pick, stagesOf, workers, minutes, describe }) => {
  const pending = Object.entries(report.files).flatMap(([file, { mutants }]) => mutants.filter(pick).map((mutant) => ({ file, mutant })))
  if (pending.length === 0) return
  const cacheFile = join(root, `reports/mutation/${name}.${kind}.json`)
  const killed = existsSync(cacheFile) ? JSON.parse(readFileSync(cacheFile, 'utf8')) : {}
  const sources = new Map(Object.keys(report.files).map((file) => [file, readFileSync(join(root, file), 'utf8')]))
  const cacheKey = (file, mutant) => `${keyOf(file, mutant)} ${sha(sources.get(file))}`
  const deadline = Date.now() + minutes * 60_000
  console.error(`${name}: ${pending.length} ${describe} (${workers} at a time, for at most ${minutes} minutes)`)
  let done = 0
  const measured = new Map()
  const work = async () => {
    const dir = scratchCopy()
    try {
      for (let next = pending.shift(); next !== undefined; next = pending.shift()) {
        const { file, mutant } = next
        if (killed[cacheKey(file, mutant)] === undefined) {
          if (Date.now() > deadline) {
            mutant.recheck = 'not re-checked in this run (time budget)'
            continue
          }
          let passed = true
          for (const suites of stagesOf(file, mutant)) {
            const limit = await limitFor(dir, name, suites, measured)
            writeFileSync(join(dir, file), applied(sources.get(file), mutant))
            passed = await runSuites(dir, name, suites, limit)
            writeFileSync(join(dir, file), sources.get(file))
            if (!passed) break
          }
          if (!passed) killed[cacheKey(file, mutant)] = new Date().toISOString()
          mutant.status = passed ? 'Survived' : 'Killed'
        } else mutant.status = 'Killed'
        mutant.statusReason = `${kind}: ${mutant.status.toLowerCase()} on a fresh load (scripts/mutation.mjs)`
        mutant.recheck = 'done'
        done += 1
        console.error(`  ${done} ${keyOf(file, mutant)}: ${mutant.status}`)
        writeFileSync(cacheFile, JSON.stringify(killed, null, 1))
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
  await Promise.all(Array.from({ length: workers }, work))
}

/** The area's suites named after `file` (src/codecs.ts: test/codecs.test.ts, test/codecs.edges.test.ts). */
const namesakes = (report, file) => {
  const base = file.replace(/^.*\//, '').replace(/\.ts$/, '').toLowerCase()
  return Object.keys(report.testFiles ?? {}).filter((suite) => suite.replace(/^.*\//, '').toLowerCase().startsWith(`${base}.`))
}

/**
 * Module-level mutants, which Stryker leaves out: each against the suites named after its file, then, if
 * they pass, against every suite of the area.
 */
const verifyStatic = (name, report, { workers, minutes }) =>
  recheck(name, report, 'static', {
    pick: (m) => m.static && !detected.has(m.status),
    stagesOf: (file) => {
      const likely = namesakes(report, file)
      return likely.length > 0 ? [likely, []] : [[]]
    },
    workers,
    minutes,
    describe: 'module-level mutants, each on a fresh load',
  })

/** Stryker's timeouts: each against the suites that cover it. */
const verifyTimeouts = (name, report, { workers, minutes }) => {
  const fileOf = new Map(Object.entries(report.testFiles ?? {}).flatMap(([file, { tests }]) => tests.map((test) => [test.id, file])))
  return recheck(name, report, 'timeouts', {
    pick: (m) => m.status === 'Timeout',
    stagesOf: (_file, m) => [[...new Set((m.coveredBy ?? []).map((id) => fileOf.get(id)).filter((file) => file !== undefined))]],
    workers,
    minutes,
    describe: 'timed-out mutants, each against its covering suites on a fresh load',
  })
}

/** The area's survivors judged equivalent: mutant key -> why no test can tell it from the original. */
const judgedIn = (name) => JSON.parse(readFileSync(join(root, `stryker/equivalent/${name}.json`), 'utf8'))

const percent = (part, whole) => (whole === 0 ? 100 : (100 * part) / whole)

const summarize = (name, report) => {
  const judged = judgedIn(name)
  const rows = Object.entries(report.files).map(([file, { mutants }]) => {
    const all = mutants.filter((m) => counted.has(m.status))
    const killed = all.filter((m) => detected.has(m.status)).length
    const equivalent = all.filter((m) => !detected.has(m.status) && judged[keyOf(file, m)] !== undefined).length
    return { file, mutants: all.length, killed, equivalent, score: percent(killed, all.length), scoreWithoutEquivalent: percent(killed, all.length - equivalent) }
  })
  const total = rows.reduce((sum, row) => ({ mutants: sum.mutants + row.mutants, killed: sum.killed + row.killed, equivalent: sum.equivalent + row.equivalent }), { mutants: 0, killed: 0, equivalent: 0 })
  console.log(`\n## ${name}\n\n| file | mutants | killed | judged equivalent | score | score without equivalent |\n|---|---|---|---|---|---|`)
  for (const row of rows) console.log(`| ${row.file} | ${row.mutants} | ${row.killed} | ${row.equivalent} | ${row.score.toFixed(1)}% | ${row.scoreWithoutEquivalent.toFixed(1)}% |`)
  console.log(`| **all** | ${total.mutants} | ${total.killed} | ${total.equivalent} | ${percent(total.killed, total.mutants).toFixed(1)}% | ${percent(total.killed, total.mutants - total.equivalent).toFixed(1)}% |`)
  const unchecked = Object.values(report.files).reduce((n, { mutants }) => n + mutants.filter((m) => m.status === 'Ignored' && m.static).length, 0)
  if (unchecked > 0) console.log(`\nmodule-level mutants not checked (time budget), so not in the scores: ${unchecked}`)
  const timeouts = Object.values(report.files).reduce((n, { mutants }) => n + mutants.filter((m) => m.status === 'Timeout' && m.recheck !== 'done').length, 0)
  if (timeouts > 0) console.log(`\ntimeouts not re-checked (time budget), counted as kills as Stryker counts them: ${timeouts}`)
  const unjudged = Object.entries(report.files).flatMap(([file, { mutants }]) =>
    mutants.filter((m) => counted.has(m.status) && !detected.has(m.status) && judged[keyOf(file, m)] === undefined).map((m) => keyOf(file, m)),
  )
  console.log(`\nsurvivors not yet judged (${unjudged.length}):`)
  for (const key of unjudged) console.log(`- ${key}`)
  return Object.entries(report.files).flatMap(([file, { mutants }]) => mutants.filter((m) => counted.has(m.status) && !detected.has(m.status)).map((m) => keyOf(file, m)))
}

for (const name of chosen) {
  const jsonFile = join(root, `reports/mutation/${name}.json`)
  if (!verifyOnly) {
    const run = spawnSync('npx', ['stryker', 'run', 'stryker/stryker.config.mjs'], { cwd: root, env: { ...process.env, STRYKER_AREA: name }, stdio: 'inherit' })
    if (run.status !== 0) process.exit(run.status ?? 1)
  }
  if (!existsSync(jsonFile)) throw new Error(`no report at ${relative(root, jsonFile)}: run without --verify-only first`)
  const report = JSON.parse(readFileSync(jsonFile, 'utf8'))
  await verifyTimeouts(name, report, { workers: staticWorkers, minutes: timeoutMinutes })
  await verifyStatic(name, report, { workers: staticWorkers, minutes: staticMinutes })
  writeFileSync(join(root, `reports/mutation/${name}.verified.json`), JSON.stringify(report))
  const survivors = new Set(summarize(name, report))
  const stale = Object.keys(judgedIn(name)).filter((key) => !survivors.has(key))
  if (stale.length > 0) console.log(`\njudgements in stryker/equivalent/${name}.json that match no survivor any more (remove them):\n${stale.map((key) => `- ${key}`).join('\n')}`)
}
