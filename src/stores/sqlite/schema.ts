/**
 * The SQLite schema and the statements the store runs. Tables are prefixed so that a store can share
 * an app's own database file.
 *
 * Record keys are stored JSON-encoded: SQLite text is UTF-8, and a key holding a lone surrogate
 * (a valid record key) would otherwise be replaced by U+FFFD and could collide with another key.
 *
 * @since 0.1.0
 */
import type * as BetterSqlite3 from './betterSqlite3.js'

const DDL = `
CREATE TABLE IF NOT EXISTS cognito_reconcile_datasets (
  name TEXT PRIMARY KEY NOT NULL,
  last_sync_count INTEGER NOT NULL,
  live_records INTEGER,
  live_bytes INTEGER
) STRICT;
CREATE TABLE IF NOT EXISTS cognito_reconcile_records (
  dataset TEXT NOT NULL,
  key TEXT NOT NULL,
  record TEXT NOT NULL,
  PRIMARY KEY (dataset, key)
) STRICT, WITHOUT ROWID;
`

// Files written before the running totals existed get their columns, empty: a NULL total is counted
// from the records by the first write that needs it, and stored.
const TOTALS = ['live_records', 'live_bytes'] as const

/** The prepared statements of one connection. @since 0.1.0 */
export interface Statements {
  readonly selectRecords: BetterSqlite3.Statement<[dataset: string]>
  readonly selectRecord: BetterSqlite3.Statement<[dataset: string, key: string]>
  readonly selectHeader: BetterSqlite3.Statement<[dataset: string]>
  readonly selectDatasets: BetterSqlite3.Statement<[]>
  readonly upsertRecord: BetterSqlite3.Statement<[dataset: string, key: string, record: string]>
  readonly deleteRecord: BetterSqlite3.Statement<[dataset: string, key: string]>
  readonly upsertHeader: BetterSqlite3.Statement<[name: string, lastSyncCount: number, liveRecords: number, liveBytes: number]>
}

/**
 * Creates the tables if missing (and the running totals' columns in a file from 0.1), and prepares the
 * statements. WAL lets readers run beside a writer;
 * `synchronous = FULL` makes every committed `modify` survive a power cut, not only a process crash.
 *
 * @since 0.1.0
 */
export const prepare = (db: BetterSqlite3.Database): Statements => {
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.exec(DDL)
  const columns = new Set(db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('cognito_reconcile_datasets'))
  for (const column of TOTALS) if (!columns.has(column)) db.exec(`ALTER TABLE cognito_reconcile_datasets ADD COLUMN ${column} INTEGER`)
  return {
    selectRecords: db.prepare('SELECT key, record FROM cognito_reconcile_records WHERE dataset = ?'),
    selectRecord: db.prepare('SELECT key, record FROM cognito_reconcile_records WHERE dataset = ? AND key = ?'),
    selectHeader: db.prepare('SELECT last_sync_count, live_records, live_bytes FROM cognito_reconcile_datasets WHERE name = ?'),
    selectDatasets: db.prepare('SELECT DISTINCT dataset FROM cognito_reconcile_records ORDER BY dataset').pluck(),
    upsertRecord: db.prepare(
      'INSERT INTO cognito_reconcile_records (dataset, key, record) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET record = excluded.record',
    ),
    deleteRecord: db.prepare('DELETE FROM cognito_reconcile_records WHERE dataset = ? AND key = ?'),
    upsertHeader: db.prepare(
      `INSERT INTO cognito_reconcile_datasets (name, last_sync_count, live_records, live_bytes) VALUES (?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET last_sync_count = excluded.last_sync_count, live_records = excluded.live_records, live_bytes = excluded.live_bytes`,
    ),
  }
}
