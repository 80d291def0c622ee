/**
 * What a run measures and how long it samples: the full run, or the smoke that CI runs (small sizes,
 * one sample) so that the benchmark cannot rot. `--smoke` or `BENCH_SMOKE=1` selects the smoke;
 * `--only reconcile,writes` runs some parts; `--sizes 1024,10000` the record counts of part 1 (peak
 * memory is measured at 1,000,000 records, when that size is among them); `--out FILE` moves the JSON
 * report.
 */
import type { Sampling } from './harness.js'

export const partNames = ['reconcile', 'writes', 'sync', 'throughput', 'sizes'] as const
export type PartName = (typeof partNames)[number]

export interface Config {
  readonly smoke: boolean
  readonly parts: ReadonlyArray<PartName>
  readonly out: string
  readonly reconcile: {
    readonly sizes: ReadonlyArray<number>
    readonly dirty: ReadonlyArray<number>
    readonly sampling: (records: number) => Sampling
    /** A contender whose single call at a size is projected past this, ms, is not run at that size. */
    readonly callBudgetMs: (records: number) => number
    /** The cases whose peak memory is measured, in child processes. */
    readonly memory: { readonly sizes: ReadonlyArray<number>; readonly dirty: ReadonlyArray<number>; readonly strategies?: ReadonlyArray<string> }
  }
  readonly writes: { readonly counts: ReadonlyArray<number>; readonly sampling: Sampling }
  readonly sync: { readonly sampling: Sampling }
  readonly throughput: { readonly clients: ReadonlyArray<number>; readonly rounds: number; readonly windowMs: number }
}

const one: Sampling = { rounds: 1, time: 0, iterations: 1, warmup: 0 }

const fullReconcileSampling = (records: number): Sampling =>
  records <= 1024
    ? { rounds: 6, time: 300, iterations: 20, warmup: 10 }
    : records <= 10_000
      ? { rounds: 6, time: 300, iterations: 5, warmup: 3 }
      : records <= 100_000
        ? { rounds: 3, time: 0, iterations: 2, warmup: 1 }
        : // 1M: one timed call of each (the guard's call of each is the warm-up): a call takes seconds to
          // tens of seconds here, and more samples would keep the 10% and 100% cases out of any run
          { rounds: 1, time: 0, iterations: 1, warmup: 0 }

/**
 * 20 s a call up to 100,000 records; at 1,000,000, where one call of either side takes seconds to a
 * minute on a loaded 2-core machine, 5 minutes, so that every dirty share is measured there.
 */
const fullCallBudgetMs = (records: number): number => (records >= 1_000_000 ? 300_000 : 20_000)

const flag = (args: ReadonlyArray<string>, name: string): string | undefined => {
  const at = args.indexOf(name)
  return at === -1 ? undefined : args[at + 1]
}

export const configFrom = (args: ReadonlyArray<string>, env: NodeJS.ProcessEnv): Config => {
  const smoke = args.includes('--smoke') || env.BENCH_SMOKE === '1'
  const only = flag(args, '--only')?.split(',')
  const sizes = flag(args, '--sizes')?.split(',').map(Number)
  const unknown = only?.filter((name) => !(partNames as ReadonlyArray<string>).includes(name)) ?? []
  if (unknown.length > 0) throw new Error(`unknown part(s) ${unknown.join(', ')}; parts are ${partNames.join(', ')}`)
  return {
    smoke,
    parts: only === undefined ? partNames : partNames.filter((name) => only.includes(name)),
    out: flag(args, '--out') ?? 'reports/bench.json',
    reconcile: smoke
      ? { sizes: [1024], dirty: [0, 0.1, 1], sampling: () => one, callBudgetMs: () => 5_000, memory: { sizes: [10_000], dirty: [0.1], strategies: ['lastWriterWins'] } }
      : {
          sizes: sizes ?? [1024, 10_000, 100_000, 1_000_000],
          dirty: [0, 0.1, 1],
          sampling: fullReconcileSampling,
          callBudgetMs: fullCallBudgetMs,
          // peak memory at 1M, when 1M is among the sizes run
          memory: { sizes: (sizes ?? [1_000_000]).filter((n) => n === 1_000_000), dirty: [0, 0.1, 1], strategies: ['lastWriterWins'] },
        },
    writes: { counts: smoke ? [16, 128] : [16, 1024], sampling: smoke ? one : { rounds: 4, time: 300, iterations: 3, warmup: 1 } },
    sync: { sampling: smoke ? one : { rounds: 4, time: 300, iterations: 3, warmup: 1 } },
    throughput: smoke ? { clients: [1, 8], rounds: 1, windowMs: 300 } : { clients: [1, 8, 64], rounds: 4, windowMs: 2000 },
  }
}
