/**
 * A small in-process model of the service's record semantics, written from the protocol notes and
 * independent of both the library's reconcile and the emulator (so that a bug in one cannot hide a bug
 * in the other): one dataset; UpdateRecords is all or nothing, checks every patch's SyncCount against
 * the record's (0 when absent), raises the dataset count by one, and the written records take the new
 * count; ListRecords returns the records above the caller's count.
 *
 * It answers the two calls a sync makes as the SDK would (`client`), with the faults the emulator
 * offers for them, so that the library's real sync adapter runs against it thousands of times faster
 * than over HTTP.
 *
 * @since 0.2.0
 */
import type { CognitoSyncClient } from '@aws-sdk/client-cognito-sync'
import type { Content, RecordKey, SyncCount } from '../codecs.js'
import type { RecordPatch } from '../RecordPatch.js'
import type { Listing, RemoteRecord } from '../RemoteRecord.js'

/** A version the model stored. @since 0.2.0 */
export interface StoredVersion {
  readonly key: string
  readonly content: Content
  readonly syncCount: number
  readonly lastModifiedDate: Date
  readonly deviceLastModifiedDate?: Date
  /** The UpdateRecords' `DeviceId`, when it came through `client`. */
  readonly deviceId?: string
}

/** What an UpdateRecords answers: the written records, or the first patch whose SyncCount is stale. @since 0.2.0 */
export type UpdateAnswer =
  | { readonly written: ReadonlyArray<RemoteRecord> }
  | { readonly conflict: { readonly key: string; readonly current: number; readonly sent: number } }

/** The calls of the service the model answers. @since 0.2.0 */
export type ModelOperation = 'ListRecords' | 'UpdateRecords'

/**
 * Faults programmed for the next calls, as the emulator's `faults` has them: `failNext` answers an
 * exception before anything changes; `dropAfterCommit` lets the next UpdateRecords commit, then loses
 * its answer (the client sees a network error).
 *
 * @since 0.2.0
 */
export interface ModelFaults {
  readonly failNext: (operation: ModelOperation, failure: { readonly errorType: string; readonly status: number; readonly count?: number }) => void
  readonly dropAfterCommit: () => void
  readonly reset: () => void
}

/** @since 0.2.0 */
export interface ServiceModel {
  readonly datasetSyncCount: () => number
  /** What ListRecords from `lastSyncCount` answers. */
  readonly list: (lastSyncCount: number) => Listing
  /** UpdateRecords, all or nothing. */
  readonly update: (patches: ReadonlyArray<RecordPatch>, deviceId?: string) => UpdateAnswer
  /** The live content of every key, in key order. */
  readonly contents: () => ReadonlyArray<readonly [string, string]>
  /** Every version ever stored, oldest first. */
  readonly history: () => ReadonlyArray<StoredVersion>
  readonly faults: ModelFaults
  /**
   * Answers `ListRecordsCommand` and `UpdateRecordsCommand` in process, as the SDK's client would
   * (outputs with `$metadata`, errors with the service's names, messages and statuses); for the sync
   * adapter's `client`. Identity pool, identity and dataset names are not checked: the model is one dataset.
   */
  readonly client: CognitoSyncClient
}

/** @since 0.2.0 */
export interface ServiceModelOptions {
  /** The server's LastModifiedDate of the first write, in epoch ms; it ticks 1 s a write. 2033-05-18 by default. */
  readonly clock?: number
}

const toRemote = (key: string, stored: StoredVersion): RemoteRecord => ({
  Key: key as RecordKey,
  SyncCount: stored.syncCount as SyncCount,
  ...(stored.content !== null && { Value: stored.content }),
  LastModifiedDate: stored.lastModifiedDate,
  ...(stored.deviceLastModifiedDate && { DeviceLastModifiedDate: stored.deviceLastModifiedDate }),
})

const serviceError = (name: string, status: number, message: string): Error =>
  Object.assign(new Error(message), { name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status, attempts: 1 } })

/** What a client sees when the connection closes before the answer: no status at all. */
const lostAnswer = (): Error => Object.assign(new Error('socket hang up'), { name: 'Error', code: 'ECONNRESET' })

interface CommandLike {
  readonly input: Readonly<Record<string, unknown>>
}

