/**
 * `cognito-reconcile/emulator`: a local Cognito Sync service for tests, demos and development. It
 * depends on nothing of the library; see docs/emulator.md.
 *
 * @since 0.1.0
 */
export { startEmulator, type EmulatorHandle, type EmulatorOptions, type IdentityPoolConfig } from './server.js'
export type { FailureSpec, FaultControls, ThrottleSpec } from './faults.js'
export type { FaultPlan } from './faultPlan.js'
export type { CallLogEntry, FaultKind } from './callLog.js'
export type { Credential } from './sigv4.js'
export type { IdentityLink } from './identityLink.js'
export type { Limits } from './limits.js'
export { defaultLimits } from './limits.js'
export type { OperationName } from './routes.js'
export type {
  Login,
  Snapshot,
  SnapshotDataset,
  SnapshotIdentity,
  SnapshotIdentityPool,
  SnapshotPool,
  SnapshotRecord,
} from './state.js'
