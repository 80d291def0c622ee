/**
 * Last writer wins, by the device clocks, with a guard against clocks that run fast.
 *
 * @since 0.1.0
 */
import type { Ord } from 'fp-ts/lib/Ord.js'
import type { Version } from '../src/Conflict.js'
import type { SyncStrategy } from '../src/Strategy.js'
import { fromOrd, ordBy } from './fromOrd.js'

/**
 * When a version was written, for ordering: its DeviceLastModifiedDate, but never later than the
 * server's LastModifiedDate for it (no device edited after the server stored the edit, so a device
 * whose clock runs fast cannot win for ever). Without a device date, the server date; without either,
 * epoch 0.
 *
 * @example
 * import { effectiveDate } from 'cognito-reconcile/strategies'
 * assert.strictEqual(effectiveDate({ content: 'v', deviceLastModifiedDate: new Date(9e12), lastModifiedDate: new Date(5) }), 5)
 * assert.strictEqual(effectiveDate({ content: 'v', deviceLastModifiedDate: new Date(3) }), 3)
 * assert.strictEqual(effectiveDate({ content: null }), 0)
 *
 * @since 0.1.0
 */
export const effectiveDate = (version: Version): number => {
  const device = version.deviceLastModifiedDate?.getTime()
  const server = version.lastModifiedDate?.getTime()
  if (device !== undefined && server !== undefined) return Math.min(device, server)
  return device ?? server ?? 0
}

/** Versions by `effectiveDate`. @since 0.1.0 */
export const writtenOrd: Ord<Version> = ordBy(effectiveDate)

/**
 * The later write wins. Equal dates are broken by content (a tombstone loses to any value, values
 * compare by code units), so every device picks the same winner.
 *
 * Laws: commutative, associative, idempotent, selective.
 *
 * @example
 * import { lastWriterWins } from 'cognito-reconcile/strategies'
 * const decision = lastWriterWins.decide({
 *   key: 'theme',
 *   local: { content: 'dark', deviceLastModifiedDate: new Date(2000) },
 *   remote: { content: 'light', deviceLastModifiedDate: new Date(1000), lastModifiedDate: new Date(1500) },
 * })
 * assert.strictEqual(decision._tag === 'Some' && decision.value.resolution._tag, 'KeepLocal')
 *
 * @since 0.1.0
 */
export const lastWriterWins: SyncStrategy = fromOrd('lastWriterWins', writtenOrd)
