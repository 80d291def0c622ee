import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

export default defineConfig({
  resolve: {
    // tests and doc examples import the package by its public names
    alias: [
      { find: /^cognito-reconcile\/strategies$/, replacement: here('./strategies/index.ts') },
      { find: /^cognito-reconcile\/(app|sync|stores|emulator|testkit)$/, replacement: here('./src/$1/index.ts') },
      { find: /^cognito-reconcile\/sqlite$/, replacement: here('./src/stores/sqlite/index.ts') },
      { find: /^cognito-reconcile$/, replacement: here('./src/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // on CI, also a JSON report from which .ci/summary.mjs prints the closing line
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'reports/vitest.json' }]] : ['default'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
})
