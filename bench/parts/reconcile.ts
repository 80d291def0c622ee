/**
 * Part 1: `reconcile` beside the floor, a hand-written Map-based merge of the same input with the same
 * output (checked before timing: a case whose outputs differ is refused, never timed). Every size ×
 * dirty share × strategy; records per second, the ratio, time per record across sizes, and peak
 * memory in a child process per case.
 */
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { Config } from '../config.js'
import type { Merge } from '../floor.js'
import { type Mismatch, floorMismatch } from '../guard.js'
import { type Measured, type Ratio, type Sampling, measure, ratioOf } from '../harness.js'
import { type InputPair, type InputShape, reconcileInput } from '../inputs.js'
import { type PartResult, type Target, progress } from '../part.js'
import { floorOf, libraryMerge, strategyCases } from '../strategies.js'
import { bytes, duration, ratio, ratioRange, rate, spread, table } from '../table.js'

export const seed = 20261201

export type CaseOutcome =
  | { readonly status: 'refused'; readonly mismatch: Mismatch }
  | { readonly status: 'skipped'; readonly reason: string }
  | { readonly status: 'timed'; readonly library: Measured; readonly floor: Measured; readonly ratio: Ratio; readonly firstCallMs: number }

const timed = <A>(run: () => A): readonly [A, number] => {
  const start = performance.now()
  const result = run()
  return [result, performance.now() - start]
}

/**
 * Runs both merges once and compares their outputs; times them, interleaved, only when they are equal.
 */
export const guardedCase = async (input: InputPair, library: Merge, floor: Merge, sampling: Sampling): Promise<CaseOutcome> => {
  const [fromLibrary, firstCallMs] = timed(() => library(input.library))
  const mismatch = floorMismatch(fromLibrary, floor(input.floor))
  if (mismatch !== undefined) return { status: 'refused', mismatch }
  let sink: unknown
  const [l, f] = await measure(
    [
      { name: 'library', async: false, fn: () => (sink = library(input.library)) },
      { name: 'floor', async: false, fn: () => (sink = floor(input.floor)) },
    ],
    sampling,
  )
  void sink
  if (l === undefined || f === undefined) throw new Error('measure lost a contender')
  return { status: 'timed', library: l, floor: f, ratio: ratioOf(l, f), firstCallMs }
}

/**
 * A call's projected time at `records`, from the sizes already run: the growth seen between the last
 * two sizes, between N^1 and N^1.5, or N^1.5 when only one size was seen. Capped: on these machines
 * time per record grows from 1,024 to 10,000 records for the floor too (caches, GC), and projecting
 * that growth on skipped sizes that fit the budget.
 */
const projectMs = (seen: ReadonlyArray<readonly [number, number]>, records: number): number => {
  const last = seen[seen.length - 1]
  if (last === undefined) return 0
  const before = seen[seen.length - 2]
  const exponent = before === undefined ? 1.5 : Math.min(1.5, Math.max(1, Math.log(last[1] / before[1]) / Math.log(last[0] / before[0])))
  return last[1] * (records / last[0]) ** exponent
}

interface CaseRow {
  readonly records: number
  readonly dirty: number
  readonly strategy: string
  readonly listed: number
  readonly outcome: CaseOutcome
}

interface MemoryRow {
  readonly records: number
  readonly dirty: number
  readonly strategy: string
  readonly library: MemoryFigures
  readonly floor: MemoryFigures
}

/** What the memory child reports, in bytes. */
export interface MemoryFigures {
  /** The highest RSS sampled during the call, less the RSS just before it (after a full GC). */
  readonly peakRssDelta: number
  /** Heap still used by the result after a full GC, less the heap before the call. */
  readonly retainedHeapDelta: number
  readonly callMs: number
}

const child = fileURLToPath(new URL('../children/memory.ts', import.meta.url))

const memoryOf = async (shape: InputShape, strategy: string, contender: 'library' | 'floor'): Promise<MemoryFigures> => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx', child, JSON.stringify({ shape, strategy, contender })],
    { maxBuffer: 1 << 20 },
  )
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as MemoryFigures
}

