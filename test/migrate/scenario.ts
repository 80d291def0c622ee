/**
 * One history of an amazon-cognito-js app that a migration must carry over whole, played against the
 * emulator over HTTP: amazon-cognito-js (its localStorage store) on device A, this library on device B,
 * both as identity `alice`; and `bob`'s amazon-cognito-js data in the same storage.
 */
import { CognitoSyncClient } from '@aws-sdk/client-cognito-sync'
import * as E from 'fp-ts/lib/Either.js'
import type { EmulatorHandle } from '../../src/emulator/index.js'
import { type LocalStore, type SyncReport, memoryStore, openDataset, sync } from '../../src/sync/index.js'
import { lastWriterWins } from '../../strategies/index.js'
import type { CognitoJsApp } from './cognitoJs.js'

export const pool = 'us-east-1:11111111-1111-1111-1111-111111111111'
export const alice = 'us-east-1:aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa'
export const bob = 'us-east-1:bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb'

export const client = (emulator: EmulatorHandle): CognitoSyncClient =>
  new CognitoSyncClient({ region: 'us-east-1', endpoint: emulator.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 })

/** Syncs `datasetName` of `store` as this library does, failing the test on an error. */
export const syncWith = async (emulator: EmulatorHandle, store: LocalStore, datasetName: string, deviceId: string, identityId = alice): Promise<SyncReport> => {
  const sdk = client(emulator)
  try {
    const result = await sync({ client: sdk, identityPoolId: pool, identityId, datasetName, deviceId, store, strategy: lastWriterWins })()
    if (E.isLeft(result)) throw new Error(`sync of ${datasetName} failed: ${result.left.message}`)
    return result.right
  } finally {
    sdk.destroy()
  }
}

/** Writes to `datasetName` of `store` through the app API; `null` removes. */
export const write = async (store: LocalStore, datasetName: string, writes: ReadonlyArray<readonly [string, string | null]>): Promise<void> => {
  const dataset = openDataset(store, datasetName)
  if (E.isLeft(dataset)) throw new Error(dataset.left.message)
  const done = await dataset.right.putAll(writes)()
  if (E.isLeft(done)) throw new Error(done.left.message)
}

/** The live records of a dataset on the service, by key. */
export const onService = (emulator: EmulatorHandle, datasetName: string, identityId = alice): Record<string, string> => {
  const identity = emulator.snapshot().pools.find((p) => p.identityPoolId === pool)?.identities.find((i) => i.identityId === identityId)
  const records = identity?.datasets.find((d) => d.datasetName === datasetName)?.records ?? []
  return Object.fromEntries(records.flatMap((r) => (r.value === null ? [] : [[r.key, r.value]])))
}

/** The live records of a dataset of a store, by key. */
export const onDevice = async (store: LocalStore, datasetName: string): Promise<Record<string, string>> => {
  const dataset = openDataset(store, datasetName)
  if (E.isLeft(dataset)) throw new Error(dataset.left.message)
  const entries = await dataset.right.list()()
  if (E.isLeft(entries)) throw new Error(entries.left.message)
  return Object.fromEntries(entries.right.map(({ key, value }) => [key, value]))
}

/** The datasets of the history, and what each must hold everywhere once the migrated device synced. */
export const expected: Readonly<Record<string, Record<string, string>>> = {
  // coins: edited offline on A, unchanged remotely; lives: edited on B then later offline on A (a
  // conflict, the later edit wins); gems and badge's delete: B's, never seen by A; note: '' put offline
  // on A; fresh: new offline on A; motto: '' put on A and synced by amazon-cognito-js, which sent it as a
  // delete
  game: { coins: '150', lives: '4', gems: '7', note: '', fresh: 'f' },
  // A's offline delete of sound, and edit of volume, after a sync that failed while pushing them
  settings: { theme: 'dark', volume: '11' },
  // created offline on A, never synced
  inbox: { msg: 'hi' },
  // A's edit of level won by amazon-cognito-js over B's, whose non-conflicting edit of hi it never
  // applied (it skipped it in its conflict path, then moved its high-water mark past it)
  scores: { level: '3', hi: '20' },
}

/** What amazon-cognito-js on A shows before the import: its `hi` is stale. */
export const staleOnA = { hi: '10' }

/**
 * Plays the history with amazon-cognito-js signed in as alice on A (`a`), then as bob on the same
 * device (`asBob`, made when bob signs in); answers B's store. A's storage ends holding alice's data and
 * bob's, with edits synced, partly synced, and made offline after the last sync.
 */
export const playHistory = async (emulator: EmulatorHandle, a: CognitoJsApp, asBob: () => Promise<CognitoJsApp>): Promise<LocalStore> => {
  const [game, settings, scores] = [await a.dataset('game'), await a.dataset('settings'), await a.dataset('scores')]
  for (const [key, value] of [['coins', '100'], ['lives', '3'], ['badge', 'gold'], ['motto', '']] as const) await game.put(key, value)
  for (const [key, value] of [['theme', 'dark'], ['sound', 'on'], ['volume', '5']] as const) await settings.put(key, value)
  for (const [key, value] of [['level', '1'], ['hi', '10']] as const) await scores.put(key, value)
  for (const dataset of [game, settings, scores]) if ((await dataset.synchronize()) !== 'synced') throw new Error('amazon-cognito-js did not sync')

  // B, this library, on another device
  const b = memoryStore()
  for (const name of ['game', 'scores']) await syncWith(emulator, b, name, 'b')
  await write(b, 'game', [['lives', '5'], ['gems', '7'], ['badge', null]])
  await write(b, 'scores', [['hi', '20'], ['level', '2']])
  for (const name of ['game', 'scores']) await syncWith(emulator, b, name, 'b')

  // A again: a sync with a conflict (amazon-cognito-js keeps its level, and misses B's hi)
  await scores.put('level', '3')
  if ((await scores.synchronize()) !== 'synced') throw new Error('amazon-cognito-js did not sync scores')
  // edits offline after its last sync
  await game.put('coins', '150')
  await game.put('lives', '4')
  await game.put('note', '')
  await game.put('fresh', 'f')
  const inbox = await a.dataset('inbox')
  await inbox.put('msg', 'hi')
  // a sync that fails while pushing: the edits stay modified
  await settings.remove('sound')
  await settings.put('volume', '11')
  emulator.faults.failNext('UpdateRecords', { errorType: 'InternalErrorException', count: 10 })
  if ((await settings.synchronize()) !== 'failed') throw new Error('expected the settings sync to fail')
  emulator.faults.reset()

  // bob, on the same device, never synced
  const prefs = await (await asBob()).dataset('prefs')
  await prefs.put('x', 'y')
  return b
}
