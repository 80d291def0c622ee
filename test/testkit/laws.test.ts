// Counterexamples a person can read: each argument by name, the results that differ, strings whose
// invisible and multi-unit characters show, and a seed and path that replay the same counterexample.
import { describe, expect, it } from 'vitest'
import { allLaws } from 'cognito-reconcile'
import { custom, keepLocal, lastWriterWins, localWins, resolveWith, takeRemote } from 'cognito-reconcile/strategies'
import { checkLaws, explainLaw, merge, showString } from 'cognito-reconcile/testkit'

const longest = custom('longest', (c) => ((c.local.content ?? '').length > (c.remote.content ?? '').length ? keepLocal : takeRemote), ['commutative', 'selective'])

const failureOf = (check: Promise<void>): Promise<string> =>
  check.then(
    () => expect.fail('the check passed'),
    (error: Error) => error.message,
  )

describe('showString', () => {
  it.each([
    [' ', '" "'],
    ['  ', '"  "'],
    ['', '""'],
    ['a"b\\', '"a\\"b\\\\"'],
    ['\t', '"\\u{9}" (1 code unit)'],
    ['\u200b', '"\\u{200B}" (1 code unit)'],
    ['𐀀', '"\\u{10000}" (2 code units)'],
    ['😀', '"\\u{1F600}" (2 code units)'],
    ['e\u0301', '"e\\u{301}" (2 code units)'],
    ['ü', '"ü"'],
    ['\u00a0', '"\\u{A0}" (1 code unit)'],
  ])('%j prints as %s', (s, shown) => {
    expect(showString(s)).toBe(shown)
  })
})