const perRecordNs = (m: Measured, records: number): number => (m.latency.median * 1e6) / records

const percent = (share: number): string => `${Math.round(share * 100)}%`

/** Issue 7: within 1.5x of the floor at 1,024 records (the service's maximum), within 2x above. */
export const ratioTarget = (records: number): number => (records <= 1024 ? 1.5 : 2)

/** Peak memory within 1.5x of the floor's. */
export const memoryTarget = 1.5

const mainTable = (rows: ReadonlyArray<CaseRow>): string =>
  table(
    ['records', 'dirty', 'strategy', 'library', 'floor', 'library / floor', 'target', 'library records/s', 'floor records/s'],
    rows.map(({ records, dirty, strategy, outcome }) => {
      const head = [records.toLocaleString('en-US'), percent(dirty), strategy]
      if (outcome.status === 'refused') return [...head, 'REFUSED', `${outcome.mismatch.what} differ`, '', '', '', '']
      if (outcome.status === 'skipped') return [...head, 'skipped', '', '', '', '', outcome.reason]
      const { library: l, floor: f } = outcome
      return [
        ...head,
        `${duration(l.latency.median)} ${spread(l.latency)}`,
        `${duration(f.latency.median)} ${spread(f.latency)}`,
        ratioRange(outcome.ratio),
        `≤ ${ratioTarget(records)}x`,
        rate(records / (l.latency.median / 1000)),
        rate(records / (f.latency.median / 1000)),
      ]
    }),
  )

/** Time per record at every size, library / floor, and the growth exponent from the smallest size to the largest. */
const growthTable = (rows: ReadonlyArray<CaseRow>, sizes: ReadonlyArray<number>): string => {
  const groups = new Map<string, Array<CaseRow>>()
  for (const row of rows) {
    const key = `${percent(row.dirty)}\u0000${row.strategy}`
    groups.set(key, [...(groups.get(key) ?? []), row])
  }
  const exponent = (timedRows: ReadonlyArray<CaseRow>, pick: (o: Extract<CaseOutcome, { status: 'timed' }>) => Measured): string => {
    const points = timedRows.flatMap((r) => (r.outcome.status === 'timed' ? [[r.records, pick(r.outcome).latency.median] as const] : []))
    const first = points[0]
    const last = points[points.length - 1]
    if (first === undefined || last === undefined || first === last) return 'n/a'
    return `N^${(Math.log(last[1] / first[1]) / Math.log(last[0] / first[0])).toFixed(2)}`
  }
  return table(
    ['dirty', 'strategy', ...sizes.map((n) => `ns/record at ${n.toLocaleString('en-US')} (library / floor)`), 'growth (library / floor)'],
    Array.from(groups.values(), (group) => {
      const first = group[0] as CaseRow
      return [
        percent(first.dirty),
        first.strategy,
        ...sizes.map((n) => {
          const o = group.find((r) => r.records === n)?.outcome
          return o?.status === 'timed' ? `${perRecordNs(o.library, n).toFixed(0)} / ${perRecordNs(o.floor, n).toFixed(0)}` : (o?.status ?? '')
        }),
        `${exponent(group, (o) => o.library)} / ${exponent(group, (o) => o.floor)}`,
      ]
    }),
  )
}

const memoryTable = (rows: ReadonlyArray<MemoryRow>): string => {
  return table(
    ['records', 'dirty', 'strategy', 'library peak RSS', 'floor peak RSS', 'library / floor', 'target', 'library retained heap', 'floor retained heap'],
    rows.map((r) => [
      r.records.toLocaleString('en-US'),
      percent(r.dirty),
      r.strategy,
      bytes(r.library.peakRssDelta),
      bytes(r.floor.peakRssDelta),
      ratio(r.library.peakRssDelta / r.floor.peakRssDelta),
      `≤ ${memoryTarget}x`,
      bytes(r.library.retainedHeapDelta),
      bytes(r.floor.retainedHeapDelta),
    ]),
  )
}

