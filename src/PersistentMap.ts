/**
 * An immutable map from strings, for the records of a `LocalState`: a compressed hash-array mapped
 * prefix trie (CHAMP). Changing one key copies one path of at most seven small nodes, never the whole
 * map, so a write is O(log₃₂ n) and `put` × n is O(n log n) instead of O(n²); a batch copies each node
 * it touches once.
 *
 * It is a `ReadonlyMap<string, V>` to its readers. Its shape is canonical: two maps with the same
 * entries have the same nodes in the same order, whatever order the entries were set in, so iteration
 * order is a function of the keys, and structural equality (`assert.deepStrictEqual`, vitest's
 * `toEqual`) is map equality.
 *
 * Laws, for any map `m`, keys `k ≠ j` and values `v`:
 * - `set(k, v)(m).get(k) === v` and `set(k, v)(m).get(j) === m.get(j)`;
 * - `remove(k)(m).has(k) === false` and `remove(k)(m).get(j) === m.get(j)`;
 * - `m` itself never changes.
 *
 * @since 0.2.0
 */

const BITS = 5
const MASK = (1 << BITS) - 1
/** Past this shift the 32 hash bits are spent: keys left together collide and share one node. */
const MAX_SHIFT = 30

/**
 * A trie node. `content` holds the entries stored here as key, value pairs in bit order, then the child
 * nodes in bit order. `owner` marks a node a batch created and may still change in place; it is null
 * once the batch is over.
 */
interface Branch {
  dataMap: number
  nodeMap: number
  content: Array<unknown>
  owner: object | null
}

/** Keys whose hashes are equal: pairs sorted by key, so the shape stays canonical. */
interface Collision {
  readonly hash: number
  content: Array<unknown>
  owner: object | null
}

type Node = Branch | Collision

const isCollision = (node: Node): node is Collision => 'hash' in node

/**
 * A 32-bit FNV-1a hash of the UTF-16 code units, finished with a mixing step so that keys differing in
 * their last characters spread over the first levels of the trie.
 *
 * @internal
 */
export const hashKey = (key: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193)
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  return h >>> 0
}

const bitAt = (hash: number, shift: number): number => 1 << ((hash >>> shift) & MASK)

