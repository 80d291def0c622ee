import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import { entries } from './scripts/entries.mjs'

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

export default defineConfig({
  resolve: {
    // tests and doc examples import the package by its public names, each mapped to its source
    alias: entries.map(({ subpath, source }) => ({ find: new RegExp(`^cognito-reconcile${subpath.slice(1)}$`), replacement: here(`./${source}`) })),
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
