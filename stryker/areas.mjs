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
