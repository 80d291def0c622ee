/**
 * The guard: the floor is a fair baseline only if it computes what the library computes. Before a case
 * is timed, both run on its input and their patches, next records, `lastSyncCount` and resolved
 * conflicts must be deeply equal; otherwise the case is refused, never timed.
 */
import { isDeepStrictEqual } from 'node:util'
import type { MergeOutput } from './floor.js'

export interface Mismatch {
  readonly what: 'patches' | 'next.records' | 'next.lastSyncCount' | 'conflicts'
  /** The first difference: an index or key, and both sides. */
  readonly detail: string
}

const show = (value: unknown): string => {
  const text = JSON.stringify(value, (_k, v: unknown) => (v instanceof Map ? Object.fromEntries(v) : v)) ?? String(value)
  return text.length > 300 ? `${text.slice(0, 300)}…` : text
}

const firstInArrays = (a: ReadonlyArray<unknown>, b: ReadonlyArray<unknown>): string => {
  for (let i = 0; i < Math.max(a.length, b.length); i++)
    if (!isDeepStrictEqual(a[i], b[i])) return `at index ${i} (lengths ${a.length} vs ${b.length}): library ${show(a[i])}, floor ${show(b[i])}`
  return 'equal'
}

/** The first key whose records differ; maps of any class compare by their entries. */
const firstInMaps = (a: ReadonlyMap<string, unknown>, b: ReadonlyMap<string, unknown>): string | undefined => {
  const differs = (key: string): boolean => !isDeepStrictEqual(a.get(key), b.get(key))
  const key = [...a.keys()].find(differs) ?? [...b.keys()].find(differs)
  return key === undefined ? undefined : `at key ${key} (sizes ${a.size} vs ${b.size}): library ${show(a.get(key))}, floor ${show(b.get(key))}`
}

/** The first way the floor's output differs from the library's, or `undefined` when they are equal. */
export const floorMismatch = (library: MergeOutput, floor: MergeOutput): Mismatch | undefined => {
  if (!isDeepStrictEqual(library.patches, floor.patches)) return { what: 'patches', detail: firstInArrays(library.patches, floor.patches) }
  if (library.next.lastSyncCount !== floor.next.lastSyncCount)
    return { what: 'next.lastSyncCount', detail: `library ${library.next.lastSyncCount}, floor ${floor.next.lastSyncCount}` }
  const records = firstInMaps(library.next.records, floor.next.records)
  if (records !== undefined) return { what: 'next.records', detail: records }
  if (!isDeepStrictEqual(library.conflicts, floor.conflicts)) return { what: 'conflicts', detail: firstInArrays(library.conflicts, floor.conflicts) }
  return undefined
}
