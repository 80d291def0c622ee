/**
 * The part of `better-sqlite3`'s API that the SQLite store calls, declared here so that an app's types
 * need no `@types/better-sqlite3`. A `Database` of `better-sqlite3` 12 has all of it; the store is typed
 * against this, so it cannot call anything else.
 *
 * @since 0.1.0
 */

/** A prepared statement, taking the parameters `P`. @since 0.1.0 */
export interface Statement<P extends unknown[] = unknown[]> {
  all(...parameters: P): unknown[]
  get(...parameters: P): unknown
  run(...parameters: P): unknown
  /** The statement, answering each row's first column rather than the row. */
  pluck(toggle?: boolean): this
}

/** A function run in a transaction. @since 0.1.0 */
export interface Transaction {
  immediate(run: () => unknown): unknown
  deferred(run: () => unknown): unknown
}

/** A connection. @since 0.1.0 */
export interface Database {
  /** Typed by whoever holds it (methods are bivariant): `Statement<[dataset: string]>`, ... */
  prepare(source: string): Statement
  pragma(source: string): unknown
  exec(source: string): unknown
  /** `fn` made a transaction: `immediate` runs it under `BEGIN IMMEDIATE`, `deferred` under `BEGIN`. */
  transaction(fn: (run: () => unknown) => unknown): Transaction
  close(): unknown
}
