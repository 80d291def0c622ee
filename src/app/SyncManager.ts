/**
 * One configured object for an app that does not use fp-ts, as an AWS SDK v3 client or an Amplify
 * DataStore is one: it binds what belongs together (the client, the store, the identity, the device,
 * the strategy, the clock), checks it once, opens datasets and syncs them. Every method returns a
 * Promise of plain values and rejects with a `SyncFailedError` whose `name` is the error kind.
 *
 * A store holds one device's copy of one identity's datasets, so a store is bound to the first
 * identity and device id a manager is created with: a second manager over the same store with another
 * one is refused, rather than syncing one store under two device ids.
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { ClientContext, DeviceId, IdentityId } from '../codecs.js'
import { type DecodeError, decodeWith, renderIssues } from '../DecodeError.js'
import { invalidInput } from '../sync/errors.js'
import type { LocalStore } from '../stores/index.js'
import type { SyncOptions } from '../sync/index.js'
import { fail, runLocal } from './errors.js'
import { type SyncedDataset, syncedDataset } from './SyncedDataset.js'

/**
 * What a manager binds, given once: everything a sync takes but the dataset name. `client` is
 * configured by the app (region, credentials, endpoint) and never destroyed by the manager; `store` is
 * `memoryStore()`, `sqliteStore({ path })` or your own; `identityPoolId` and `identityId` are
 * `region:guid` ids (an identity pool, not a user pool `region_AbC123`); `deviceId` (1–256 characters,
 * stable across launches) is sent with every UpdateRecords; `strategy` decides conflicts; `clock`
 * stamps writes (`new Date()` by default); `policies` and `timeoutMs` (a deadline for each sync and
 * each delete) may be overridden per call, which also takes the `signal` that stops it.
 *
 * @since 0.2.0
 */
export type SyncManagerConfig = Omit<SyncOptions, 'datasetName' | 'signal'>

/**
 * The configured object. Its ids are the validated ones.
 *
 * @since 0.2.0
 */
export interface SyncManager {
  readonly identityPoolId: string
  readonly identityId: string
  readonly deviceId: string
  /**
   * The dataset `name` (1–128 characters of `[a-zA-Z0-9_.:-]`), created locally on its first write and
   * on the service at its first sync that pushes. Throws a `SyncFailedError` named `InvalidInput` for
   * a name the service would refuse.
   */
  readonly dataset: (name: string) => SyncedDataset
  /** The datasets this device holds any record of, in name order. */
  readonly datasets: () => Promise<Array<string>>
}

interface Binding {
  readonly identityPoolId: string
  readonly identityId: string
  readonly deviceId: string
}

const bindings = new WeakMap<LocalStore, Binding>()

// validation

/** A configuration the manager refuses, worded as the codecs word theirs: the rule, what was there, what to do. */
const configError = (what: string, issues: DecodeError['issues'], fix: string): DecodeError => ({
  _tag: 'DecodeError',
  what,
  issues,
  message: `Invalid ${what}: ${renderIssues(issues)}. ${fix}`,
})

const hasFunctions = (u: unknown, names: ReadonlyArray<string>): boolean =>
  typeof u === 'object' && u !== null && names.every((name) => typeof (u as Record<string, unknown>)[name] === 'function')

/** The shapes TypeScript checks, checked again for JavaScript callers. */
const shapes: ReadonlyArray<readonly [what: 'client' | 'store' | 'strategy', expected: string, functions: ReadonlyArray<string>, fix: string]> = [
  ['client', 'CognitoSyncClient', ['send'], 'Pass the client of @aws-sdk/client-cognito-sync: new CognitoSyncClient({ region }).'],
  ['store', 'LocalStore', ['read', 'modify', 'readRecords', 'modifyRecords', 'datasets'], "Pass memoryStore() from 'cognito-reconcile/stores', sqliteStore({ path }) from 'cognito-reconcile/sqlite', or your own LocalStore."],
  ['strategy', 'Strategy', ['decide'], "Pass a strategy from 'cognito-reconcile/strategies': lastWriterWins, or one built with byKey, custom, ..."],
]

