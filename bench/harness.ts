/**
 * Timing with tinybench, interleaved. A comparison runs in rounds; each round is one tinybench run of
 * every contender (with its warm-up, then at least `iterations` calls and `time` ms each), and the
 * order flips every round (A B, B A, A B, ...), so that a machine that gets busier or quieter moves
 * subject and baseline alike. Figures are medians of all samples; the spread is the interquartile
 * range, and a ratio is the median of the per-round ratios with their range.
 */
import { Bench } from 'tinybench'

export interface Contender {
  readonly name: string
  readonly fn: () => unknown
  /** Declared, so tinybench never calls `fn` an extra time to find out. */
  readonly async: boolean
  /** Runs before every call, outside the timing. */
  readonly beforeEach?: () => void | Promise<void>
}

export interface Sampling {
  /** Interleaved rounds. */
  readonly rounds: number
  /** Time budget per contender per round, ms. */
  readonly time: number
  /** Minimum calls per contender per round. */
  readonly iterations: number
  /** Warm-up calls per contender per round (0: none). */
  readonly warmup: number
}

/** Milliseconds per call. */
export interface Summary {
  readonly median: number
  readonly p25: number
  readonly p75: number
  readonly min: number
  readonly max: number
  readonly samples: number
}

export interface Measured {
  readonly name: string
  readonly latency: Summary
  /** The median of each round, in round order. */
  readonly roundMedians: ReadonlyArray<number>
}

export interface Ratio {
  /** Median over rounds of subject / baseline, each pair from the same round. */
  readonly median: number
  readonly min: number
  readonly max: number
}

const quantile = (sorted: ReadonlyArray<number>, q: number): number => {
  if (sorted.length === 0) return Number.NaN
  const position = (sorted.length - 1) * q
  const low = Math.floor(position)
  const high = Math.ceil(position)
  const a = sorted[low] as number
  const b = sorted[high] as number
  return a + (b - a) * (position - low)
}

export const summarize = (values: ReadonlyArray<number>): Summary => {
  const sorted = [...values].sort((a, b) => a - b)
  return {
    median: quantile(sorted, 0.5),
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    samples: sorted.length,
  }
}

const runRound = async (contenders: ReadonlyArray<Contender>, sampling: Sampling): Promise<Map<string, ReadonlyArray<number>>> => {
  const bench = new Bench({
    time: sampling.time,
    iterations: sampling.iterations,
    warmup: sampling.warmup > 0,
    warmupIterations: sampling.warmup,
    warmupTime: 0,
    retainSamples: true,
    throws: true,
  })
  for (const c of contenders) bench.add(c.name, c.fn, { async: c.async, ...(c.beforeEach && { beforeEach: c.beforeEach }) })
  await bench.run()
  const samples = new Map<string, ReadonlyArray<number>>()
  for (const task of bench.tasks) {
    const result = task.result
    if (!('latency' in result)) throw new Error(`${task.name}: no result (${result.state})`)
    samples.set(task.name, Array.from(result.latency.samples ?? []))
  }
  return samples
}

/** Times the contenders in interleaved rounds. */
export const measure = async (contenders: ReadonlyArray<Contender>, sampling: Sampling): Promise<ReadonlyArray<Measured>> => {
  const pooled = new Map<string, Array<number>>(contenders.map((c) => [c.name, []]))
  const rounds = new Map<string, Array<number>>(contenders.map((c) => [c.name, []]))
  for (let round = 0; round < sampling.rounds; round++) {
    const order = round % 2 === 0 ? contenders : [...contenders].reverse()
    const samples = await runRound(order, sampling)
    for (const [name, values] of samples) {
      pooled.get(name)?.push(...values)
      rounds.get(name)?.push(summarize(values).median)
    }
  }
  return contenders.map((c) => ({ name: c.name, latency: summarize(pooled.get(c.name) ?? []), roundMedians: rounds.get(c.name) ?? [] }))
}

/** Subject over baseline, round by round. */
export const ratioOf = (subject: Measured, baseline: Measured): Ratio => {
  const ratios = subject.roundMedians.map((s, i) => s / (baseline.roundMedians[i] ?? Number.NaN))
  const s = summarize(ratios)
  return { median: s.median, min: s.min, max: s.max }
}

export interface Probed {
  readonly ok: ReadonlyArray<Contender>
  readonly failed: ReadonlyArray<{ readonly name: string; readonly error: string }>
}

/** Calls each contender once (after its `beforeEach`); one that throws is left out of the timing, with its error. */
export const probe = async (contenders: ReadonlyArray<Contender>): Promise<Probed> => {
  const ok: Array<Contender> = []
  const failed: Array<{ name: string; error: string }> = []
  for (const c of contenders) {
    try {
      await c.beforeEach?.()
      await c.fn()
      ok.push(c)
    } catch (e) {
      failed.push({ name: c.name, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) })
    }
  }
  return { ok, failed }
}
