/**
 * Readable output: markdown tables (they read well in a terminal and paste into docs/performance.md)
 * and the units they use.
 */

export type Cell = string | number

/** A markdown table with aligned columns. */
export const table = (headers: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<Cell>>): string => {
  const text = [headers, ...rows.map((row) => row.map(String))]
  const widths = headers.map((_, i) => Math.max(...text.map((row) => (row[i] ?? '').length)))
  const line = (row: ReadonlyArray<string>): string => `| ${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`
  return [line(text[0] ?? []), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...text.slice(1).map(line)].join('\n')
}

const fixed = (value: number, digits: number): string => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a')

const significant = (value: number): string => fixed(value, value >= 100 ? 0 : value >= 10 ? 1 : 2)

/** A duration given in milliseconds, in the unit that reads best. */
export const duration = (ms: number): string => {
  if (!Number.isFinite(ms)) return 'n/a'
  if (ms >= 1000) return `${significant(ms / 1000)} s`
  if (ms >= 1) return `${significant(ms)} ms`
  if (ms >= 0.001) return `${significant(ms * 1000)} µs`
  return `${significant(ms * 1e6)} ns`
}

/** A count per second. */
export const rate = (perSecond: number): string => {
  if (!Number.isFinite(perSecond)) return 'n/a'
  if (perSecond >= 1e6) return `${significant(perSecond / 1e6)} M/s`
  if (perSecond >= 1e3) return `${significant(perSecond / 1e3)} k/s`
  return `${significant(perSecond)} /s`
}

export const ratio = (value: number): string => (Number.isFinite(value) ? `${fixed(value, 2)}x` : "n/a")

/** A ratio with its range over rounds, e.g. `1.20x (1.10–1.31)`. */
export const ratioRange = (r: { readonly median: number; readonly min: number; readonly max: number }): string =>
  r.min === r.max ? ratio(r.median) : `${ratio(r.median)} (${fixed(r.min, 2)}–${fixed(r.max, 2)})`

/** The interquartile range as ± half of it, relative to the median. */
export const spread = (s: { readonly median: number; readonly p25: number; readonly p75: number }): string =>
  `±${fixed(((s.p75 - s.p25) / 2 / s.median) * 100, 0)}%`

export const bytes = (n: number): string => {
  if (!Number.isFinite(n)) return 'n/a'
  if (n >= 1024 * 1024) return `${significant(n / 1024 / 1024)} MiB`
  if (n >= 1024) return `${significant(n / 1024)} KiB`
  return `${n} B`
}

export const count = (n: number): string => n.toLocaleString('en-US')