const checkShapes = (config: SyncManagerConfig): E.Either<DecodeError, SyncManagerConfig> => {
  const wrong = shapes.find(([what, , functions]) => !hasFunctions(config[what], functions))
  if (wrong === undefined) return E.right(config)
  const [what, expected, functions, fix] = wrong
  const got: unknown = config[what]
  const rule = `be a ${expected}, an object with ${functions.map((name) => `${name}()`).join(', ')}`
  return E.left(configError(what, [{ path: '', expected, rule, got: got === null ? 'null' : typeof got }], fix))
}

const checkBinding = (store: LocalStore, wanted: Binding): E.Either<DecodeError, Binding> => {
  const bound = bindings.get(store) ?? wanted
  const differs = (['identityPoolId', 'identityId', 'deviceId'] as const).filter((field) => bound[field] !== wanted[field])
  if (differs.length === 0) return E.right(bound)
  const issues = differs.map((field) => ({
    path: field,
    expected: JSON.stringify(bound[field]),
    rule: `be ${JSON.stringify(bound[field])}: this store already holds the datasets of that ${field}`,
    got: JSON.stringify(wanted[field]),
  }))
  return E.left(configError('store', issues, 'A store holds one device\'s copy of one identity\'s datasets: give each identity and device its own store.'))
}

const validate = (config: SyncManagerConfig): E.Either<DecodeError, Binding> =>
  pipe(
    checkShapes(config),
    E.chain(() =>
      pipe(
        E.Do,
        E.apS('identityPoolId', decodeWith(IdentityId, 'identity pool id')(config.identityPoolId)),
        E.apS('identityId', decodeWith(IdentityId, 'identity id')(config.identityId)),
        E.apS('deviceId', decodeWith(DeviceId, 'device id')(config.deviceId)),
        E.chainFirst(() => (config.clientContext === undefined ? E.right(undefined) : decodeWith(ClientContext, 'client context')(config.clientContext))),
      ),
    ),
    E.chain((ids) => checkBinding(config.store, ids)),
  )

// the constructor

/**
 * Checks `config` once and binds it. Throws a `SyncFailedError` named `InvalidInput` whose `error.what`
 * says which option is wrong (`identity pool id`, `device id`, `store`, ...) and whose message says
 * what was expected.
 *
 * @example
 * import { CognitoSyncClient } from '@aws-sdk/client-cognito-sync'
 * import { createSyncManager, isSyncFailure } from 'cognito-reconcile/app'
 * import { memoryStore } from 'cognito-reconcile/stores'
 * import { lastWriterWins } from 'cognito-reconcile/strategies'
 *
 * const client = new CognitoSyncClient({ region: 'us-east-1' })
 * const store = memoryStore()
 * const sync = createSyncManager({
 *   client,
 *   store,
 *   identityPoolId: 'us-east-1:11111111-1111-1111-1111-111111111111',
 *   identityId: 'us-east-1:aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa',
 *   deviceId: 'phone',
 *   strategy: lastWriterWins,
 * })
 * const game = sync.dataset('game')
 * await game.put('coins', '100')
 * assert.strictEqual(await game.get('coins'), '100')
 * assert.deepStrictEqual(await sync.datasets(), ['game'])
 *
 * // The same store under another device id is a mistake, refused at once.
 * try {
 *   createSyncManager({ client, store, identityPoolId: sync.identityPoolId, identityId: sync.identityId, deviceId: 'tablet', strategy: lastWriterWins })
 *   assert.fail('expected a throw')
 * } catch (e) {
 *   assert.ok(isSyncFailure(e, 'InvalidInput') && e.error.what === 'store')
 * }
 * client.destroy()
 *
 * @since 0.2.0
 */
export const createSyncManager = (config: SyncManagerConfig): SyncManager => {
  const checked = validate(config)
  if (E.isLeft(checked)) return fail(invalidInput(checked.left))
  const binding = checked.right
  bindings.set(config.store, binding)
  const clock = config.clock ?? (() => new Date())
  return {
    ...binding,
    dataset: (name) => syncedDataset({ ...config, ...binding, clock }, name),
    datasets: () => runLocal(config.store.datasets()).then((names) => [...names]),
  }
}
