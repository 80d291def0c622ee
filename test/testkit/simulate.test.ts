// The convergence simulator: the same history gives the same report on the model of the service and
// on the emulator over HTTP; the built-in strategies pass, with faults; broken strategies are caught,
// each with a readable, replayable counterexample; a lost answer and a crash acknowledge a write.
import fc from 'fast-check'
import * as O from 'fp-ts/lib/Option.js'
import { describe, expect, it } from 'vitest'
import type { RecordValue, Strategy, SyncStrategy } from 'cognito-reconcile'
import { byKey, custom, effectiveDate, jsonSetUnion, keepLocal, lastWriterWins, localWins, maxValue, remoteWins, takeRemote, writtenOrd } from 'cognito-reconcile/strategies'
import { type History, checkConvergence, emulatorBackend, history, numericValue, simulate } from 'cognito-reconcile/testkit'
import { expectReach, reachAsync, shortfalls } from '../reach.js'

const emulator = emulatorBackend()
const lww3 = [lastWriterWins, lastWriterWins, lastWriterWins]

/** Keeps its own edit, always: overwrites newer writes of other devices. */
const mine = custom('mine', () => keepLocal)
/** The later device date wins, a tie goes to the local side: not commutative, so ties decide by sync order. */
const newerOrMine = custom('newerOrMine', (c) => (writtenOrd.compare(c.local, c.remote) >= 0 ? keepLocal : takeRemote), ['commutative'])
/** Declines every conflict: the edits stay pending on every device, for ever. */
const undecided: Strategy = { effect: 'sync', name: 'undecided', laws: [], decide: () => O.none }

const put = (device: number, key: string, value: string, tick = 1) => ({ _tag: 'Put', device, key, value, tick }) as const
const syncOf = (device: number, fault: 'none' | 'lostAnswer' | 'crash' = 'none', slipIn?: number) => ({ _tag: 'Sync', device, fault, ...(slipIn !== undefined && { slipIn }) }) as const

describe('one history, two back ends', () => {
  it('the model of the service and the emulator over HTTP give the same report', async () => {
    const histories = fc.sample(history({ faults: true, maxSkew: 2 }), { numRuns: 6, seed: 20261201 })
    const fleet = [lastWriterWins, localWins, remoteWins]
    for (const h of histories) {
      const [model, http] = [await simulate(fleet, h), await simulate(fleet, h, { backend: emulator })]
      expect({ ...http, backend: 'model' }).toEqual(model)
    }
  })
})

/** Histories long enough (20 steps at most) for a key to be deleted on one device and changed on another (see the reach tests below). */
const longer = { faults: true, maxSteps: 20 }
const setValues = { values: fc.constantFrom('[]', '["a"]', '["b"]', '["a","b"]') }

