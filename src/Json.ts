/**
 * JSON values as record contents hold them, and their canonical text: keys sorted by UTF-16 code
 * units, no whitespace, so that equal values are byte-equal on every device. Objects are read into
 * `Map`s, so that a field named `__proto__` is data, never a prototype.
 *
 * @since 0.2.0
 */
import * as O from 'fp-ts/lib/Option.js'
import { compareKeys } from './LocalRecord.js'

/**
 * A JSON value; an object is a `Map` from field names to values.
 *
 * @since 0.2.0
 */
export type Json = null | boolean | number | string | ReadonlyArray<Json> | JsonObject

/** @since 0.2.0 */
export type JsonObject = ReadonlyMap<string, Json>

// constructors

const fromParsed = (u: unknown): Json => {
  if (Array.isArray(u)) return u.map(fromParsed)
  if (typeof u === 'object' && u !== null) return new Map(Object.entries(u).map(([key, value]) => [key, fromParsed(value)]))
  return u as Json
}

/**
 * The JSON value of a text, if it is JSON.
 *
 * @example
 * import { parseJson } from 'cognito-reconcile'
 * const parsed = parseJson('{"__proto__":1}')
 * assert.ok(parsed._tag === 'Some' && parsed.value instanceof Map && parsed.value.get('__proto__') === 1)
 * assert.strictEqual(parseJson('{')._tag, 'None')
 *
 * @since 0.2.0
 */
export const parseJson = (text: string): O.Option<Json> => {
  try {
    return O.some(fromParsed(JSON.parse(text)))
  } catch {
    return O.none
  }
}

// refinements

/**
 * Whether a JSON value is an object.
 *
 * @example
 * import { isJsonObject, parseJson } from 'cognito-reconcile'
 * import * as O from 'fp-ts/lib/Option.js'
 * assert.ok(isJsonObject(O.toNullable(parseJson('{}'))))
 * assert.ok(!isJsonObject(O.toNullable(parseJson('[]'))))
 *
 * @since 0.2.0
 */
export const isJsonObject = (json: Json | undefined): json is JsonObject => json instanceof Map

// destructors

/**
 * The canonical text of a JSON value: fields in code-unit order at every depth, no whitespace, numbers
 * as JavaScript writes them.
 *
 * Law: `canonicalJson(a) === canonicalJson(b)` exactly when `a` and `b` are the same JSON value
 * (field order aside).
 *
 * @example
 * import { canonicalJson, parseJson } from 'cognito-reconcile'
 * import * as O from 'fp-ts/lib/Option.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * assert.strictEqual(pipe(parseJson('{ "b": [1.0, {"z":1,"a":2}], "a": "x" }'), O.map(canonicalJson), O.toNullable), '{"a":"x","b":[1,{"a":2,"z":1}]}')
 *
 * @since 0.2.0
 */
export const canonicalJson = (json: Json): string => {
  if (Array.isArray(json)) return `[${json.map(canonicalJson).join(',')}]`
  if (isJsonObject(json)) {
    const keys = [...json.keys()].sort(compareKeys)
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(json.get(key) as Json)}`).join(',')}}`
  }
  return JSON.stringify(json)
}
