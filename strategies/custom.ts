/**
 * Strategies from plain functions: for resolutions only the app knows, synchronous or asynchronous
 * (asking a person, or a server).
 *
 * @since 0.1.0
 */
import type { Task } from 'fp-ts/lib/Task.js'
import type { Conflict, Resolution } from '../src/Conflict.js'
import { decided } from '../src/decision.js'
import type { AsyncStrategy, Law, SyncStrategy } from '../src/Strategy.js'

/**
 * A strategy from a function of the conflict. `laws` are what you claim for it; the testkit's law
 * checker can hold you to them. A function that throws fails the reconciliation with a typed
 * `StrategyFailed`, losing nothing.
 *
 * @example
 * import { custom, resolveWith } from 'cognito-reconcile/strategies'
 * const concat = custom('concat', (c) => resolveWith(`${c.remote.content ?? ''}${c.local.content ?? ''}`))
 * const d = concat.decide({ key: 'log', local: { content: 'b' }, remote: { content: 'a' } })
 * assert.ok(d._tag === 'Some' && d.value.resolution._tag === 'Write' && d.value.resolution.content === 'ab')
 *
 * @since 0.1.0
 */
export const custom = (name: string, resolve: (conflict: Conflict) => Resolution, laws: ReadonlyArray<Law> = []): SyncStrategy => ({
  effect: 'sync',
  name,
  laws,
  decide: (conflict) => decided(resolve(conflict), name),
})

/**
 * A strategy from an asynchronous function: it may return a Promise or an fp-ts Task. Conflicts are
 * asked one at a time, in key order. A rejection fails the reconciliation with `StrategyFailed`.
 *
 * @example
 * import { customAsync, keepLocal } from 'cognito-reconcile/strategies'
 * const ask = customAsync('askUser', async () => keepLocal)
 * const d = await ask.decide({ key: 'k', local: { content: 'a' }, remote: { content: 'b' } })()
 * assert.ok(d._tag === 'Some' && d.value.decidedBy === 'askUser')
 *
 * @since 0.1.0
 */
export const customAsync = (
  name: string,
  resolve: (conflict: Conflict) => Promise<Resolution> | Task<Resolution>,
  laws: ReadonlyArray<Law> = [],
): AsyncStrategy => ({
  effect: 'async',
  name,
  laws,
  decide: (conflict) => async () => {
    const answer = resolve(conflict)
    const resolution = await (typeof answer === 'function' ? answer() : answer)
    return decided(resolution, name)
  },
})