describe('the built-in strategies pass, with every fault', () => {
  it.each([
    ['lastWriterWins', lww3, {}],
    ['remoteWins', [remoteWins, remoteWins, remoteWins], {}],
    // without deletes: maxValue is a lattice over numbers only (see the test of its limit below)
    ['maxValue', [maxValue(), maxValue(), maxValue()], { values: numericValue as fc.Arbitrary<string>, deletes: false }],
    ['jsonSetUnion', [jsonSetUnion(), jsonSetUnion(), jsonSetUnion()], setValues],
  ])('%s, on the model', async (_, fleet, options) => {
    await checkConvergence(fleet, { history: { ...longer, ...options } }, { numRuns: 60 })
  })

  it('a rollout mixing them loses acknowledged writes, and the check finds it (docs/testing.md)', async () => {
    // byKey(maxValue) on two devices, lastWriterWins on the third: which device decides a conflict decides
    // its value, so a write one strategy keeps is replaced under the other. A CI run found this unseeded.
    const rollout = [byKey([['a', maxValue()]], lastWriterWins), byKey([['a', maxValue()]], lastWriterWins), lastWriterWins]
    const options = { history: { faults: true, values: numericValue as fc.Arbitrary<string> } }
    await expect(checkConvergence(rollout, options, { numRuns: 60, seed: 921022403 })).rejects.toThrow(/lost: /)
  })

  it("maxValue with deletes: its fallback decides a delete's conflicts, so the order of syncs picks the survivor", async () => {
    // A's 1.0 lands on the server; B's 10 beats it (maxValue); C's earlier delete beats 10 (lastWriterWins,
    // the fallback). Had C synced before B, C's delete would have met A's later 1.0 and lost.
    const h: History = {
      skews: [0, 0, 0],
      steps: [put(0, 'b', '0'), put(1, 'b', '1e1'), syncOf(0), syncOf(2), { _tag: 'Remove', device: 2, key: 'b', tick: 1 }, put(0, 'b', '1.0')],
    }
    const fleet = [maxValue(), maxValue(), maxValue()]
    const report = await simulate(fleet, h)
    expect([report.server, report.lost.map((l) => [l.write.device, l.write.content, l.final])]).toEqual([{}, [[0, '1.0', null]]])
    // the same fleet without deletes keeps every acknowledged write it should
    const options = { history: { faults: true, maxSteps: 20, values: numericValue as fc.Arbitrary<string> } }
    await expect(checkConvergence(fleet, options, { numRuns: 60, seed: 19 })).rejects.toThrow(/lost: /)
    await checkConvergence(fleet, { history: { ...options.history, deletes: false } }, { numRuns: 60, seed: 19 })
  })

  it('lastWriterWins, on the emulator', async () => {
    await checkConvergence(lww3, { backend: emulator, history: { faults: true, maxSteps: 8 } }, { numRuns: 6 })
  })

  it('localWins converges, and loses writes, as it says', async () => {
    const fleet = [localWins, localWins, localWins]
    await checkConvergence(fleet, { allowLostWrites: true, history: { faults: true } }, { numRuns: 40 })
    await expect(checkConvergence(fleet, {}, { numRuns: 40, seed: 3 })).rejects.toThrow(/lost: /)
  })
})

