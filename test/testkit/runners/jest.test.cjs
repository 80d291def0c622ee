// The testkit under jest, run by runners.test.ts: the checks are plain functions that resolve or reject,
// so any runner reports them.
const { checkConvergence, checkLaws } = require('../../../src/testkit/index.ts')
const { lastWriterWins, localWins } = require('../../../strategies/index.ts')

test('lastWriterWins holds its laws', () => checkLaws(lastWriterWins, {}, { numRuns: 20 }))
test('a fleet on lastWriterWins converges', () => checkConvergence([lastWriterWins, lastWriterWins], { history: { faults: true } }, { numRuns: 5 }))
test('localWins claimed commutative', () => checkLaws({ ...localWins, laws: ['commutative'] }, {}, { seed: 1 }))
