// Mutation testing of one area: STRYKER_AREA=core|sync|emulator npx stryker run stryker/stryker.config.mjs
// (`npm run test:mutation -- core`). Reports go to reports/mutation/<area>.{json,html}.
import { areas, propertyRuns } from './areas.mjs'

const name = process.env.STRYKER_AREA ?? ''
const area = areas[name]
if (area === undefined) throw new Error(`STRYKER_AREA must be one of ${Object.keys(areas).join(', ')}`)

for (const [variable, value] of Object.entries(propertyRuns)) process.env[variable] ??= value

export default {
  testRunner: 'vitest',
  // related: false, or vitest drops the suites that import the package by name (through the aliases)
  vitest: { configFile: 'stryker/vitest.ts', related: false },
  mutate: area.mutate,
  coverageAnalysis: 'perTest',
  // module-level mutants would each run every suite of the area, which on two cores takes hours:
  // Stryker leaves them out, and scripts/mutation.mjs checks each on a fresh module load instead
  ignoreStatic: true,
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 2),
  timeoutMS: 20_000,
  // the first run of every suite, on a loaded two-core machine
  dryRunTimeoutMinutes: 30,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  thresholds: { high: 90, low: 80, break: null },
  // re-runs test only the mutants whose code or covering tests changed (STRYKER_INCREMENTAL=0 for a full run)
  incremental: process.env.STRYKER_INCREMENTAL !== '0',
  incrementalFile: `reports/mutation/${name}.incremental.json`,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
}
