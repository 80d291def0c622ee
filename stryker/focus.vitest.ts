// The suites of a focused measurement (stryker/focus.config.mjs): FOCUS_TESTS, comma-separated.
import base from '../vitest.config.ts'

const tests = (process.env.FOCUS_TESTS ?? '').split(',').filter((path) => path !== '')
if (tests.length === 0) throw new Error('FOCUS_TESTS is required (see the head of stryker/focus.config.mjs)')

export default { ...base, test: { ...base.test, include: tests, reporters: ['default'], isolate: false } }
