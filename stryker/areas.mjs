// The three areas mutation testing measures (CONTRIBUTING.md, "Mutation testing"): the source each
// mutates and the suites that may kill its mutants.

/** Suites no area runs: they drive child processes or a browser, which load the code unmutated. */
const outOfProcess = [
  'test/browser/**',
  'test/examples.test.ts',
  'test/examplesChecker.test.ts',
  'test/package.test.ts',
  'test/apiReference.test.ts',
  'test/testkit/runners.test.ts',
  'test/sync/demo.test.ts',
  'test/emulator/cli.test.ts',
  'test/device/**',
]

export const areas = {
  core: {
    mutate: ['src/*.ts', '!src/index.ts', 'strategies/*.ts', '!strategies/index.ts', 'src/testkit/laws.ts', 'src/testkit/threeWay.ts'],
    tests: ['test/*.test.ts', 'test/testkit/laws.test.ts', 'test/testkit/threeWay.test.ts', 'test/testkit/arbitraries.test.ts', 'test/bench/*.test.ts'],
    skip: outOfProcess,
    // Unisolated, every suite shares one load of fp-ts, io-ts and fast-check instead of re-importing
    // them per file on each mutant run (the area's suites: 48 s instead of 315 s on the loaded machine).
    // Module-level mutants, the only ones a shared load could hide, are checked on a fresh load anyway.
    isolate: false,
  },
  sync: {
    // the adapter: the sync run and its policies, and the app API over it (16 files)
    mutate: ['src/sync/*.ts', '!src/sync/index.ts', 'src/app/*.ts', '!src/app/index.ts'],
    tests: ['test/sync/**/*.test.ts', 'test/app/**/*.test.ts', 'test/stores/dataset.test.ts'],
    skip: outOfProcess,
    // Every suite here imports the AWS SDK: isolated, each file re-imports it on every mutant run (the
    // suites take 128 s instead of 53 s on one thread). Module-level mutants are re-checked on a fresh
    // load by scripts/mutation.mjs in any case, and these suites keep no state between files.
    isolate: false,
  },
  emulator: {
    mutate: ['src/emulator/service.ts', 'src/emulator/operations/**/*.ts'],
    tests: ['test/emulator/**/*.test.ts'],
    skip: outOfProcess,
  },
}

/**
 * How property tests run under mutation testing (set by stryker/stryker.config.mjs and scripts/mutation.mjs):
 * - fewer cases than npm test's 100 (test/setup.ts), or a run of the core takes hours on two cores. A mutant
 *   the suites kill at 100 cases but not at 25 counts as a survivor, so the scores are, if anything, low;
 * - a fixed seed: @fast-check/vitest names each property test after its seed ("... (with seed=N)"), and the
 *   vitest runner runs the tests that cover a mutant by name. With a new random seed in every process no
 *   name matched, so no property test ever ran against a mutant, and every mutant only they kill was
 *   reported as surviving.
 */
export const propertyRuns = { FC_NUM_RUNS: '25', FC_SEED: '20261201' }
