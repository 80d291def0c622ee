/**
 * Decode failures as values. io-ts reports a tree of contexts; this module flattens it into issues a
 * person can act on (where, which rule, what was found, what to do) without ever throwing.
 *
 * A codec states its rule once, with `withRule`, and every failure of it says that rule rather than
 * the codec's name: `Invalid dataset name: must be 1–128 characters of [a-zA-Z0-9_.:-]; got "my game"
 * (a space is not allowed). Use letters, digits and _ . : - only.`
 *
 * @since 0.1.0
 */
import type * as t from 'io-ts'
import * as E from 'fp-ts/lib/Either.js'

/** One thing wrong with an input. @since 0.1.0 */
export interface DecodeIssue {
  /** Where in the input, as the wire names it: `Records.3.SyncCount`; empty for the input itself. */
  readonly path: string
  /** The codec that refused it, such as `SyncCount` or `string`: for code, not for people. */
  readonly expected: string
  /** The rule the value broke, such as `must be a non-negative integer`. */
  readonly rule: string
  /** A short rendering of what was there instead. */
  readonly got: string
}

/**
 * An input that did not decode: `what` names the input (for example `dataset name`).
 *
 * @since 0.1.0
 */
export interface DecodeError {
  readonly _tag: 'DecodeError'
  readonly what: string
  readonly issues: ReadonlyArray<DecodeIssue>
  readonly message: string
}

/**
 * What a codec demands, for people: `rule` completes "must …", `fix` says what to do, and `hint`
 * may recognise a common mistake in the refused value (a user pool id given as an identity pool id).
 *
 * @since 0.1.0
 */
export interface Rule {
  readonly rule: string
  readonly fix?: string
  readonly hint?: (refused: unknown) => string | undefined
}

const rules = new WeakMap<t.Decoder<unknown, unknown>, Rule>()

/**
 * Attaches `rule` to `codec`, for every decode failure of it to state; answers the codec itself.
 *
 * @example
 * import { decodeWith, withRule } from 'cognito-reconcile'
 * import * as t from 'io-ts'
 * import * as E from 'fp-ts/lib/Either.js'
 * const Level = withRule(t.union([t.literal('low'), t.literal('high')]), { rule: "be 'low' or 'high'" })
 * const result = decodeWith(Level, 'level')('max')
 * assert.ok(E.isLeft(result) && result.left.message === `Invalid level: must be 'low' or 'high'; got "max"`)
 *
 * @since 0.1.0
 */
export const withRule = <C extends t.Decoder<unknown, unknown>>(codec: C, rule: Rule): C => {
  rules.set(codec, rule)
  return codec
}

const MAX_GOT = 60

const render = (u: unknown): string => {
  if (u === undefined) return 'nothing'
  if (u instanceof Date) return Number.isNaN(u.getTime()) ? 'Invalid Date' : u.toISOString()
  let text: string
  try {
    text = typeof u === 'number' ? String(u) : (JSON.stringify(u) ?? String(u))
  } catch {
    text = Object.prototype.toString.call(u)
  }
  return text.length <= MAX_GOT ? text : `${text.slice(0, MAX_GOT)}…`
}

/** io-ts names its own types by their shape; say what they hold instead. */
const builtIn: Readonly<Record<string, string>> = { string: 'be text', number: 'be a number', boolean: 'be true or false', null: 'be null' }

const ruleOf = (type: t.Decoder<unknown, unknown>): Rule | undefined => rules.get(type)

const describeType = (type: t.Decoder<unknown, unknown>): string => ruleOf(type)?.rule ?? builtIn[type.name] ?? `be ${type.name}`

/** Members of intersections and unions add an index to the context that is no part of the input. */
const transparent = (parent: t.ContextEntry | undefined): boolean => {
  const tag = (parent?.type as { readonly _tag?: unknown } | undefined)?._tag
  return tag === 'IntersectionType' || tag === 'UnionType'
}

interface Located {
  readonly issue: DecodeIssue
  readonly fix: string | undefined
}

const locate = (error: t.ValidationError): Located => {
  const context = error.context
  const path = context
    .filter((entry, i) => entry.key !== '' && !transparent(context[i - 1]))
    .map((entry) => entry.key)
    .join('.')
  const last = context.length - 1
  // A value that fits no member of a union broke the union's rule, not each member's.
  const parent = context[last - 1]
  const type = (transparent(parent) && (parent?.type as { readonly _tag?: unknown })._tag === 'UnionType' ? parent : context[last])?.type
  const rule = type === undefined ? undefined : ruleOf(type)
  const hint = rule?.hint?.(error.value)
  return {
    issue: {
      path,
      expected: type?.name ?? 'unknown',
      rule: type === undefined ? 'be valid' : describeType(type),
      got: `${render(error.value)}${hint === undefined ? '' : ` (${hint})`}`,
    },
    fix: rule?.fix,
  }
}

