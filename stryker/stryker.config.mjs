// Mutation testing of one area: STRYKER_AREA=core|sync|emulator npx stryker run stryker/stryker.config.mjs
// (`npm run test:mutation -- core`). Reports go to reports/mutation/<area>.{json,html}.
import { areas } from './areas.mjs'

const name = process.env.STRYKER_AREA ?? ''
const area = areas[name]
if (area === undefined) throw new Error(`STRYKER_AREA must be one of ${Object.keys(areas).join(', ')}`)

export default {
  testRunner: 'vitest',
  // related: false, or vitest drops the suites that import the package by name (through the aliases)
  vitest: { configFile: 'stryker/vitest.ts', related: false },
  mutate: area.mutate,
  coverageAnalysis: 'perTest',
  // module-level mutants run against every suite; scripts/mutation-static.mjs then re-checks the
  // survivors among them with a fresh module load, since vitest keeps modules loaded between runs
  ignoreStatic: false,
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 2),
  timeoutMS: 20_000,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  thresholds: { high: 90, low: 80, break: null },
  incremental: process.env.STRYKER_INCREMENTAL === '1',
  incrementalFile: `reports/mutation/${name}.incremental.json`,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
}
