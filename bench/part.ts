/**
 * What every part of the benchmark hands back: its figures for the JSON report, its tables for the
 * terminal, and the problems that must fail the run (a refused comparison, a broken contender).
 */
import type { Config } from './config.js'

export interface PartResult {
  readonly json: unknown
  readonly text: string
  readonly failures: ReadonlyArray<string>
}

export type Part = (config: Config) => Promise<PartResult>

/** Prints a line at once, so a long run shows where it is. */
export const progress = (line: string): void => {
  process.stderr.write(`  ${line}\n`)
}
