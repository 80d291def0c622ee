/**
 * Identity links, as Cognito Identity performs them when an unauthenticated identity logs in to an
 * existing one: every dataset `name` of the old identity moves to the new identity as the merged
 * dataset `name.<oldIdentityId>`, which ListRecords of `name` then reports in `MergedDatasetNames`
 * until it is deleted. The old identity keeps deletion markers, as if its datasets were deleted.
 * The 20-dataset limit is not applied to merged datasets (emulator decision).
 *
 * @since 0.1.0
 */
import { findIdentity, ensureIdentity, type State } from './state.js'
import { datasetName, identityId } from './validate.js'

/** @since 0.1.0 */
export interface IdentityLink {
  readonly identityPoolId: string
  /** The identity whose datasets are merged, e.g. the unauthenticated one. */
  readonly fromIdentityId: string
  /** The identity that receives them. */
  readonly toIdentityId: string
}

/**
 * Performs the link and returns the names of the merged datasets it created. Throws (and changes
 * nothing) when an id is malformed, a merged name would be invalid, or it already exists.
 *
 * @since 0.1.0
 */
export const linkIdentity = (state: State, link: IdentityLink, now: number): readonly string[] => {
  identityId('IdentityPoolId', link.identityPoolId)
  identityId('IdentityId', link.fromIdentityId)
  identityId('IdentityId', link.toIdentityId)
  if (link.fromIdentityId === link.toIdentityId) throw new Error('An identity cannot be linked to itself')
  const from = findIdentity(state, link.identityPoolId, link.fromIdentityId)
  const moving = [...(from?.datasets.values() ?? [])]
  const target = findIdentity(state, link.identityPoolId, link.toIdentityId)
  const merged = moving.map((d) => {
    const name = datasetName(`${d.name}.${link.fromIdentityId}`)
    if (target?.datasets.has(name) === true) throw new Error(`Dataset ${name} already exists`)
    return { ...d, name, mergedInto: d.name }
  })
  if (from === undefined || merged.length === 0) return []
  const to = ensureIdentity(state, link.identityPoolId, link.toIdentityId, now)
  for (const d of merged) to.datasets.set(d.name, d)
  for (const d of moving) from.deleted.set(d.name, d.syncCount)
  from.datasets.clear()
  from.lastModifiedDate = now
  to.lastModifiedDate = now
  return merged.map((d) => d.name)
}
