/**
 * The strategies that always take one side.
 *
 * @since 0.1.0
 */
import { type Resolution, keepLocal, takeRemote } from '../src/Conflict.js'
import { decided } from '../src/decision.js'
import type { SyncStrategy } from '../src/Strategy.js'

const always = (name: string, resolution: Resolution): SyncStrategy => ({
  effect: 'sync',
  name,
  laws: ['idempotent', 'selective'],
  decide: () => decided(resolution, name),
})

/**
 * The local edit always wins. Not commutative: devices that sync in another order end elsewhere; they
 * still converge, because the server holds one value, but on the last device to sync.
 *
 * Laws: idempotent, selective.
 *
 * @since 0.1.0
 */
export const localWins: SyncStrategy = always('localWins', keepLocal)

/**
 * The server version always wins: the first device to push keeps its edit.
 *
 * Laws: idempotent, selective.
 *
 * @since 0.1.0
 */
export const remoteWins: SyncStrategy = always('remoteWins', takeRemote)