const popcount = (n: number): number => {
  n = n - ((n >>> 1) & 0x55555555)
  n = (n & 0x33333333) + ((n >>> 2) & 0x33333333)
  return (((n + (n >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24
}

const indexOf = (map: number, bit: number): number => popcount(map & (bit - 1))

// reading

/**
 * Where the last lookup found its key in a node a batch is changing: the node, and the key's index in
 * its content. A draft writes a key it just read there (see `batch`). Nodes of finished maps are never
 * held here, so a map is not kept alive by a read of it.
 */
let foundNode: Node | undefined
let foundAt = 0

/** The value under `key`, `undefined` if none: a map never holds `undefined`, so that is "absent". */
const lookup = (root: Node, key: string, hash: number): unknown => {
  let node = root as Branch
  for (let shift = 0; shift <= MAX_SHIFT; shift += BITS) {
    const bit = bitAt(hash, shift)
    const content = node.content
    if (node.dataMap & bit) {
      const i = 2 * indexOf(node.dataMap, bit)
      if (content[i] !== key) return undefined
      if (node.owner !== null) {
        foundNode = node
        foundAt = i
      }
      return content[i + 1]
    }
    if (!(node.nodeMap & bit)) return undefined
    node = content[content.length - 1 - indexOf(node.nodeMap, bit)] as Branch
  }
  // past the hash's bits: the node is a collision (see pairNode)
  const content = node.content
  for (let i = 0; i < content.length; i += 2) if (content[i] === key) return content[i + 1]
  return undefined
}

/** Every entry, depth first with one explicit stack (nested generators would cost a step per level). */
function* walk<T>(root: Node, pick: (key: string, value: unknown) => T): Generator<T, undefined> {
  const stack: Array<Node> = [root]
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    const { content } = node
    const data = isCollision(node) ? content.length : 2 * popcount(node.dataMap)
    for (let i = 0; i < data; i += 2) yield pick(content[i] as string, content[i + 1])
    for (let i = data; i < content.length; i++) stack.push(content[i] as Node)
  }
  return undefined
}

/** Every entry, in the order of `walk`, without a generator: the fast way through a whole map. */
const visit = <V>(node: Node, f: (value: V, key: string) => void): void => {
  const { content } = node
  const data = isCollision(node) ? content.length : 2 * popcount(node.dataMap)
  for (let i = 0; i < data; i += 2) f(content[i + 1] as V, content[i] as string)
  for (let i = content.length - 1; i >= data; i--) visit(content[i] as Node, f)
}

// writing: path copying, in place for nodes the current batch owns

interface Edit {
  readonly owner: object
  /** Nodes this batch created, released when it ends. */
  readonly created: Array<Node>
  sizeChange: number
}

const editable = <N extends Node>(node: N, edit: Edit): N => {
  if (node.owner === edit.owner) return node
  // written out rather than spread: every branch keeps one shape, so reading one stays monomorphic
  const copy: Node = isCollision(node)
    ? { hash: node.hash, content: node.content.slice(), owner: edit.owner }
    : { dataMap: (node as Branch).dataMap, nodeMap: (node as Branch).nodeMap, content: node.content.slice(), owner: edit.owner }
  edit.created.push(copy)
  return copy as N
}

/** A node holding two entries whose hashes agree up to `shift`. */
const pairNode = (edit: Edit, shift: number, k1: string, h1: number, v1: unknown, k2: string, h2: number, v2: unknown): Node => {
  let node: Node
  if (shift > MAX_SHIFT) {
    node = { hash: h1, content: k1 < k2 ? [k1, v1, k2, v2] : [k2, v2, k1, v1], owner: edit.owner }
  } else {
    const b1 = bitAt(h1, shift)
    const b2 = bitAt(h2, shift)
    if (b1 === b2) node = { dataMap: 0, nodeMap: b1, content: [pairNode(edit, shift + BITS, k1, h1, v1, k2, h2, v2)], owner: edit.owner }
    else node = { dataMap: b1 | b2, nodeMap: 0, content: ((h1 >>> shift) & MASK) < ((h2 >>> shift) & MASK) ? [k1, v1, k2, v2] : [k2, v2, k1, v1], owner: edit.owner }
  }
  edit.created.push(node)
  return node
}

const setIn = (node: Node, shift: number, key: string, hash: number, value: unknown, edit: Edit): Node => {
  if (isCollision(node)) {
    const content = node.content
    let i = 0
    while (i < content.length && (content[i] as string) < key) i += 2
    if (content[i] === key) {
      if (content[i + 1] === value) return node
      const next = editable(node, edit)
      next.content[i + 1] = value
      return next
    }
    const next = editable(node, edit)
    next.content.splice(i, 0, key, value)
    edit.sizeChange += 1
    return next
  }
  const bit = bitAt(hash, shift)
  if (node.dataMap & bit) {
    const i = 2 * indexOf(node.dataMap, bit)
    const here = node.content[i] as string
    if (here === key) {
      if (node.content[i + 1] === value) return node
      const next = editable(node, edit)
      next.content[i + 1] = value
      return next
    }
    // two keys meet at this slot: both move down into a new node
    const child = pairNode(edit, shift + BITS, here, hashKey(here), node.content[i + 1], key, hash, value)
    const next = editable(node, edit)
    next.content.splice(i, 2)
    next.dataMap ^= bit
    next.nodeMap |= bit
    next.content.splice(next.content.length - indexOf(next.nodeMap, bit), 0, child)
    edit.sizeChange += 1
    return next
  }
  if (node.nodeMap & bit) {
    const at = node.content.length - 1 - indexOf(node.nodeMap, bit)
    const child = node.content[at] as Node
    const changed = setIn(child, shift + BITS, key, hash, value, edit)
    if (changed === child) return node
    const next = editable(node, edit)
    next.content[at] = changed
    return next
  }
  const next = editable(node, edit)
  next.content.splice(2 * indexOf(node.dataMap, bit), 0, key, value)
  next.dataMap |= bit
  edit.sizeChange += 1
  return next
}

/** The single entry of a node that holds nothing else, to pull up into its parent. */
const loneEntry = (node: Node): [string, unknown] | undefined =>
  (isCollision(node) || node.nodeMap === 0) && node.content.length === 2 ? [node.content[0] as string, node.content[1]] : undefined

const removeIn = (node: Node, shift: number, key: string, hash: number, edit: Edit): Node => {
  if (isCollision(node)) {
    // keys only: a value may be a string equal to the key
    let i = 0
    while (i < node.content.length && node.content[i] !== key) i += 2
    if (i === node.content.length) return node
    const next = editable(node, edit)
    next.content.splice(i, 2)
    edit.sizeChange -= 1
    return next
  }
  const bit = bitAt(hash, shift)
  if (node.dataMap & bit) {
    const i = 2 * indexOf(node.dataMap, bit)
    if (node.content[i] !== key) return node
    const next = editable(node, edit)
    next.content.splice(i, 2)
    next.dataMap ^= bit
    edit.sizeChange -= 1
    return next
  }
  if (!(node.nodeMap & bit)) return node
  const at = node.content.length - 1 - indexOf(node.nodeMap, bit)
  const child = node.content[at] as Node
  const changed = removeIn(child, shift + BITS, key, hash, edit)
  // a child this batch owns changes in place: it may have shrunk although it is the same node
  if (changed === child && child.owner !== edit.owner) return node
  const next = editable(node, edit)
  const lone = loneEntry(changed)
  if (lone === undefined) {
    next.content[at] = changed
    return next
  }
  // a child left with one entry is folded back into this node: the shape stays canonical
  next.content.splice(at, 1)
  next.nodeMap ^= bit
  next.content.splice(2 * indexOf(next.dataMap, bit), 0, lone[0], lone[1])
  next.dataMap |= bit
  return next
}

// comparing: two maps share every node that no write between them touched

type OnChange = (key: string, before: unknown, after: unknown) => void

/** The entries under `bit` of `node` (one entry, a subtree's or none), by key. */
const slotEntries = (node: Branch, bit: number): Map<string, unknown> => {
  const entries = new Map<string, unknown>()
  const { content } = node
  if (node.dataMap & bit) {
    const i = 2 * indexOf(node.dataMap, bit)
    entries.set(content[i] as string, content[i + 1])
  } else if (node.nodeMap & bit) visit(content[content.length - 1 - indexOf(node.nodeMap, bit)] as Node, (value, key) => entries.set(key, value))
  return entries
}

const nodeEntries = (node: Node): Map<string, unknown> => {
  const entries = new Map<string, unknown>()
  visit(node, (value, key) => entries.set(key, value))
  return entries
}

const tellChanges = (before: ReadonlyMap<string, unknown>, after: ReadonlyMap<string, unknown>, f: OnChange): void => {
  for (const [key, value] of before) {
    const now = after.get(key)
    if (now !== value) f(key, value, now)
  }
  for (const [key, value] of after) if (!before.has(key)) f(key, undefined, value)
}

/**
 * Tells the changes from node `a` to node `b` at the same place of two tries. Shared subtrees are
 * skipped; where the shapes differ (an entry in one, a subtree in the other, a collision), the entries
 * there are compared by key.
 */
const diffNodes = (a: Node, b: Node, f: OnChange): void => {
  if (a === b) return
  if (isCollision(a) || isCollision(b)) return tellChanges(nodeEntries(a), nodeEntries(b), f)
  for (let bits = a.dataMap | a.nodeMap | b.dataMap | b.nodeMap; bits !== 0; bits &= bits - 1) {
    const bit = bits & -bits
    if (a.nodeMap & b.nodeMap & bit) {
      diffNodes(a.content[a.content.length - 1 - indexOf(a.nodeMap, bit)] as Node, b.content[b.content.length - 1 - indexOf(b.nodeMap, bit)] as Node, f)
      continue
    }
    if (a.dataMap & b.dataMap & bit) {
      const i = 2 * indexOf(a.dataMap, bit)
      const j = 2 * indexOf(b.dataMap, bit)
      if (a.content[i] === b.content[j] && a.content[i + 1] === b.content[j + 1]) continue
    }
    tellChanges(slotEntries(a, bit), slotEntries(b, bit), f)
  }
}

// the map

/**
 * A map being changed by `PersistentMap.batch`.
 *
 * @since 0.2.0
 */
export interface Draft<V> {
  /** The value under `key` in the draft as changed so far. @since 0.2.0 */
  readonly get: (key: string) => V | undefined
  readonly set: (key: string, value: V) => void
  readonly remove: (key: string) => void
}

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom')

/**
 * An immutable `ReadonlyMap<string, V>`. Build one with `PersistentMap.empty()`, `fromEntries`, and
 * change it with `set`, `remove` and `update`, which return new maps.
 *
 * @since 0.2.0
 */
export class PersistentMap<V> implements ReadonlyMap<string, V> {
  private constructor(
    private readonly root: Node,
    readonly size: number,
  ) {}

  private static readonly none = new PersistentMap<unknown>({ dataMap: 0, nodeMap: 0, content: [], owner: null }, 0)

  /**
   * The map with no entries.
   *
   * @example
   * import { PersistentMap } from 'cognito-reconcile'
   * assert.strictEqual(PersistentMap.empty<number>().set('a', 1).size, 1)
   *
   * @since 0.2.0
   */
  static empty<V>(): PersistentMap<V> {
    return PersistentMap.none as PersistentMap<V>
  }

  /**
   * A map of `entries`, the last one winning for a repeated key.
   *
   * @example
   * import { PersistentMap } from 'cognito-reconcile'
   * const m = PersistentMap.fromEntries([['a', 1], ['b', 2], ['a', 3]])
   * assert.deepStrictEqual([m.get('a'), m.size], [3, 2])
   *
   * @since 0.2.0
   */
  static fromEntries<V>(entries: Iterable<readonly [string, V]>): PersistentMap<V> {
    return PersistentMap.empty<V>().update(entries)
  }

  get(key: string): V | undefined {
    return lookup(this.root, key, hashKey(key)) as V | undefined
  }

  has(key: string): boolean {
    return this.get(key) !== undefined
  }

  /**
   * The map with `key` set to `value`.
   *
   * @example
   * import { PersistentMap } from 'cognito-reconcile'
   * const before = PersistentMap.fromEntries([['a', 1]])
   * const after = before.set('b', 2)
   * assert.deepStrictEqual([before.has('b'), after.get('b')], [false, 2])
   *
   * @since 0.2.0
   */
  set(key: string, value: V): PersistentMap<V> {
    return this.update([[key, value]])
  }

  /**
   * The map without `key`.
   *
   * @example
   * import { PersistentMap } from 'cognito-reconcile'
   * assert.strictEqual(PersistentMap.fromEntries([['a', 1]]).remove('a').size, 0)
   *
   * @since 0.2.0
   */
  remove(key: string): PersistentMap<V> {
    return this.update([[key, undefined]])
  }

  /**
   * The map with every change of `changes` applied in order: a value sets its key, `undefined`
   * removes it. Each node the batch touches is copied once, however many changes land in it.
   *
   * @example
   * import { PersistentMap } from 'cognito-reconcile'
   * const m = PersistentMap.fromEntries([['a', 1], ['b', 2]]).update([['a', undefined], ['c', 3]])
   * assert.deepStrictEqual([...m.keys()].sort(), ['b', 'c'])
   *
   * @since 0.2.0
   */
  update(changes: Iterable<readonly [string, V | undefined]>): PersistentMap<V> {
    return this.batch((draft) => {
      for (const [key, value] of changes) {
        if (value === undefined) draft.remove(key)
        else draft.set(key, value)
      }
    })
  }

  /**
   * The map after `changes` ran on a draft of it: the draft's `set` and `remove` change it in place,
   * copying each node of this map the batch touches once. The draft must not be used after `changes`
   * returns.
   *
   * @example
   * import { PersistentMap } from 'cognito-reconcile'
   * const m = PersistentMap.fromEntries([['a', 1]]).batch((draft) => {
   *   for (const k of ['b', 'c', 'd']) draft.set(k, k.charCodeAt(0))
   *   draft.remove('a')
   * })
   * assert.deepStrictEqual([m.size, m.get('c')], [3, 99])
   *
   * @since 0.2.0
   */
  batch(changes: (draft: Draft<V>) => void): PersistentMap<V> {
    const edit: Edit = { owner: {}, created: [], sizeChange: 0 }
    let root = this.root
    // a set of the key a get just found, in a node this batch owns, writes the value in place: a pass
    // that reads each key and writes it back (reconcile's) walks the trie once per key, not twice.
    // Every change forgets the place, since it may move entries: only a set right after the get uses it.
    changes({
      get: (key) => lookup(root, key, hashKey(key)) as V | undefined,
      set: (key, value) => {
        if (foundNode?.owner === edit.owner && foundNode.content[foundAt] === key) foundNode.content[foundAt + 1] = value
        else root = setIn(root, 0, key, hashKey(key), value, edit)
        foundNode = undefined
      },
      remove: (key) => {
        foundNode = undefined
        root = removeIn(root, 0, key, hashKey(key), edit)
      },
    })
    // the batch is over: its nodes are frozen like all others
    foundNode = undefined
    for (const node of edit.created) node.owner = null
    if (root === this.root) return this
    return new PersistentMap<V>(root, this.size + edit.sizeChange)
  }

  entries(): MapIterator<[string, V]> {
    return walk(this.root, (key, value) => [key, value as V])
  }

  keys(): MapIterator<string> {
    return walk(this.root, (key) => key)
  }

  values(): MapIterator<V> {
    return walk(this.root, (_, value) => value as V)
  }

  forEach(callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void, thisArg?: unknown): void {
    visit(this.root, (value: V, key) => callback.call(thisArg, value, key, this))
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries()
  }

  get [Symbol.toStringTag](): string {
    return 'PersistentMap'
  }

  /** Shown as the entries it holds, in Node's console and REPL. */
  [inspectSymbol](_depth: number, options: unknown, inspect: (value: unknown, options: unknown) => string): string {
    return `PersistentMap(${this.size}) ${inspect(Object.fromEntries(this.entries()), options)}`
  }
}

/**
 * Tells `f` every key whose value differs from `before` to `after` (by reference; `undefined` for
 * absent), once each, in no particular order. Between two `PersistentMap`s the subtrees they share are
 * skipped, so the cost grows with the changes, not with the maps: a map and one written from it share
 * every node the writes did not touch. Any other pair of maps is compared entry by entry.
 *
 * Law: applying the told changes to `before` gives `after`.
 *
 * @internal
 */
export const forEachChange = <V>(before: ReadonlyMap<string, V>, after: ReadonlyMap<string, V>, f: (key: string, before: V | undefined, after: V | undefined) => void): void => {
  if (before === after) return
  // root is private to the class, not to this module
  if (before instanceof PersistentMap && after instanceof PersistentMap) diffNodes(before['root'], after['root'], f as OnChange)
  else tellChanges(before, after, f as OnChange)
}
