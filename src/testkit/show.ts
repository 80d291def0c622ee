/**
 * Values as a person must read them in a counterexample: strings quoted, with every character that
 * does not print as itself (spaces other than a single space, controls, zero-width and format
 * characters, combining marks, characters outside the Basic Multilingual Plane) written as a `\u{…}`
 * escape, and the length in UTF-16 code units when it differs from what the eye counts.
 *
 * @since 0.2.0
 */
import type { Content } from '../codecs.js'
import type { Version } from '../Conflict.js'

/** Prints as itself: a letter, digit, mark-free symbol or punctuation of one code unit, or one space. */
const plain = /^[\p{L}\p{N}\p{P}\p{S} ]$/u

const escapeChar = (char: string): string => {
  if (char === '"' || char === '\\') return `\\${char}`
  const code = char.codePointAt(0) as number
  return code <= 0xffff && plain.test(char) ? char : `\\u{${code.toString(16).toUpperCase()}}`
}

/**
 * A string as a quoted literal in which nothing is invisible or ambiguous: `" "` stays a space, two
 * spaces stay two, but a tab, a zero-width space, a combining accent or an astral character such as
 * `𐀀` is escaped, and a string with any escape says how many UTF-16 code units it has.
 *
 * @example
 * import { showString } from 'cognito-reconcile/testkit'
 * assert.strictEqual(showString('  '), '"  "')
 * assert.strictEqual(showString('𐀀'), '"\\u{10000}" (2 code units)')
 * assert.strictEqual(showString('e\u0301'), '"e\\u{301}" (2 code units)')
 *
 * @since 0.2.0
 */
export const showString = (s: string): string => {
  const chars = Array.from(s)
  const body = chars.map(escapeChar).join('')
  const escaped = chars.some((char) => escapeChar(char) !== char && char !== '"' && char !== '\\')
  return escaped ? `"${body}" (${s.length} code unit${s.length === 1 ? '' : 's'})` : `"${body}"`
}

/**
 * Record content: a string as `showString` prints it, `null` as `deleted`.
 *
 * @example
 * import { showContent } from 'cognito-reconcile/testkit'
 * assert.strictEqual(showContent(null), 'deleted')
 * assert.strictEqual(showContent(''), '""')
 *
 * @since 0.2.0
 */
export const showContent = (content: Content | string | null): string => (content === null ? 'deleted' : showString(content))

const showDate = (date: Date): string => (Number.isNaN(date.getTime()) ? 'Invalid Date' : date.toISOString())

/**
 * A conflict side: its content, then whichever dates and writer it has.
 *
 * @example
 * import { showVersion } from 'cognito-reconcile/testkit'
 * assert.strictEqual(showVersion({ content: 'a', deviceLastModifiedDate: new Date(0) }), '"a" (device date 1970-01-01T00:00:00.000Z)')
 * assert.strictEqual(showVersion({ content: null }), 'deleted')
 *
 * @since 0.2.0
 */
export const showVersion = (version: Version): string => {
  const notes = [
    version.deviceLastModifiedDate && `device date ${showDate(version.deviceLastModifiedDate)}`,
    version.lastModifiedDate && `server date ${showDate(version.lastModifiedDate)}`,
    version.lastModifiedBy !== undefined && `by ${showString(version.lastModifiedBy)}`,
  ].filter((note): note is string => typeof note === 'string')
  return notes.length === 0 ? showContent(version.content) : `${showContent(version.content)} (${notes.join(', ')})`
}

/** What fast-check tells of a failed check: how far it got, and how to start again from the failure. @since 0.2.0 */
export interface CheckDetails {
  readonly numRuns: number
  readonly numShrinks: number
  readonly seed: number
  readonly counterexamplePath: string | null
}

/**
 * How a failed check got to its counterexample: `after 6 runs and 10 shrinks`.
 *
 * @example
 * import { showRuns } from 'cognito-reconcile/testkit'
 * assert.strictEqual(showRuns({ numRuns: 1, numShrinks: 0, seed: 7, counterexamplePath: '0' }), 'after 1 run and 0 shrinks')
 *
 * @since 0.2.0
 */
export const showRuns = (details: CheckDetails): string =>
  `after ${details.numRuns} run${details.numRuns === 1 ? '' : 's'} and ${details.numShrinks} shrink${details.numShrinks === 1 ? '' : 's'}`

/**
 * The fast-check parameters that replay a failed check from its counterexample, as code.
 *
 * @example
 * import { showReplay } from 'cognito-reconcile/testkit'
 * assert.strictEqual(showReplay({ numRuns: 6, numShrinks: 2, seed: -42, counterexamplePath: '5:0:1' }), '{ seed: -42, path: "5:0:1" }')
 *
 * @since 0.2.0
 */
export const showReplay = (details: CheckDetails): string =>
  `{ seed: ${details.seed}${details.counterexamplePath === null ? '' : `, path: ${JSON.stringify(details.counterexamplePath)}`} }`