/**
 * A fresh, empty model of the service.
 *
 * @example
 * import { serviceModel } from 'cognito-reconcile/testkit'
 * const model = serviceModel()
 * const answer = model.update([{ Key: 'score', Op: 'replace', Value: '10', SyncCount: 0 }])
 * assert.ok('written' in answer)
 * assert.deepStrictEqual(model.contents(), [['score', '10']])
 * assert.deepStrictEqual(model.update([{ Key: 'score', Op: 'replace', Value: '11', SyncCount: 0 }]), { conflict: { key: 'score', current: 1, sent: 0 } })
 * assert.strictEqual(model.list(0).datasetSyncCount, 1)
 *
 * @since 0.2.0
 */
export const serviceModel = (options: ServiceModelOptions = {}): ServiceModel => {
  const records = new Map<string, StoredVersion>()
  const history: StoredVersion[] = []
  let count = 0
  let clock = options.clock ?? 2_000_000_000_000
  let sessions = 0
  const failures = new Map<ModelOperation, { error: () => Error; left: number }>()
  let drops = 0

  const list = (lastSyncCount: number): Listing => ({
    records: [...records].filter(([, stored]) => stored.syncCount > lastSyncCount).map(([key, stored]) => toRemote(key, stored)),
    datasetSyncCount: count as SyncCount,
  })

  const update = (patches: ReadonlyArray<RecordPatch>, deviceId?: string): UpdateAnswer => {
    for (const patch of patches) {
      const current = records.get(patch.Key)?.syncCount ?? 0
      if (patch.SyncCount !== current) return { conflict: { key: patch.Key, current, sent: patch.SyncCount } }
    }
    if (patches.length === 0) return { written: [] }
    count += 1
    clock += 1000
    const written = patches.map((patch) => {
      const stored: StoredVersion = {
        key: patch.Key,
        content: patch.Op === 'remove' ? null : (patch.Value ?? ('' as Content)),
        syncCount: count,
        lastModifiedDate: new Date(clock),
        ...(patch.DeviceLastModifiedDate && { deviceLastModifiedDate: patch.DeviceLastModifiedDate }),
        ...(deviceId !== undefined && { deviceId }),
      }
      records.set(patch.Key, stored)
      history.push(stored)
      return toRemote(patch.Key, stored)
    })
    return { written }
  }

  const takeFailure = (operation: ModelOperation): Error | undefined => {
    const failure = failures.get(operation)
    if (failure === undefined) return undefined
    if (--failure.left <= 0) failures.delete(operation)
    return failure.error()
  }

  const answer = (command: CommandLike): unknown => {
    const input = command.input
    const operation: ModelOperation = 'RecordPatches' in input ? 'UpdateRecords' : 'ListRecords'
    const failure = takeFailure(operation)
    if (failure !== undefined) throw failure
    const $metadata = { httpStatusCode: 200, attempts: 1 }
    if (operation === 'ListRecords') {
      const lastSyncCount = Number(input['LastSyncCount'] ?? 0)
      if (count > 0 && lastSyncCount > count) throw serviceError('InvalidParameterException', 400, `No such SyncCount: ${lastSyncCount} exists for this Dataset`)
      const listing = list(lastSyncCount)
      sessions += 1
      return { $metadata, Records: listing.records, Count: listing.records.length, DatasetSyncCount: count, DatasetExists: count > 0, SyncSessionToken: `session-${sessions}` }
    }
    const patches = (input['RecordPatches'] ?? []) as ReadonlyArray<RecordPatch>
    const result = update(patches, typeof input['DeviceId'] === 'string' ? input['DeviceId'] : undefined)
    if ('conflict' in result) {
      const { key, current, sent } = result.conflict
      throw serviceError('ResourceConflictException', 409, `Current SyncCount for: ${key} is: ${current} not: ${sent}`)
    }
    if (drops > 0) {
      drops -= 1
      throw lostAnswer()
    }
    return { $metadata, Records: result.written }
  }

  const client = {
    send: (command: CommandLike, sendOptions?: { readonly abortSignal?: AbortSignal }): Promise<unknown> =>
      sendOptions?.abortSignal?.aborted === true ? Promise.reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' })) : new Promise((resolve) => resolve(answer(command))),
  } as unknown as CognitoSyncClient

  return {
    datasetSyncCount: () => count,
    list,
    update,
    contents: () =>
      [...records]
        .flatMap(([key, stored]) => (stored.content === null ? [] : [[key, stored.content] as const]))
        .sort(([a], [b]) => (a < b ? -1 : 1)),
    history: () => history,
    faults: {
      failNext: (operation, { errorType, status, count: times = 1 }) => {
        failures.set(operation, { error: () => serviceError(errorType, status, `Injected ${errorType}`), left: times })
      },
      dropAfterCommit: () => {
        drops = 1
      },
      reset: () => {
        failures.clear()
        drops = 0
      },
    },
    client,
  }
}
