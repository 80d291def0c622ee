// A small reference model of the service's record semantics, written from the protocol notes and
// independent of both the library and the emulator: UpdateRecords is all or nothing, raises the
// dataset count by one, and the written records take the new count.
import type { Content, Listing, RecordPatch, RemoteRecord, SyncCount } from 'cognito-reconcile'

interface Stored {
  readonly content: Content
  readonly syncCount: number
  readonly lastModifiedDate: Date
  readonly deviceLastModifiedDate?: Date
}

export class ReferenceServer {
  private readonly records = new Map<string, Stored>()
  /** Every version ever written, oldest first. */
  readonly history: Array<{ readonly key: string; readonly content: Content; readonly deviceLastModifiedDate?: Date }> = []
  private count = 0
  private clock: number

  /** `clock` is the server's LastModifiedDate for the first write, in epoch ms; it ticks 1 s a write. */
  constructor(clock = 2_000_000_000_000) {
    this.clock = clock
  }

  get datasetSyncCount(): number {
    return this.count
  }

  /** The live content of every key, in key order. */
  contents(): ReadonlyArray<readonly [string, string]> {
    return [...this.records]
      .filter((entry): entry is [string, Stored & { content: string }] => entry[1].content !== null)
      .map(([key, stored]) => [key, stored.content] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1))
  }

  list(lastSyncCount: number): Listing {
    const records = [...this.records].filter(([, stored]) => stored.syncCount > lastSyncCount).map(([key, stored]) => toRemote(key, stored))
    return { records, datasetSyncCount: this.count as SyncCount }
  }

  /** The written records, or the first stale key. */
  update(patches: ReadonlyArray<RecordPatch>): { written: ReadonlyArray<RemoteRecord> } | { conflict: string } {
    const stale = patches.find((patch) => patch.SyncCount !== (this.records.get(patch.Key)?.syncCount ?? 0))
    if (stale) return { conflict: stale.Key }
    this.count += 1
    this.clock += 1000
    const written = patches.map((patch) => {
      const stored: Stored = {
        content: patch.Op === 'remove' ? null : (patch.Value ?? ('' as Content)),
        syncCount: this.count,
        lastModifiedDate: new Date(this.clock),
        ...(patch.DeviceLastModifiedDate && { deviceLastModifiedDate: patch.DeviceLastModifiedDate }),
      }
      this.records.set(patch.Key, stored)
      this.history.push({ key: patch.Key, content: stored.content, ...(stored.deviceLastModifiedDate && { deviceLastModifiedDate: stored.deviceLastModifiedDate }) })
      return toRemote(patch.Key, stored)
    })
    return { written }
  }
}

const toRemote = (key: string, stored: Stored): RemoteRecord =>
  ({
    Key: key,
    SyncCount: stored.syncCount,
    ...(stored.content !== null && { Value: stored.content }),
    LastModifiedDate: stored.lastModifiedDate,
    ...(stored.deviceLastModifiedDate && { DeviceLastModifiedDate: stored.deviceLastModifiedDate }),
  }) as RemoteRecord