describe('checkLaws explains a broken law', () => {
  it('names the key and each side, and shows the two results that differ', async () => {
    const message = await failureOf(checkLaws(longest, {}, { seed: 42 }))
    const lines = message.split('\n')
    expect(lines[0]).toMatch(/^longest claims to be commutative, but is not \(after \d+ runs? and \d+ shrinks?\):$/)
    expect(lines[1]).toMatch(/^ {2}key = ".*"/)
    expect(lines[2]).toMatch(/^ {2}a = /)
    expect(lines[3]).toMatch(/^ {2}b = /)
    expect(lines[4]).toMatch(/^ {2}merge\(local=a, remote=b\) = b \(.*\) but merge\(local=b, remote=a\) = a \(.*\)$/)
    expect(lines[5]).toMatch(/^Replay: checkLaws\(strategy, options, \{ seed: 42, path: "[\d:]+" \}\)$/)
  })

  it('replays the same counterexample from the seed and path it prints', async () => {
    const first = await failureOf(checkLaws(longest))
    const [, seed, path] = /\{ seed: (-?\d+), path: "([\d:]+)" \}/.exec(first) ?? []
    const again = await failureOf(checkLaws(longest, {}, { seed: Number(seed), ...(path !== undefined && { path }) }))
    expect(again.split('\n').slice(1)).toEqual(first.split('\n').slice(1))
  })

  it.each([
    ['associative', custom('firstLetter', (c) => resolveWith(`${(c.local.content ?? '').slice(0, 1)}${(c.remote.content ?? '').slice(0, 1)}`), ['associative']), ['a', 'b', 'c'], /merge\(merge\(a, b\), c\) = .* but merge\(a, merge\(b, c\)\) = .*, where merge\(a, b\) = .* and merge\(b, c\) = /],
    ['idempotent', custom('suffix', (c) => resolveWith(`${c.local.content ?? ''}!`), ['idempotent']), ['a'], /merge\(local=a, remote=a\) = ".*!", not a/],
    ['selective', custom('joined', (c) => resolveWith(`${c.local.content ?? ''}+${c.remote.content ?? ''}`), ['selective']), ['a', 'b'], /merge\(local=a, remote=b\) = ".*\+.*", neither a \(.*\) nor b/],
  ] as const)('%s: the key and the sides the law uses, each by name, then the results in words', async (law, strategy, sides, words) => {
    const lines = (await failureOf(checkLaws(strategy))).split('\n')
    expect(lines[0]).toContain(`claims to be ${law}`)
    expect(lines[1]).toMatch(/^ {2}key = /)
    expect(lines.slice(2, 2 + sides.length).map((line) => /^ {2}(\w) = /.exec(line)?.[1])).toEqual(sides)
    expect(lines[2 + sides.length]).toMatch(words)
  })

  it('a strategy that reads the clock or Math.random is caught, and said to decide differently twice when it does', async () => {
    const coin = custom('coin', () => (Math.random() < 0.5 ? keepLocal : takeRemote), ['commutative'])
    await expect(checkLaws(coin)).rejects.toThrow(/coin claims to be commutative/)
  })

  it('a strategy that declines is told that the law needs an answer', async () => {
    const never = { effect: 'sync' as const, name: 'never', laws: ['idempotent' as const], decide: () => ({ _tag: 'None' as const }) }
    await expect(checkLaws(never)).rejects.toThrow(/never declined a conflict on .*: a law needs an answer/)
  })

  it('a strategy that decides differently when asked again is said to, with the usual suspects', async () => {
    // wrong on its first answer only; endOnFailure keeps that first failure as the counterexample
    let calls = 0
    const flaky = custom('flaky', () => resolveWith(++calls === 1 ? 'first' : 'later'), ['commutative'])
    const lines = (await failureOf(checkLaws(flaky, {}, { endOnFailure: true }))).split('\n')
    expect(lines[4]).toBe('  the law held when checked again: flaky does not decide the same way twice (a clock, Math.random, state?)')
  })

  it('a run that fails without a counterexample (interrupted) says so', async () => {
    const lines = (await failureOf(checkLaws(longest, {}, { interruptAfterTimeLimit: 0, markInterruptAsFailure: true }))).split('\n')
    expect(lines[0]).toMatch(/^longest claims to be commutative, but is not/)
    expect(lines[1]).toMatch(/^ {2}no counterexample: /)
    expect(lines[2]).toMatch(/^Replay: /)
  })

  it('names each result after every side it equals, in every part of the message', async () => {
    const minus = custom('minus', (c) => resolveWith(String(Number(c.local.content) - Number(c.remote.content))), ['associative'])
    const sides = { key: 'k', a: { content: '6' }, b: { content: '2' }, c: { content: '2' } }
    expect(await explainLaw(minus, 'associative', sides)).toBe(
      'merge(merge(a, b), c) = b = c ("2") but merge(a, merge(b, c)) = a ("6"), where merge(a, b) = "4" and merge(b, c) = "0"',
    )
    expect(await explainLaw(minus, 'associative', { ...sides, a: { content: '4' } })).toBe(
      'merge(merge(a, b), c) = "0" but merge(a, merge(b, c)) = a ("4"), where merge(a, b) = b ("2") and merge(b, c) = "0"',
    )
    expect(await explainLaw(minus, 'associative', { key: 'k', a: { content: '6' }, b: { content: '4' }, c: { content: '2' } })).toBe(
      'merge(merge(a, b), c) = "0" but merge(a, merge(b, c)) = b ("4"), where merge(a, b) = "2" and merge(b, c) = c ("2")',
    )
  })
  it('explainLaw answers undefined where the law holds', async () => {
    for (const law of allLaws) expect(await explainLaw(lastWriterWins, law, { key: 'k', a: { content: 'x' }, b: { content: 'y' }, c: { content: null } })).toBeUndefined()
    expect(await explainLaw(localWins, 'commutative', { key: 'k', a: { content: '𐀀' }, b: { content: '  ' } })).toBe('merge(local=a, remote=b) = a ("\\u{10000}" (2 code units)) but merge(local=b, remote=a) = b ("  ")')
  })
})

describe('merge, the strategy as a binary merge', () => {
  const concat = merge(custom('concat', (c) => resolveWith(`${c.local.content}${c.remote.content}`)))
  const at = (ms: number) => new Date(ms)
  it('stamps written content with the later device date of the two, or the one there is', async () => {
    expect(await concat('k', { content: 'a', deviceLastModifiedDate: at(1) }, { content: 'b', deviceLastModifiedDate: at(2) })).toEqual({ content: 'ab', deviceLastModifiedDate: at(2) })
    expect(await concat('k', { content: 'a', deviceLastModifiedDate: at(2) }, { content: 'b', deviceLastModifiedDate: at(1) })).toEqual({ content: 'ab', deviceLastModifiedDate: at(2) })
    expect(await concat('k', { content: 'a' }, { content: 'b', deviceLastModifiedDate: at(1) })).toEqual({ content: 'ab', deviceLastModifiedDate: at(1) })
    expect(await concat('k', { content: 'a', deviceLastModifiedDate: at(1) }, { content: 'b' })).toEqual({ content: 'ab', deviceLastModifiedDate: at(1) })
    expect(await concat('k', { content: 'a' }, { content: 'b' })).toStrictEqual({ content: 'ab' })
  })
})
