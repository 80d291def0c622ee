// Prints the plain closing line CI reads ("N passed, N failed") from vitest's JSON report.
import { existsSync, readFileSync } from 'node:fs'

const path = 'reports/vitest.json'
if (!existsSync(path)) {
  console.log('tests: 0 passed, 1 failed (no vitest report was written)')
  process.exit(1)
}
const report = JSON.parse(readFileSync(path, 'utf8'))
const skipped = report.numPendingTests + report.numTodoTests
console.log(`tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exit(report.numFailedTests === 0 && report.numPassedTests > 0 ? 0 : 1)
