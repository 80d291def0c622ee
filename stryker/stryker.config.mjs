// Mutation testing of one area: STRYKER_AREA=core|sync|emulator npx stryker run stryker/stryker.config.mjs
// (`npm run test:mutation -- core`). Reports go to reports/mutation/<area>.{json,html}.
import { areas } from './areas.mjs'

const name = process.env.STRYKER_AREA ?? ''
const area = areas[name]
if (area === undefined) throw new Error(`STRYKER_AREA must be one of ${Object.keys(areas).join(', ')}`)

// Fewer cases per property than npm test's 100 (test/setup.ts), or a run of the core takes hours on two
// cores: module-level mutants each run every suite of the area. A mutant the suites kill at 100 cases but
// not at 25 counts as a survivor, so the scores are, if anything, low.
process.env.FC_NUM_RUNS ??= '25'
// @fast-check/vitest names each property test after its seed ("... (with seed=N)"), and the vitest runner
// runs the tests that cover a mutant by name: with a new random seed in every process no name matched, so
// no property test ever ran against a mutant, and every mutant only they kill was reported as surviving.
// A fixed seed keeps the names.
process.env.FC_SEED ??= '20261201'

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
