/**
 * The app side: after `signIn`, one sync manager for the signed-in identity, over a store that keeps
 * the datasets on the device, with a device id kept across launches.
 */
import { type SyncManager, createSyncManager } from 'cognito-reconcile/app'
import type { LocalStore } from 'cognito-reconcile/stores'
import { lastWriterWins } from 'cognito-reconcile/strategies'
import { type IdStorage, type SignInOptions, signIn } from './signIn.js'

/** This device's id, made once and kept in `storage`. */
export const deviceId = async (storage: IdStorage): Promise<string> => {
  const kept = await storage.getItem('cognito-reconcile.deviceId')
  if (kept !== null) return kept
  // getRandomValues: React Native has it with react-native-get-random-values, which the AWS SDK needs anyway
  const made = Array.from(globalThis.crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('')
  await storage.setItem('cognito-reconcile.deviceId', made)
  return made
}

export interface Started {
  readonly identityId: string
  readonly cognito: SyncManager
  /** Closes the client's connections. */
  readonly stop: () => void
}

/** Signs in, then binds a sync manager to the identity, the store and this device. */
export const start = async (options: SignInOptions & { readonly store: LocalStore }): Promise<Started> => {
  const { identityId, client } = await signIn(options)
  const cognito = createSyncManager({
    client,
    store: options.store,
    identityPoolId: options.identityPoolId,
    identityId,
    deviceId: await deviceId(options.cache),
    strategy: lastWriterWins,
  })
  return { identityId, cognito, stop: () => client.destroy() }
}
