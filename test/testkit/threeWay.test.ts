// The three-way laws: each check fails on a strategy that breaks its law, says why with the base and
// both sides named, and passes a merge that reads the base as it should.
import { describe, expect, it } from 'vitest'
import type { Conflict } from 'cognito-reconcile'
import { custom, keepLocal, lastWriterWins, resolveWith, takeRemote } from 'cognito-reconcile/strategies'
import { type ThreeWayLaw, checkLaws, checkThreeWayLaws, threeWayLaws } from 'cognito-reconcile/testkit'

/** The side that changed the base wins; a true conflict goes to lastWriterWins. */
const changedSideWins = custom('changedSideWins', (c: Conflict) => {
  if (c.base !== undefined && c.remote.content === c.base.content) return keepLocal
  if (c.base !== undefined && c.local.content === c.base.content) return takeRemote
  const fallback = lastWriterWins.decide(c)
  return fallback._tag === 'Some' ? fallback.value.resolution : takeRemote
})

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

  it.each(broken)('%s fails on a strategy that %s, with the base and both sides named', async (law, _, strategy, why) => {
    const message = await checkThreeWayLaws(strategy, [law]).then(
      () => expect.fail('the check passed'),
      (error: Error) => error.message,
    )
    const lines = message.split('\n')
    expect(lines[0]).toMatch(new RegExp(`^${strategy.name} breaks the three-way law ${law} \\(after \\d+ runs? and \\d+ shrinks?\\):$`))
    expect(lines.slice(1, 5).map((line) => line.trim().split(' = ')[0])).toEqual(['key', 'base', 'local', 'remote'])
    expect(lines[5]).toMatch(why)
    expect(lines[6]).toMatch(/^Replay: checkThreeWayLaws\(strategy, laws, options, \{ seed: -?\d+, path: "[\d:]+" \}\)$/)
  })

  it('a two-way strategy that turns a delete into a value breaks idempotence, and the law checker says so', async () => {
    const noDeletes = custom('noDeletes', (c) => resolveWith(c.local.content ?? c.remote.content ?? ''), ['idempotent'])
    await expect(checkLaws(noDeletes)).rejects.toThrow(/merge\(local=a, remote=a\) = "", not a \(deleted\)/)
  })
})
