/**
 * Part 5: bundle sizes beside their budgets, from the package's own size check (`npm run size`,
 * scripts/size.mjs, which needs `npm run build` first). The benchmark runs it when the build is there
 * and reads the figures it writes to reports/size.json; a missed budget is that check's failure to
 * report, shown here, not the benchmark's.
 */
import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { promisify } from 'node:util'
import type { PartResult, Target } from '../part.js'
import { table } from '../table.js'

const script = 'scripts/size.mjs'
const figures = 'reports/size.json'
const built = 'dist/bundler'

interface Bundle {
  readonly id: string
  readonly what: string
  readonly minBytes: number
  readonly gzipBytes: number
  readonly limitBytes: number | null
  readonly budget?: number | string
  readonly pass: boolean
  readonly nodeImports: ReadonlyArray<string>
}

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`

/** Runs the size check when it and the build exist; says why not otherwise. */
const runCheck = async (): Promise<string> => {
  if (!existsSync(script)) return `${script} is not in this tree`
  if (!existsSync(built)) return `no build (${built}): run \`npm run build\` first`
  try {
    await promisify(execFile)(process.execPath, [script, '--json', figures])
    return 'measured now'
  } catch (e) {
    // exit 1: a budget missed; the figures are written all the same
    return existsSync(figures) ? 'measured now (the size check reports a budget missed)' : `the size check failed: ${String(e)}`
  }
}

export const sizesPart = async (): Promise<PartResult> => {
  const how = await runCheck()
  if (!existsSync(figures)) return { json: { note: how }, text: `## 5. Bundle sizes\nNot measured: ${how}.`, failures: [], targets: [] }
  const { bundles } = JSON.parse(readFileSync(figures, 'utf8')) as { bundles: ReadonlyArray<Bundle> }
  const targets: ReadonlyArray<Target> = bundles.flatMap((b) =>
    b.limitBytes === null ? [] : [{ what: `bundle bytes (min+gz), ${b.what}`, value: b.gzipBytes, limit: b.limitBytes, atMost: true }],
  )
  return {
    targets,
    json: { source: figures, note: how, bundles },
    text: [
      '## 5. Bundle sizes (esbuild, browser, minified; budgets on min+gz)',
      `From ${figures} (${how}).`,
      table(
        ['bundle', 'min', 'min+gz', 'budget', 'within'],
        bundles.map((b) => [
          b.what,
          kib(b.minBytes),
          kib(b.gzipBytes),
          b.limitBytes === null ? '' : typeof b.budget === 'string' ? `< ${b.budget} (${kib(b.limitBytes + 1)})` : kib(b.limitBytes),
          !b.pass && b.limitBytes !== null ? `NO, over by ${kib(b.gzipBytes - b.limitBytes)}` : b.nodeImports.length > 0 ? 'NO, pulls in node:*' : 'yes',
        ]),
      ),
    ].join('\n'),
    failures: [],
  }
}
