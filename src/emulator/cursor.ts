/**
 * Pagination. `NextToken` is opaque to clients; the real ListIdentityPoolUsage token is the base64 of
 * the last pool id returned (protocol notes, 1.2), so the emulator does the same for every listing:
 * the token names the last item of the page, and the next page starts strictly after it. That keeps
 * pages stable while items are added or removed between calls.
 *
 * @since 0.1.0
 */
import { invalidParameter } from './errors.js'

/** One page of a listing sorted by `keyOf`. @since 0.1.0 */
export interface Page<A> {
  readonly items: readonly A[]
  readonly nextToken: string | undefined
}

const encode = (last: string): string => Buffer.from(JSON.stringify(last)).toString('base64')

const decode = (token: string): string => {
  const bytes = Buffer.from(token, 'base64')
  let last: unknown
  try {
    last = bytes.toString('base64') === token ? JSON.parse(bytes.toString()) : undefined
  } catch {
    last = undefined
  }
  if (typeof last !== 'string') throw invalidParameter('NextToken is not valid')
  return last
}

/**
 * Cuts the page after `nextToken` (or from the start) of at most `size` items of `sorted`, which must
 * be ascending by `keyOf` with unique keys.
 *
 * @example
 * import { paginate } from './cursor.js'
 * const first = paginate(['a', 'b', 'c'], (s) => s, undefined, 2)
 * assert.deepStrictEqual(first.items, ['a', 'b'])
 * const second = paginate(['a', 'b', 'c'], (s) => s, first.nextToken, 2)
 * assert.deepStrictEqual(second.items, ['c'])
 * assert.strictEqual(second.nextToken, undefined)
 *
 * @since 0.1.0
 */
export const paginate = <A>(
  sorted: readonly A[],
  keyOf: (a: A) => string,
  nextToken: string | undefined,
  size: number,
): Page<A> => {
  const after = nextToken === undefined ? undefined : decode(nextToken)
  const rest = after === undefined ? sorted : sorted.filter((a) => keyOf(a) > after)
  const items = rest.slice(0, size)
  const last = items[items.length - 1]
  return { items, nextToken: rest.length > size && last !== undefined ? encode(keyOf(last)) : undefined }
}

/** Compares strings by UTF-16 code units, the order every listing uses. @since 0.1.0 */
export const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
