/**
 * A conflict: a key with a local edit the server has not seen and a newer server version with other
 * content. Strategies read conflicts and answer resolutions.
 *
 * @since 0.1.0
 */
import type { Content, RecordKey } from './codecs.js'

/**
 * One side of a conflict. Both sides have the same shape, so a strategy can be checked for symmetry by
 * swapping them. A local edit has no `lastModifiedDate`: the server has not stored it yet.
 *
 * @since 0.1.0
 */
export interface Version {
  readonly content: Content
  readonly deviceLastModifiedDate?: Date
  readonly lastModifiedDate?: Date
  readonly lastModifiedBy?: string
}

/**
 * A key edited both here and elsewhere. `base` is the server version the local edit started from, for
 * strategies that merge three ways: a tombstone (`content: null`) when the key was new here, and
 * absent when this device cannot be sure of it (a version it sent without seeing the answer may have
 * landed since), so that a three-way merge falls back rather than merge against a wrong base.
 *
 * @since 0.1.0
 */
export interface Conflict {
  readonly key: RecordKey
  readonly local: Version
  readonly remote: Version
  readonly base?: Version
}

/**
 * How a conflict ends: keep the local edit (push it over the remote), take the remote version (drop
 * the local edit), or write new content, `null` being a delete.
 *
 * @since 0.1.0
 */
export type Resolution =
  | { readonly _tag: 'KeepLocal' }
  | { readonly _tag: 'TakeRemote' }
  | { readonly _tag: 'Write'; readonly content: Content }

/**
 * A resolution and the name of the strategy that chose it (the innermost one, when strategies are
 * combined).
 *
 * @since 0.1.0
 */
export interface Decision {
  readonly resolution: Resolution
  readonly decidedBy: string
}

// constructors

/** @since 0.1.0 */
export const keepLocal: Resolution = { _tag: 'KeepLocal' }

/** @since 0.1.0 */
export const takeRemote: Resolution = { _tag: 'TakeRemote' }

/**
 * Resolves the conflict with `content` (a new value, or `null` to delete): the `Write` resolution. Named
 * apart from `put`, the app's local write.
 *
 * @example
 * import { resolveWith, resolvedContent } from 'cognito-reconcile'
 * assert.strictEqual(resolvedContent({ key: 'k', local: { content: 'a' }, remote: { content: 'b' } }, resolveWith(null)), null)
 *
 * @since 0.2.0
 */
export const resolveWith = (content: Content): Resolution => ({ _tag: 'Write', content })

/**
 * The resolution that leaves `content`: `keepLocal` when it is the local content, else `takeRemote`
 * when it is the remote one, else `resolveWith(content)`. For merges, so that a merge equal to a side
 * pushes nothing new.
 *
 * @example
 * import { conflictOf, resolutionFor, keepLocal, takeRemote, resolveWith } from 'cognito-reconcile'
 * const conflict = conflictOf('k', '["a"]', '["b"]')
 * assert.deepStrictEqual([resolutionFor(conflict, '["a"]'), resolutionFor(conflict, '["b"]'), resolutionFor(conflict, '["a","b"]')], [keepLocal, takeRemote, resolveWith('["a","b"]')])
 *
 * @since 0.2.0
 */
export const resolutionFor = ({ local, remote }: Pick<Conflict, 'local' | 'remote'>, content: Content): Resolution =>
  content === local.content ? keepLocal : content === remote.content ? takeRemote : resolveWith(content)

/**
 * A side of a conflict as a literal: its content alone, or a whole `Version`.
 *
 * @since 0.2.0
 */
export type VersionLike = Content | Version

const versionOf = (side: VersionLike): Version => (side === null || typeof side === 'string' ? { content: side } : side)

/**
 * A conflict from plain literals, for unit tests of a strategy: each side is a content (`null` for a
 * delete) or a whole `Version` when the dates matter. What `reconcile` hands a strategy has the same
 * shape, with the dates the service and the devices stamped.
 *
 * @example
 * import { conflictOf } from 'cognito-reconcile'
 * import { lastWriterWins, maxValue } from 'cognito-reconcile/strategies'
 * const decided = maxValue().decide(conflictOf('coins', '120', '95'))
 * assert.ok(decided._tag === 'Some' && decided.value.resolution._tag === 'KeepLocal')
 * const dated = conflictOf('theme', { content: 'dark', deviceLastModifiedDate: new Date(2) }, { content: 'light', lastModifiedDate: new Date(1) }, 'auto')
 * assert.deepStrictEqual(dated.base, { content: 'auto' })
 * const later = lastWriterWins.decide(dated)
 * assert.ok(later._tag === 'Some' && later.value.resolution._tag === 'KeepLocal')
 *
 * @since 0.2.0
 */
export const conflictOf = (key: string, local: VersionLike, remote: VersionLike, base?: VersionLike): Conflict =>
  base === undefined ? { key, local: versionOf(local), remote: versionOf(remote) } : { key, local: versionOf(local), remote: versionOf(remote), base: versionOf(base) }

// destructors

/**
 * The content a resolution leaves the record with.
 *
 * @example
 * import { resolvedContent, keepLocal, takeRemote, resolveWith } from 'cognito-reconcile'
 * const conflict = { key: 'k', local: { content: 'mine' }, remote: { content: null } }
 * assert.strictEqual(resolvedContent(conflict, keepLocal), 'mine')
 * assert.strictEqual(resolvedContent(conflict, takeRemote), null)
 * assert.strictEqual(resolvedContent(conflict, resolveWith('both')), 'both')
 *
 * @since 0.1.0
 */
export const resolvedContent = (conflict: Conflict, resolution: Resolution): Content => {
  switch (resolution._tag) {
    case 'KeepLocal':
      return conflict.local.content
    case 'TakeRemote':
      return conflict.remote.content
    case 'Write':
      return resolution.content
  }
}
