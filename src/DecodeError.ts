/**
 * Decode failures as values. io-ts reports a tree of contexts; this module flattens it into issues a
 * person can read (where, what was expected, what was found) without ever throwing.
 *
 * @since 0.1.0
 */
import type * as t from 'io-ts'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'

/** One thing wrong with an input. @since 0.1.0 */
export interface DecodeIssue {
  /** Where in the input, as `Records.3.SyncCount`; empty for the input itself. */
  readonly path: string
  /** The codec that refused it, such as `SyncCount` or `string`. */
  readonly expected: string
  /** A short rendering of what was there instead. */
  readonly got: string
}

/**
 * An input that did not decode: `what` names the input (for example `ListRecords response`).
 *
 * @since 0.1.0
 */
export interface DecodeError {
  readonly _tag: 'DecodeError'
  readonly what: string
  readonly issues: ReadonlyArray<DecodeIssue>
  readonly message: string
}

const MAX_GOT = 60

const render = (u: unknown): string => {
  if (u === undefined) return 'undefined'
  if (u instanceof Date) return Number.isNaN(u.getTime()) ? 'Invalid Date' : u.toISOString()
  let text: string
  try {
    text = JSON.stringify(u) ?? String(u)
  } catch {
    text = Object.prototype.toString.call(u)
  }
  return text.length > MAX_GOT ? `${text.slice(0, MAX_GOT)}…` : text
}

const toIssue = (error: t.ValidationError): DecodeIssue => {
  const context = error.context
  const last = context[context.length - 1]
  return {
    path: context
      .map((entry) => entry.key)
      .filter((key) => key !== '')
      .join('.'),
    expected: last?.type.name ?? 'unknown',
    got: render(error.value),
  }
}

/**
 * Builds a `DecodeError` from io-ts errors.
 *
 * @example
 * import { SyncCount, decodeErrorFrom } from 'cognito-reconcile'
 * import * as E from 'fp-ts/lib/Either.js'
 * const result = SyncCount.decode(-1)
 * assert.ok(E.isLeft(result))
 * if (E.isLeft(result)) {
 *   assert.strictEqual(decodeErrorFrom('sync count', result.left).message, 'Invalid sync count: expected SyncCount, got -1')
 * }
 *
 * @since 0.1.0
 */
export const decodeErrorFrom = (what: string, errors: t.Errors): DecodeError => {
  const issues = errors.map(toIssue)
  const lines = issues.map((issue) => `${issue.path === '' ? '' : `at ${issue.path}: `}expected ${issue.expected}, got ${issue.got}`)
  return { _tag: 'DecodeError', what, issues, message: `Invalid ${what}: ${lines.join('; ')}` }
}

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
  (input: unknown): E.Either<DecodeError, A> =>
    pipe(
      codec.decode(input),
      E.mapLeft((errors) => decodeErrorFrom(what, errors)),
    )
