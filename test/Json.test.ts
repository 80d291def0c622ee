// The canonical text of JSON values: the same text for the same value, whatever the order of fields,
// at every depth, inside arrays as well as objects.
import * as O from 'fp-ts/lib/Option.js'
import { describe, expect, it } from 'vitest'
import { type Json, canonicalJson, parseJson } from 'cognito-reconcile'

const canonical = (text: string): string | null => O.toNullable(O.map(canonicalJson)(parseJson(text)))

describe('canonicalJson', () => {
  it('sorts the fields of objects inside arrays, at every depth', () => {
    const value: Json = [new Map<string, Json>([['b', 1], ['a', [new Map<string, Json>([['z', null], ['y', true]])]]])]
    expect(canonicalJson(value)).toBe('[{"a":[{"y":true,"z":null}],"b":1}]')
    expect(canonical('[ {"b": 1, "a": [{"z": null, "y": true}]}, [], "s" ]')).toBe('[{"a":[{"y":true,"z":null}],"b":1},[],"s"]')
  })
  it('gives two values with their fields in another order the same text', () => {
    expect(canonical('[{"x":{"q":1,"p":2}},{"b":2,"a":1}]')).toBe(canonical('[{"x":{"p":2,"q":1}},{"a":1,"b":2}]'))
    expect(canonical('[{"a":1}]')).not.toBe(canonical('[{"a":2}]'))
  })
})
