/**
 * Where a simulated fleet syncs: the in-process model of the service (fast, for thousands of
 * histories) or the emulator through the real `@aws-sdk/client-cognito-sync` over HTTP on 127.0.0.1
 * (slower, for fewer and deeper ones). Both program the same faults with the same meaning, so one
 * history runs the same on either.
 *
 * @since 0.2.0
 */
import type { CognitoSyncClient } from '@aws-sdk/client-cognito-sync'
import { type ModelOperation, serviceModel } from './serviceModel.js'

/** A failure answered before anything changes. @since 0.2.0 */
export interface InjectedFailure {
  readonly errorType: string
  readonly status: number
  readonly count?: number
}

/** One running service, for one history. @since 0.2.0 */
export interface Service {
  /** A new client, for one device. */
  readonly client: () => CognitoSyncClient
  /** The next `count` calls of `operation`, by any client, fail. */
  readonly failNext: (operation: ModelOperation, failure: InjectedFailure) => void
  /** The next UpdateRecords, by any client, commits and loses its answer. */
  readonly dropAfterCommit: () => void
  /** Removes every fault not yet used. */
  readonly reset: () => void
  readonly close: () => Promise<void>
}

/** @since 0.2.0 */
export interface Backend {
  readonly name: string
  readonly start: () => Promise<Service>
}

/**
 * The in-process model of the service (`serviceModel`).
 *
 * @example
 * import { modelBackend } from 'cognito-reconcile/testkit'
 * const service = await modelBackend.start()
 * assert.strictEqual(typeof service.client().send, 'function')
 * await service.close()
 *
 * @since 0.2.0
 */
export const modelBackend: Backend = {
  name: 'model',
  start: () => {
    const model = serviceModel()
    return Promise.resolve({
      client: () => model.client,
      failNext: model.faults.failNext,
      dropAfterCommit: model.faults.dropAfterCommit,
      reset: model.faults.reset,
      close: () => Promise.resolve(),
    })
  },
}

/**
 * The emulator on a free port of 127.0.0.1, a fresh one per history, each device with its own
 * `CognitoSyncClient` (static credentials, one attempt per call: the sync adapter does the retrying).
 *
 * @example
 * import { emulatorBackend } from 'cognito-reconcile/testkit'
 * const service = await emulatorBackend().start()
 * const client = service.client()
 * assert.strictEqual(typeof client.send, 'function')
 * await service.close()
 *
 * @since 0.2.0
 */
export const emulatorBackend = (): Backend => ({
  name: 'emulator',
  start: async () => {
    // loaded here, not at the top: the emulator is Node's, and the testkit's store laws run in browsers too
    const [{ CognitoSyncClient }, { startEmulator }] = await Promise.all([import('@aws-sdk/client-cognito-sync'), import('../emulator/index.js')])
    const emulator = await startEmulator()
    const clients: CognitoSyncClient[] = []
    return {
      client: () => {
        const client = new CognitoSyncClient({ region: 'us-east-1', endpoint: emulator.endpoint, credentials: { accessKeyId: 'simulator', secretAccessKey: 'simulator' }, maxAttempts: 1 })
        clients.push(client)
        return client
      },
      failNext: (operation, failure) => emulator.faults.failNext(operation, failure),
      dropAfterCommit: () => emulator.faults.dropAfterCommit(),
      reset: () => emulator.faults.reset(),
      close: async () => {
        for (const client of clients.splice(0)) client.destroy()
        await emulator.close()
      },
    }
  },
})
