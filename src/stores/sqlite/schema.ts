/**
 * The SQLite schema and the statements the store runs. Tables are prefixed so that a store can share
 * an app's own database file.
 *
 * Record keys are stored JSON-encoded: SQLite text is UTF-8, and a key holding a lone surrogate
 * (a valid record key) would otherwise be replaced by U+FFFD and could collide with another key.
 *
 * @since 0.1.0
 */
import type BetterSqlite3 from 'better-sqlite3'

const DDL = `
CREATE TABLE IF NOT EXISTS cognito_reconcile_datasets (
  name TEXT PRIMARY KEY NOT NULL,
  last_sync_count INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS cognito_reconcile_records (
  dataset TEXT NOT NULL,
  key TEXT NOT NULL,
  record TEXT NOT NULL,
  PRIMARY KEY (dataset, key)
) STRICT, WITHOUT ROWID;
`

/** The prepared statements of one connection. @since 0.1.0 */
export interface Statements {
  readonly selectRecords: BetterSqlite3.Statement<[dataset: string]>
  readonly selectLastSyncCount: BetterSqlite3.Statement<[dataset: string]>
  readonly selectDatasets: BetterSqlite3.Statement<[]>
  readonly upsertRecord: BetterSqlite3.Statement<[dataset: string, key: string, record: string]>
  readonly deleteRecord: BetterSqlite3.Statement<[dataset: string, key: string]>
  readonly upsertDataset: BetterSqlite3.Statement<[name: string, lastSyncCount: number]>
}

/**
 * Creates the tables if missing and prepares the statements. WAL lets readers run beside a writer;
 * `synchronous = FULL` makes every committed `modify` survive a power cut, not only a process crash.
 *
 * @since 0.1.0
 */
export const prepare = (db: BetterSqlite3.Database): Statements => {
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.exec(DDL)
  return {
    selectRecords: db.prepare('SELECT key, record FROM cognito_reconcile_records WHERE dataset = ?'),
    selectLastSyncCount: db.prepare('SELECT last_sync_count FROM cognito_reconcile_datasets WHERE name = ?').pluck(),
    selectDatasets: db.prepare('SELECT DISTINCT dataset FROM cognito_reconcile_records ORDER BY dataset').pluck(),
    upsertRecord: db.prepare(
      'INSERT INTO cognito_reconcile_records (dataset, key, record) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET record = excluded.record',
    ),
    deleteRecord: db.prepare('DELETE FROM cognito_reconcile_records WHERE dataset = ? AND key = ?'),
    upsertDataset: db.prepare(
      'INSERT INTO cognito_reconcile_datasets (name, last_sync_count) VALUES (?, ?) ON CONFLICT DO UPDATE SET last_sync_count = excluded.last_sync_count',
    ),
  }
}
