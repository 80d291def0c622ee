// reconcile checks what a strategy answers with a hand-written guard (io-ts's costs a microsecond per
// conflict); this holds the guard to the io-ts description of a valid answer, over valid and broken ones.
import { test } from '@fast-check/vitest'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { describe, expect } from 'vitest'
import { Content, type SyncStrategy, conflictOf, reconcile, stateOf } from 'cognito-reconcile'

const ValidAnswer = t.union([
  t.type({ _tag: t.literal('None') }),
  t.type({
    _tag: t.literal('Some'),
    value: t.type({
      resolution: t.union([t.type({ _tag: t.literal('KeepLocal') }), t.type({ _tag: t.literal('TakeRemote') }), t.type({ _tag: t.literal('Write'), content: Content })]),
      decidedBy: t.string,
    }),
  }),
])

const tag = fc.constantFrom('None', 'Some', 'KeepLocal', 'TakeRemote', 'Write', 'some', '')
const junk = fc.oneof(fc.constant(null), fc.constant(undefined), fc.integer(), fc.string({ maxLength: 2 }), fc.constant({}))
const resolution = fc.oneof(
  junk,
  fc.record({ _tag: tag }),
  fc.record({ _tag: fc.constant('Write'), content: fc.oneof(fc.string({ maxLength: 3 }), fc.constant(null), fc.integer(), fc.constant('x'.repeat(1_048_576))) }, { requiredKeys: ['_tag'] }),
)
const answer = fc.oneof(
  junk,
  fc.record({ _tag: tag }),
  fc.record({ _tag: tag, value: fc.oneof(junk, fc.record({ resolution, decidedBy: fc.oneof(fc.string({ maxLength: 3 }), junk) }, { requiredKeys: [] })) }),
)

describe('a strategy answer', () => {
  test.prop([answer])('is refused by reconcile exactly when it is not a valid decision', (a) => {
    const { key, local, remote } = conflictOf('k', 'mine', 'theirs')
    const state = stateOf([{ key, server: { content: 'base', syncCount: 1 }, pending: { content: local.content, deviceLastModifiedDate: new Date(1) } }], 1)
    const listing = { records: [{ Key: key, Value: remote.content ?? '', SyncCount: 2 }], datasetSyncCount: 2 }
    // a user's strategy in plain JavaScript can answer anything: its decide returns \`a\` as it is
    const strategy: SyncStrategy = { effect: 'sync', name: 'anything', laws: [], decide: () => a as never }
    const result = reconcile(strategy)({ local: state, listing, now: new Date(5) })
    expect(E.isRight(result)).toBe(ValidAnswer.is(a))
    if (E.isLeft(result)) expect(result.left._tag).toBe('StrategyFailed')
  })
})