describe('broken strategies are caught', () => {
  it('a device that always keeps its own edit loses acknowledged writes; the model finds it, the emulator agrees', async () => {
    const fleet = [mine, lastWriterWins, lastWriterWins]
    const message = (await checkConvergence(fleet, {}, { numRuns: 30, seed: 2 }).catch((error: Error) => error.message)) as string
    expect(message).toContain('failed a history on the model back end')
    expect(message).toMatch(/^1\. [A-C] puts "[ab]" = /m)
    expect(message).toMatch(/^lost: [A-C]'s put of "[ab]" = .* \(step \d\), acknowledged by the service; the key ended /m)
    expect(message).toMatch(/Replay: checkConvergence\(fleet, options, \{ seed: 2, path: "[\d:]+" \}\)/)
    const smallest = JSON.parse(/with the history (.*)$/m.exec(message)?.[1] ?? 'null') as History
    const [model, http] = [await simulate(fleet, smallest), await simulate(fleet, smallest, { backend: emulator })]
    expect(model.lost.length).toBeGreaterThan(0)
    expect({ ...http, backend: 'model' }).toEqual(model)
  })

  it('the check catches it on the emulator too', async () => {
    await expect(checkConvergence([mine, lastWriterWins], { backend: emulator, history: { maxSteps: 5 } }, { numRuns: 30, seed: 2 })).rejects.toThrow(
      /failed a history on the emulator back end[\s\S]*lost: /,
    )
  })

  it('a strategy that is not commutative on ties loses a write the two sides would decide the other way', async () => {
    await expect(checkConvergence([newerOrMine, newerOrMine], {}, { numRuns: 200, seed: 4 })).rejects.toThrow(/lost: /)
  })

  it.each([
    ['model', undefined],
    ['emulator', emulator],
  ])('a strategy that declines conflicts never converges (%s)', async (_, backend) => {
    const h: History = { skews: [0, 0, 0], steps: [put(0, 'a', 'x'), put(1, 'a', 'y'), put(2, 'a', 'z')] }
    const report = await simulate([undecided, undecided, undecided], h, { ...(backend && { backend }), maxRounds: 4 })
    expect(report.converged).toBe(false)
    expect(report.rounds).toBe(4)
    expect(report.devices.map((device) => device.pending)).toEqual([[], ['a'], ['a']])
  })

  it('a strategy that throws is reported as an error, with the step', async () => {
    const throwing = custom('throwing', () => {
      throw new Error('no idea')
    })
    const report = await simulate([throwing, throwing], { skews: [0, 0], steps: [put(0, 'a', 'x'), syncOf(0), put(1, 'a', 'y'), syncOf(1)] })
    expect(report.converged).toBe(false)
    expect(report.errors[0]).toMatch(/^step 4: B's sync failed: /)
  })

  it('the counterexample replays from its seed and path', async () => {
    const fleet = [mine, lastWriterWins, lastWriterWins]
    const first = (await checkConvergence(fleet, {}, { numRuns: 30, seed: 2 }).catch((error: Error) => error.message)) as string
    const [, seed, path] = /\{ seed: (-?\d+), path: "([\d:]+)" \}/.exec(first) ?? []
    const again = (await checkConvergence(fleet, {}, { seed: Number(seed), ...(path !== undefined && { path }), numRuns: 30 }).catch((error: Error) => error.message)) as string
    const script = (message: string) => message.slice(message.indexOf('Smallest'), message.indexOf('Replay'))
    expect(script(again)).toBe(script(first))
  })
})

describe('what counts as acknowledged, and as lost', () => {
  // B's newer write is stored, though B never reads the answer; A's older edit then overwrites it
  it('a write whose answer was lost is acknowledged: the service stored it', async () => {
    const h: History = { skews: [0, 0], steps: [put(0, 'k', 'old'), put(1, 'k', 'new'), syncOf(1, 'lostAnswer'), syncOf(0)] }
    const lost = await simulate([mine, lastWriterWins], h)
    expect(lost.lost).toEqual([{ write: { device: 1, key: 'k', content: 'new', step: 1, time: 2, date: new Date(1_700_000_002_000) }, final: 'old' }])
    const kept = await simulate([lastWriterWins, lastWriterWins], h)
    expect([kept.converged, kept.server, kept.lost]).toEqual([true, { k: 'new' }, []])
  })

  // the crashed device comes back with its edit still pending, and settles it at its next sync
  it('a device that crashes once its UpdateRecords committed loses nothing', async () => {
    const h: History = { skews: [0, 0], steps: [put(0, 'k', 'old'), put(1, 'k', 'new'), syncOf(1, 'crash'), syncOf(0)] }
    for (const backend of [undefined, emulator]) {
      const report = await simulate([mine, lastWriterWins], h, { ...(backend && { backend }) })
      expect([report.converged, report.server, report.lost, report.errors]).toEqual([true, { k: 'new' }, [], []])
      expect(report.devices.map((device) => device.pending)).toEqual([[], []])
    }
  })

  it('a later write replaces an earlier one legitimately, even a smaller number under maxValue', async () => {
    const h: History = { skews: [0, 0], steps: [put(0, 'k', '9'), syncOf(0), syncOf(1), put(1, 'k', '3'), syncOf(1)] }
    const report = await simulate([maxValue(), maxValue()], h)
    expect([report.server, report.lost]).toEqual([{ k: '3' }, []])
  })

  it('a device that crashed once its push committed had seen what it listed: its later write at the same instant replaces legitimately', async () => {
    // B listed A's 1.0 and stored it before its push committed and it crashed; B then wrote 0 over it
    const h: History = {
      skews: [0, 0, 0],
      steps: [put(0, 'b', '1.0'), syncOf(0, 'lostAnswer'), put(1, 'a', '0', 0), syncOf(1, 'crash'), put(1, 'b', '0', 0), put(0, 'a', '0')],
    }
    const report = await simulate([maxValue(), maxValue(), maxValue()], h)
    expect([report.server, report.lost]).toEqual([{ a: '0', b: '0' }, []])
  })

  it('a writer slipping in between ListRecords and UpdateRecords makes a 409, and nothing is lost', async () => {
    const h: History = { skews: [0, 0], steps: [put(0, 'k', 'a'), put(1, 'k', 'b'), syncOf(0, 'none', 1)] }
    for (const backend of [undefined, emulator]) {
      const report = await simulate([lastWriterWins, lastWriterWins], h, { ...(backend && { backend }) })
      expect([report.converged, report.server, report.lost, report.errors]).toEqual([true, { k: 'b' }, [], []])
    }
  })

  it('with a clock skew, lastWriterWins keeps the later device date, and the simulator says which write was lost', async () => {
    // A's clock is 10 s fast: its older write carries the later date
    const h: History = { skews: [10, 0], steps: [put(0, 'k', 'early'), put(1, 'k', 'late'), syncOf(1), syncOf(0)] }
    const report = await simulate([lastWriterWins, lastWriterWins], h)
    expect(report.server).toEqual({ k: 'early' })
    // lastWriterWins itself says the earlier write, dated later, absorbs the later one: not a loss
    expect(report.lost).toEqual([])
  })
})

describe('histories', () => {
  it('a value arbitrary fits the strategy`s domain', () => {
    const values = fc.sample(history({ values: numericValue as fc.Arbitrary<RecordValue> }), { numRuns: 50, seed: 2 }).flatMap((h) => h.steps.flatMap((s) => (s._tag === 'Put' ? [s.value] : [])))
    expect(values.every((value) => Number.isFinite(Number(value)))).toBe(true)
  })
})

describe('the histories of these checks reach', () => {
  /** The conflicts a fleet met in a history: each strategy decides as before and tells what it saw. */
  const conflictsMet = async (fleet: ReadonlyArray<SyncStrategy>, h: History): Promise<ReadonlyArray<string>> => {
    const met: Array<string> = []
    const spy = (strategy: SyncStrategy): SyncStrategy => ({
      ...strategy,
      decide: (conflict) => {
        const decision = strategy.decide(conflict)
        if (conflict.local.content === null || conflict.remote.content === null) met.push('tombstone conflict')
        if (conflict.local.content === conflict.remote.content) met.push('equal contents')
        if (effectiveDate(conflict.local) === effectiveDate(conflict.remote)) met.push('equal dates')
        if (O.isSome(decision) && decision.value.resolution._tag === 'Write') met.push('set merge')
        return decision
      },
    })
    await simulate(fleet.map(spy), h)
    const putsOf = h.steps.flatMap((step) => (step._tag === 'Put' ? [step] : []))
    const repeated = putsOf.some((a) => putsOf.some((b) => b.device !== a.device && b.key === a.key && b.value === a.value))
    return [...met, ...(repeated ? ['one value on two devices'] : [])]
  }
  // 200 histories, not 1,000: each is a whole simulated fleet (a few seconds in all on a quiet machine)
  const slow = { timeout: 120_000 }
  const union = [jsonSetUnion(), jsonSetUnion(), jsonSetUnion()]
  const setReach = { 'tombstone conflict': 6, 'set merge': 30, 'one value on two devices': 30 }

  it('tombstone conflicts, set merges and values repeated across devices, under jsonSetUnion', slow, async () => {
    expectReach(await reachAsync(history({ ...longer, ...setValues }), (h) => conflictsMet(union, h), { numRuns: 200 }), setReach)
  })

  it('tombstone conflicts, equal dates and values repeated across devices, under lastWriterWins', slow, async () => {
    const lwwReach = { 'tombstone conflict': 10, 'equal dates': 10, 'one value on two devices': 15 }
    expectReach(await reachAsync(history(longer), (h) => conflictsMet(lww3, h), { numRuns: 200 }), lwwReach)
  })

  it('fail the reach test with histories without deletes', slow, async () => {
    const putsOnly = history({ ...longer, ...setValues }).map((h) => ({ ...h, steps: h.steps.filter((step) => step._tag !== 'Remove') }))
    expect(shortfalls(await reachAsync(putsOnly, (h) => conflictsMet(union, h), { numRuns: 200 }), setReach)).toEqual([expect.stringMatching(/^tombstone conflict: 0% < /)])
  })
})
