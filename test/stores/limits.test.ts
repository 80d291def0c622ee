// The quotas' arithmetic (src/stores/limits.ts): UTF-8 lengths as the platform encodes them, and
// running totals that always equal a full count.
import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { LocalRecord } from 'cognito-reconcile'
import { localRecord, localState } from 'cognito-reconcile/testkit'
import { changeUsage, noUsage, usage, utf8Length } from '../../src/stores/limits.js'

const encoded = (s: string): number => new TextEncoder().encode(s).length

// any UTF-16 units, lone surrogates included, and long strings whose chunks end inside a pair
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('a', 'é', '€', '😀', '\ud800', '\udc00'), maxLength: 40 }),
  fc.tuple(fc.nat(3), fc.constantFrom('a', '😀', '\ud800')).map(([pad, tail]) => 'x'.repeat(16_383 + pad) + tail.repeat(3)),
)

describe('utf8Length', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    vi.resetModules()
  })

  it('is the length TextEncoder encodes to, for any string', () => {
    fc.assert(fc.property(text, (s) => utf8Length(s) === encoded(s)))
  })

  it('counts the same without TextEncoder, by UTF-16 units', async () => {
    vi.stubGlobal('TextEncoder', undefined)
    vi.resetModules()
    const fallback = (await import('../../src/stores/limits.js')).utf8Length
    vi.unstubAllGlobals()
    expect(fallback).not.toBe(utf8Length)
    fc.assert(fc.property(text, (s) => fallback(s) === encoded(s)))
  })

  // Random strings rarely land on the edges where a character's length changes, so they are listed.
  it('both ways, at every edge where the length of a character changes', async () => {
    vi.stubGlobal('TextEncoder', undefined)
    vi.resetModules()
    const fallback = (await import('../../src/stores/limits.js')).utf8Length
    vi.unstubAllGlobals()
    const edges: ReadonlyArray<readonly [string, number]> = [
      ['\u007f', 1],
      ['\u0080', 2],
      ['\u07ff', 2],
      ['\u0800', 3],
      ['\ud7ff', 3],
      ['\uffff', 3],
      ['\u{10000}', 4],
      ['\u{10ffff}', 4],
      // lone surrogates are encoded as U+FFFD, three bytes each
      ['\ud800', 3],
      ['\udbff', 3],
      ['\udc00', 3],
      ['\udc00\udc00', 6],
      ['\udbff\ue000', 6],
      ['\ud7ff\udc00', 6],
    ]
    for (const [s, bytes] of edges) {
      const units = [...s].map((c) => c.codePointAt(0)?.toString(16)).join(' ')
      expect([utf8Length(s), fallback(s), encoded(s)], units).toEqual([bytes, bytes, bytes])
    }
  })
})

describe('running totals', () => {
  it('changeUsage from the totals of a state gives the totals of the state after the changes', () => {
    const change = fc.tuple(fc.option(localRecord(), { nil: undefined }), fc.option(localRecord(), { nil: undefined }))
    fc.assert(
      fc.property(localState(), fc.array(change, { maxLength: 5 }), (state, changes) => {
        const records = new Map(state.records)
        const applied: Array<readonly [LocalRecord | undefined, LocalRecord | undefined]> = []
        for (const [, after] of changes) {
          // each change replaces what is under its key (a missing `after` deletes a present record)
          const key = after?.key ?? [...records.keys()][0]
          if (key === undefined) continue
          applied.push([records.get(key), after])
          if (after === undefined) records.delete(key)
          else records.set(key, after)
        }
        expect(changeUsage(usage(state), applied)).toEqual(usage({ ...state, records }))
      }),
    )
  })

  it('counts nothing for nothing', () => {
    expect(changeUsage(noUsage, [])).toEqual(noUsage)
  })
})
