/**
 * What crosses between a test and the device page (test/browser/pages/device.ts): plain data only,
 * typed once for both sides.
 */

export interface DeviceConfig {
  readonly endpoint: string
  readonly identityPoolId: string
  readonly identityId: string
  readonly deviceId: string
  readonly datasetName: string
}

/** A conflict as the page reports it: both contents, the resolution's tag and who decided. */
export interface ConflictSummary {
  readonly key: string
  readonly local: string | null
  readonly remote: string | null
  readonly resolution: 'KeepLocal' | 'TakeRemote' | 'Write'
  readonly decidedBy: string
}

/** What a sync did, as the page reports it. */
export interface SyncSummary {
  readonly calls: { readonly ListRecords: number; readonly UpdateRecords: number }
  readonly adopted: ReadonlyArray<string>
  readonly pushed: ReadonlyArray<string>
  readonly confirmedAfterLoss: ReadonlyArray<string>
  readonly lastSyncCount: number
  readonly conflicts: ReadonlyArray<ConflictSummary>
}
