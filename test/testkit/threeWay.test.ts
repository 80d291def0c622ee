// The three-way laws: each check fails on a strategy that breaks its law, says why with the base and
// both sides named, and passes a merge that reads the base as it should.
import fc from 'fast-check'
import * as O from 'fp-ts/lib/Option.js'
import { describe, expect, it } from 'vitest'
import type { Conflict, Strategy } from 'cognito-reconcile'
import { custom, keepLocal, lastWriterWins, resolveWith, takeRemote } from 'cognito-reconcile/strategies'
import { type ThreeWayLaw, checkLaws, checkThreeWayLaws, threeWayLaws } from 'cognito-reconcile/testkit'

/** The side that changed the base wins; a true conflict goes to lastWriterWins. */
const changedSideWins = custom('changedSideWins', (c: Conflict) => {
  if (c.base !== undefined && c.remote.content === c.base.content) return keepLocal
  if (c.base !== undefined && c.local.content === c.base.content) return takeRemote
  const fallback = lastWriterWins.decide(c)
  return fallback._tag === 'Some' ? fallback.value.resolution : takeRemote
})

const failureOf = (check: Promise<void>): Promise<string> =>
  check.then(
    () => expect.fail('the check passed'),
    (error: Error) => error.message,
  )

const broken: ReadonlyArray<readonly [ThreeWayLaw, string, ReturnType<typeof custom>, RegExp]> = [
  ['unchangedSide', 'keeps the local side though only the remote changed', custom('stubborn', () => keepLocal), /the local side left the base as it was, so the merge should be the remote \(.*\), but is /],
  ['equalChanges', 'joins equal changes into something else', custom('joins', (c) => resolveWith(`${c.local.content ?? ''}${c.remote.content ?? ''}`)), /both sides changed the base to .*, but the merge is /],
  [
    'symmetric',
    'breaks true conflicts by side',
    custom('changedOrLocal', (c) => (c.base !== undefined && c.local.content === c.base.content ? takeRemote : keepLocal)),
    /merge\(base; local=l, remote=r\) = .* but merge\(base; local=r, remote=l\) = /,
  ],
  [
    'keepsDeletes',
    'brings a deleted key back',
    custom('resurrects', (c) => (c.local.content === null ? resolveWith(c.base?.content ?? '') : c.remote.content === null ? keepLocal : takeRemote)),
    /the local side deleted the key and the remote left the base as it was, but the merge is /,
  ],
]

describe('three-way laws', () => {
  it('a merge that reads the base holds all four', async () => {
    await checkThreeWayLaws(changedSideWins, threeWayLaws)
  })

  it('checks all four laws unless told otherwise: each broken strategy fails the default check', async () => {
    expect(threeWayLaws).toEqual(['unchangedSide', 'equalChanges', 'symmetric', 'keepsDeletes'])
    for (const [, , strategy] of broken) {
      expect((await failureOf(checkThreeWayLaws(strategy))).split('\n')[0]).toMatch(new RegExp(`^${strategy.name} breaks the three-way law \\w+ `))
    }
  })

  it.each(broken)('%s fails on a strategy that %s, with the base and both sides named', async (law, _, strategy, why) => {
    const message = await failureOf(checkThreeWayLaws(strategy, [law]))
    const lines = message.split('\n')
    expect(lines[0]).toMatch(new RegExp(`^${strategy.name} breaks the three-way law ${law} \\(after \\d+ runs? and \\d+ shrinks?\\):$`))
    expect(lines.slice(1, 5).map((line) => line.trim().split(' = ')[0])).toEqual(['key', 'base', 'local', 'remote'])
    expect(lines[5]).toMatch(why)
    expect(lines[6]).toMatch(/^Replay: checkThreeWayLaws\(strategy, laws, options, \{ seed: -?\d+, path: "[\d:]+" \}\)$/)
  })

  it('unchangedSide checks both halves: a strategy that always takes the remote is caught when only the local changed', async () => {
    // contents from two values, so the counterexample's base is the one the remote side kept
    const versions = fc.constantFrom({ content: 'x' }, { content: 'y' })
    const lines = (await failureOf(checkThreeWayLaws(custom('yielding', () => takeRemote), ['unchangedSide'], { versions }))).split('\n')
    const [base, local] = [lines[2], lines[3]].map((line) => line?.replace(/^ {2}\w+ = /, ''))
    expect(lines[5]).toBe(`  the remote side left the base as it was, so the merge should be the local (${local}), but is ${base}`)
  })

  it('keepsDeletes checks both sides: a strategy that always keeps the local side brings back what the remote deleted', async () => {
    const lines = (await failureOf(checkThreeWayLaws(custom('stubborn', () => keepLocal), ['keepsDeletes']))).split('\n')
    expect(lines[5]).toMatch(/^ {2}the remote side deleted the key and the local left the base as it was, but the merge is "/)
  })

  it('a strategy that declines is told, in the counterexample, that the law needs an answer', async () => {
    const never: Strategy = { effect: 'sync', name: 'never', laws: [], decide: () => O.none }
    const lines = (await failureOf(checkThreeWayLaws(never, ['symmetric']))).split('\n')
    expect(lines[5]).toBe(`  never declined a conflict on ${lines[1]?.replace(/^ {2}key = /, '')}: a law needs an answer`)
  })

  it('a strategy that decides differently when asked again is said to', async () => {
    // wrong on its first answer only; endOnFailure keeps that first failure as the counterexample
    let calls = 0
    const flaky = custom('flaky', (c) => (++calls === 1 ? resolveWith('back') : c.local.content === null ? keepLocal : takeRemote))
    const lines = (await failureOf(checkThreeWayLaws(flaky, ['keepsDeletes'], {}, { endOnFailure: true }))).split('\n')
    expect(lines[5]).toBe('  the law held when checked again: flaky does not decide the same way twice')
  })

  it('a run that fails without a counterexample (interrupted) says so', async () => {
    const lines = (await failureOf(checkThreeWayLaws(custom('stubborn', () => keepLocal), ['unchangedSide'], {}, { interruptAfterTimeLimit: 0, markInterruptAsFailure: true }))).split('\n')
    expect(lines[0]).toMatch(/^stubborn breaks the three-way law unchangedSide/)
    expect(lines[1]).toMatch(/^ {2}no counterexample: /)
    expect(lines[2]).toMatch(/^Replay: /)
  })

  it('a two-way strategy that turns a delete into a value breaks idempotence, and the law checker says so', async () => {
    const noDeletes = custom('noDeletes', (c) => resolveWith(c.local.content ?? c.remote.content ?? ''), ['idempotent'])
    await expect(checkLaws(noDeletes)).rejects.toThrow(/merge\(local=a, remote=a\) = "", not a \(deleted\)/)
  })
})