export const reconcilePart = async (config: Config): Promise<PartResult> => {
  const { sizes, dirty: shares, sampling, callBudgetMs, memory: memoryCases } = config.reconcile
  const rows: Array<CaseRow> = []
  const seen = new Map<string, Array<readonly [number, number]>>()
  for (const records of sizes) {
    for (const dirty of shares) {
      const input = reconcileInput({ records, dirty, seed })
      for (const strategy of strategyCases) {
        const track = `${dirty}/${strategy.name}`
        const projected = projectMs(seen.get(track) ?? [], records)
        const head = { records, dirty, strategy: strategy.name, listed: input.library.listing.records.length }
        if (projected > callBudgetMs(records)) {
          rows.push({ ...head, outcome: { status: 'skipped', reason: `one call projected at ${duration(projected)}` } })
          progress(`reconcile ${records} ${percent(dirty)} ${strategy.name}: skipped, projected ${duration(projected)}`)
          continue
        }
        const outcome = await guardedCase(input, libraryMerge(strategy.library), floorOf(strategy), sampling(records))
        // projected from the timed median, not the first call: a first call pays for compiling and, on a
        // loaded machine, for whatever else ran, and would skip sizes that fit the budget
        if (outcome.status === 'timed') seen.set(track, [...(seen.get(track) ?? []), [records, outcome.library.latency.median]])
        rows.push({ ...head, outcome })
        progress(`reconcile ${records} ${percent(dirty)} ${strategy.name}: ${outcome.status === 'timed' ? ratio(outcome.ratio.median) : outcome.status}`)
      }
    }
  }
  const memory: Array<MemoryRow> = []
  const measuredStrategies = strategyCases.filter((s) => memoryCases.strategies?.includes(s.name) ?? true)
  for (const records of memoryCases.sizes) {
    for (const dirty of memoryCases.dirty) {
      for (const [i, strategy] of measuredStrategies.entries()) {
        const shape = { records, dirty, seed }
        // alternate which contender goes first
        const first = i % 2 === 0 ? 'library' : 'floor'
        const a = await memoryOf(shape, strategy.name, first)
        const b = await memoryOf(shape, strategy.name, first === 'library' ? 'floor' : 'library')
        const [library, floor] = first === 'library' ? [a, b] : [b, a]
        memory.push({ records, dirty, strategy: strategy.name, library, floor })
        progress(`memory ${records} ${percent(dirty)} ${strategy.name}: ${ratio(library.peakRssDelta / floor.peakRssDelta)}`)
      }
    }
  }
  const failures = rows.flatMap((r) =>
    r.outcome.status === 'refused' ? [`reconcile ${r.records} ${percent(r.dirty)} ${r.strategy}: floor and library differ in ${r.outcome.mismatch.what}: ${r.outcome.mismatch.detail}`] : [],
  )
  const name = (r: { records: number; dirty: number; strategy: string }): string => `${r.records.toLocaleString('en-US')} records, ${percent(r.dirty)} dirty, ${r.strategy}`
  const targets: Array<Target> = [
    ...rows.flatMap((r) =>
      r.outcome.status === 'timed' ? [{ what: `reconcile / floor, ${name(r)}`, value: r.outcome.ratio.median, limit: ratioTarget(r.records), atMost: true }] : [],
    ),
    ...memory.map((m) => ({ what: `reconcile / floor peak memory, ${name(m)}`, value: m.library.peakRssDelta / m.floor.peakRssDelta, limit: memoryTarget, atMost: true })),
  ]
  return {
    targets,
    json: { seed, cases: rows, memory },
    text: [
      '## 1. reconcile vs the floor',
      mainTable(rows),
      '',
      'Time per record across sizes:',
      growthTable(rows, sizes),
      ...(memory.length === 0
        ? []
        : ['', 'Peak memory of one call (child process per case; RSS sampled every 2 ms by a worker thread, after a full GC):', memoryTable(memory)]),
    ].join('\n'),
    failures,
  }
}