const distinct = (errors: t.Errors): ReadonlyArray<Located> =>
  errors.map(locate).filter((one, i, all) => all.findIndex((other) => one.issue.path === other.issue.path && one.issue.expected === other.issue.expected) === i)

/**
 * The issues of `errors` in a sentence each, after `prefix`; for a message of your own.
 *
 * @example
 * import { SyncCount, issuesOf, renderIssues } from 'cognito-reconcile'
 * import * as E from 'fp-ts/lib/Either.js'
 * const result = SyncCount.decode(-1)
 * assert.ok(E.isLeft(result) && renderIssues(issuesOf(result.left)) === 'must be a non-negative integer; got -1')
 *
 * @since 0.1.0
 */
export const renderIssues = (issues: ReadonlyArray<DecodeIssue>): string =>
  issues.map((issue) => `${issue.path === '' ? '' : `at ${issue.path}: `}must ${issue.rule}; got ${issue.got}`).join('; ')

/**
 * The issues of io-ts errors, one per place and rule, with paths as the input names them.
 *
 * @example
 * import { Listing, issuesOf } from 'cognito-reconcile'
 * import * as E from 'fp-ts/lib/Either.js'
 * const result = Listing.decode({ records: [{ Key: 'k', SyncCount: -1 }], datasetSyncCount: 1 })
 * assert.ok(E.isLeft(result))
 * if (E.isLeft(result)) assert.deepStrictEqual(issuesOf(result.left).map((issue) => issue.path), ['records.0.SyncCount'])
 *
 * @since 0.1.0
 */
export const issuesOf = (errors: t.Errors): ReadonlyArray<DecodeIssue> => distinct(errors).map((one) => one.issue)

/**
 * Builds a `DecodeError` from io-ts errors.
 *
 * @example
 * import { SyncCount, decodeErrorFrom } from 'cognito-reconcile'
 * import * as E from 'fp-ts/lib/Either.js'
 * const result = SyncCount.decode(-1)
 * assert.ok(E.isLeft(result))
 * if (E.isLeft(result)) {
 *   assert.strictEqual(decodeErrorFrom('sync count', result.left).message, 'Invalid sync count: must be a non-negative integer; got -1')
 * }
 *
 * @since 0.1.0
 */
export const decodeErrorFrom = (what: string, errors: t.Errors): DecodeError => {
  const located = distinct(errors)
  return errorOf(
    what,
    located.map((one) => one.issue),
    [...new Set(located.flatMap((one) => one.fix ?? []))],
  )
}

const errorOf = (what: string, issues: ReadonlyArray<DecodeIssue>, fixes: ReadonlyArray<string>): DecodeError => ({
  _tag: 'DecodeError',
  what,
  issues,
  message: `Invalid ${what}: ${renderIssues(issues)}${fixes.length === 0 ? '' : `. ${fixes.join(' ')}`}`,
})

/** An issue a hand-written check found: as a `DecodeIssue`, with the refused value itself as `got`. @since 0.2.0 */
export interface Refusal {
  readonly path: string
  readonly expected: string
  readonly rule: string
  readonly got: unknown
}

/**
 * A `DecodeError` from what a hand-written check refused, rendered as a codec's failures are: for
 * checks on a hot path, or where a codec would cost a browser bundle more than the check.
 *
 * @example
 * import { decodeErrorOf } from 'cognito-reconcile'
 * const error = decodeErrorOf('level', [{ path: 'audio', expected: 'Level', rule: "be 'low' or 'high'", got: 'max' }], 'Pick one of the two.')
 * assert.strictEqual(error.message, `Invalid level: at audio: must be 'low' or 'high'; got "max". Pick one of the two.`)
 *
 * @since 0.2.0
 */
export const decodeErrorOf = (what: string, refused: ReadonlyArray<Refusal>, fix?: string): DecodeError =>
  errorOf(
    what,
    refused.map((r) => ({ ...r, got: render(r.got) })),
    fix === undefined ? [] : [fix],
  )

/**
 * Decodes `input` with `codec`, turning failures into a `DecodeError` named `what`.
 *
 * @example
 * import { RecordKey, decodeWith } from 'cognito-reconcile'
 * import * as E from 'fp-ts/lib/Either.js'
 * assert.deepStrictEqual(decodeWith(RecordKey, 'record key')('score'), E.right('score'))
 * assert.ok(E.isLeft(decodeWith(RecordKey, 'record key')('')))
 *
 * @since 0.1.0
 */
export const decodeWith =
  <A, O>(codec: t.Type<A, O, unknown>, what: string) =>
  (input: unknown): E.Either<DecodeError, A> => {
    // written out rather than pipe and E.mapLeft, which would cost every browser bundle fp-ts's pipe
    const decoded = codec.decode(input)
    return E.isLeft(decoded) ? E.left(decodeErrorFrom(what, decoded.left)) : decoded
  }
