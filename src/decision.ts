/**
 * A strategy's answers as plain values: the `Option<Decision>` that `decide` returns, built without
 * fp-ts's Option module (whose instances a browser bundle would carry). Internal to the core and the
 * strategies.
 *
 * @since 0.2.0
 */
import type { Option } from 'fp-ts/lib/Option.js'
import type { Decision, Resolution } from './Conflict.js'

/**
 * `some({ resolution, decidedBy })`.
 *
 * @internal
 */
export const decided = (resolution: Resolution, decidedBy: string): Option<Decision> => ({ _tag: 'Some', value: { resolution, decidedBy } })

/** `none`: the strategy does not apply. @internal */
export const declined: Option<Decision> = { _tag: 'None' }
