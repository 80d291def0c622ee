// Small builders for example tests: records written the way one reads them.
import * as E from 'fp-ts/lib/Either.js'
import type { LocalRecord, LocalState, Reconciliation, RemoteRecord, Strategy } from 'cognito-reconcile'
import { reconcileTask, stateOf } from 'cognito-reconcile'
import { lastWriterWins } from 'cognito-reconcile/strategies'

export const at = (seconds: number): Date => new Date(1_700_000_000_000 + seconds * 1000)

/** A server record: `null` content is a tombstone (no `Value`). */
export const remote = (key: string, content: string | null, syncCount: number, seconds = 0): RemoteRecord => ({
  Key: key,
  SyncCount: syncCount,
  ...(content !== null && { Value: content }),
  LastModifiedDate: at(seconds),
  DeviceLastModifiedDate: at(seconds),
})

/** A clean local record at `syncCount`. */
export const clean = (key: string, content: string | null, syncCount: number, seconds = 0): LocalRecord => ({
  key: key,
  server: { content: content, syncCount: syncCount, lastModifiedDate: at(seconds), deviceLastModifiedDate: at(seconds) },
})

/** A local edit on top of `base` (or of nothing, for a key never synced). */
export const dirty = (key: string, content: string | null, seconds: number, base?: LocalRecord): LocalRecord => ({
  key: key,
  ...(base?.server && { server: base.server }),
  pending: { content: content, deviceLastModifiedDate: at(seconds) },
})

export const state = (lastSyncCount: number, ...records: LocalRecord[]): LocalState => stateOf(records, lastSyncCount)

/** The right of an Either, failing the test on a left. */
export const unwrap = <A>(result: E.Either<{ message: string }, A>): A => {
  if (E.isLeft(result)) throw new Error(result.left.message)
  return result.right
}

/** Reconciles and unwraps, failing the test on a Left. */
export const run = async (
  local: LocalState,
  records: ReadonlyArray<RemoteRecord>,
  datasetSyncCount: number,
  strategy: Strategy = lastWriterWins,
  now = at(100),
): Promise<Reconciliation> => {
  return unwrap(await reconcileTask(strategy)({ local, listing: { records, datasetSyncCount: datasetSyncCount }, now })())
}
