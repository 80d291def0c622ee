/**
 * What every part of the benchmark hands back: its figures for the JSON report, its tables for the
 * terminal, and the problems that must fail the run (a refused comparison, a broken contender).
 */
import type { Config } from './config.js'

/** A figure beside the target issue 7 sets for it. */
export interface Target {
  readonly what: string
  readonly value: number
  readonly limit: number
  /** Whether the value must stay at or below the limit (a cost) or at or above it (a throughput). */
  readonly atMost: boolean
}

export const met = (t: Target): boolean => (t.atMost ? t.value <= t.limit : t.value >= t.limit)

export interface PartResult {
  readonly json: unknown
  readonly text: string
  readonly failures: ReadonlyArray<string>
  readonly targets: ReadonlyArray<Target>
}

export type Part = (config: Config) => Promise<PartResult>

/** Prints a line at once, so a long run shows where it is. */
export const progress = (line: string): void => {
  process.stderr.write(`  ${line}\n`)
}
