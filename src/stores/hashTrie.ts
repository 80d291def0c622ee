/**
 * The records of a dataset as a copy-on-write hash trie over named entries, for stores over storages
 * that have no transactions: a write never changes an entry the current root reaches; it writes new
 * entries for the path it changes and then switches the root. A write of one key writes the leaf of
 * that key and the branches above it (about log32 of the dataset's size), never the dataset.
 *
 * Entries are immutable: a name, once reachable from a committed root, always holds the same node, so
 * they can be cached by name.
 *
 * @since 0.3.0
 */
import type { LocalRecord } from '../LocalRecord.js'

/**
 * A node: a leaf of up to a few records (sorted by key), or a branch of 32 children by 5 bits of the
 * keys' hash (`null` for an empty child).
 *
 * @since 0.3.0
 */
export type TrieNode =
  | { readonly kind: 'leaf'; readonly records: ReadonlyArray<LocalRecord> }
  | { readonly kind: 'branch'; readonly children: ReadonlyArray<string | null> }

const BITS = 5
const WIDTH = 1 << BITS
/** 32 bits of hash, 5 per level: at this depth every key left shares its whole hash, so it is a leaf. */
const MAX_LEVEL = Math.ceil(32 / BITS)

/** FNV-1a over the key's UTF-16 code units: the same on every platform, lone surrogates included. */
const hash = (key: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

const slot = (key: string, level: number): number => (hash(key) >>> (BITS * level)) & (WIDTH - 1)

const byKey = (a: LocalRecord, b: LocalRecord): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)

/** Reads a node by name; rejects (as its caller decides) when there is none. */
export type LoadNode = (name: string) => Promise<TrieNode>

/**
 * The record of `key` under `top`, if any.
 *
 * @since 0.3.0
 */
export const lookup = async (load: LoadNode, top: string | null, key: string): Promise<LocalRecord | undefined> => {
  let name = top
  for (let level = 0; name !== null; level++) {
    const node = await load(name)
    if (node.kind === 'leaf') return node.records.find((record) => record.key === key)
    name = node.children[slot(key, level)] ?? null
  }
  return undefined
}

/**
 * Every record under `top`, and the names of every node read.
 *
 * @since 0.3.0
 */
export const allRecords = async (load: LoadNode, top: string | null): Promise<ReadonlyArray<LocalRecord>> => {
  if (top === null) return []
  const node = await load(top)
  if (node.kind === 'leaf') return node.records
  const children = await Promise.all(node.children.map((child) => allRecords(load, child)))
  return children.flat()
}

/**
 * A rewrite's outcome: the new top, the new nodes in the order to write them (children before their
 * parents), and the nodes the new top no longer reaches.
 *
 * @since 0.3.0
 */
export interface Rewrite {
  readonly top: string | null
  readonly written: ReadonlyArray<readonly [name: string, node: TrieNode]>
  readonly obsolete: ReadonlyArray<string>
}

/**
 * The trie under `top` with `changes` applied (a record sets its key, `undefined` removes it): only
 * the nodes on the changed keys' paths are read and rewritten. New nodes are named by `name(i)`, `i`
 * counting from 0; a leaf holds up to `capacity` records before it splits.
 *
 * @since 0.3.0
 */
export const rewrite = async (
  load: LoadNode,
  top: string | null,
  changes: ReadonlyArray<readonly [key: string, record: LocalRecord | undefined]>,
  capacity: number,
  name: (index: number) => string,
): Promise<Rewrite> => {
  const written: Array<readonly [string, TrieNode]> = []
  const obsolete: Array<string> = []
  const emit = (node: TrieNode): string => {
    const named = name(written.length)
    written.push([named, node])
    return named
  }
  const build = (records: ReadonlyArray<LocalRecord>, level: number): string | null => {
    if (records.length === 0) return null
    if (records.length <= capacity || level >= MAX_LEVEL) return emit({ kind: 'leaf', records: [...records].sort(byKey) })
    const groups: Array<Array<LocalRecord>> = Array.from({ length: WIDTH }, () => [])
    for (const record of records) groups[slot(record.key, level)]?.push(record)
    return emit({ kind: 'branch', children: groups.map((group) => build(group, level + 1)) })
  }
  const change = async (at: string | null, level: number, here: ReadonlyArray<readonly [string, LocalRecord | undefined]>): Promise<string | null> => {
    const node: TrieNode = at === null ? { kind: 'leaf', records: [] } : await load(at)
    if (at !== null) obsolete.push(at)
    if (node.kind === 'leaf') {
      const records = new Map(node.records.map((record) => [record.key, record]))
      for (const [key, record] of here) {
        if (record === undefined) records.delete(key)
        else records.set(key, record)
      }
      return build([...records.values()], level)
    }
    const groups = new Map<number, Array<readonly [string, LocalRecord | undefined]>>()
    for (const entry of here) {
      const at = slot(entry[0], level)
      const group = groups.get(at)
      if (group === undefined) groups.set(at, [entry])
      else group.push(entry)
    }
    const children = [...node.children]
    // one child after the other, so that a cut leaves the written nodes a prefix of the names
    for (const [at, group] of groups) children[at] = await change(children[at] ?? null, level + 1, group)
    return children.every((child) => child === null) ? null : emit({ kind: 'branch', children })
  }
  const changed = changes.length === 0 ? top : await change(top, 0, changes)
  return { top: changed, written, obsolete }
}
