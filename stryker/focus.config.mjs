// A focused measurement of the sync area: some of its files, against some of its suites, when a full run
// of the area (hours on the shared two-core machine) is out of reach. The score is a lower bound of the
// area's (fewer suites can only kill fewer mutants); module-level mutants are left out, as in a full run.
//   FOCUS_TAG=retry FOCUS_MUTATE=src/sync/retry.ts FOCUS_TESTS=test/sync/backoff.test.ts,test/sync/faults.test.ts \
//     npx stryker run stryker/focus.config.mjs     # report: reports/mutation/focus-retry.json
process.env.STRYKER_AREA = 'sync'
const { default: base } = await import('./stryker.config.mjs')
const need = (name) => {
  const value = process.env[name]
  if (value === undefined || value === '') throw new Error(`${name} is required (see the head of stryker/focus.config.mjs)`)
  return value
}
const tag = need('FOCUS_TAG')
export default {
  ...base,
  mutate: need('FOCUS_MUTATE').split(','),
  vitest: { configFile: 'stryker/focus.vitest.ts', related: false },
  concurrency: 1,
  reporters: ['progress', 'json'],
  jsonReporter: { fileName: `reports/mutation/focus-${tag}.json` },
  incremental: false,
  // two focused runs may share the worktree: neither copies the other's sandbox
  ignorePatterns: ['.stryker-tmp-*', 'test/.examples', 'reports', 'dist'],
  tempDirName: `.stryker-tmp-${tag}`,
}
