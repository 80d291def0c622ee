// The testkit under node's own test runner (`node --import tsx --test`), run by runners.test.ts: the
// checks are plain functions that resolve or reject, so any runner reports them.
import { test } from 'node:test'
import { checkConvergence, checkLaws } from '../../../src/testkit/index.js'
import { lastWriterWins, localWins } from '../../../strategies/index.js'

test('lastWriterWins holds its laws', () => checkLaws(lastWriterWins, {}, { numRuns: 20 }))
test('a fleet on lastWriterWins converges', () => checkConvergence([lastWriterWins, lastWriterWins], { history: { faults: true } }, { numRuns: 5 }))
test('localWins claimed commutative', () => checkLaws({ ...localWins, laws: ['commutative'] }, {}, { seed: 1 }))
