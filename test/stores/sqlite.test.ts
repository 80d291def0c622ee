// What only the SQLite store promises: durability across close and crashes, typed failures for corrupt
// rows, a write lock shared by processes, and writes limited to the rows that changed.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import * as E from 'fp-ts/lib/Either.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type LocalState, type SyncCount, LocalStateJson, currentContent, isDirty, setRecord } from 'cognito-reconcile'
import { sqliteStore } from '../../src/stores/sqlite/index.js'
import { openDataset } from '../../src/stores/dataset.js'
import { datasetName, recordKey, recordValue, runRight, tempDir, unwrap } from './harness.js'

const settings = datasetName('settings')
const child = join(import.meta.dirname, 'sqliteChild.ts')

/** Runs the child in `mode`, resolving with how it ended. */
const runChild = (...args: ReadonlyArray<string>): Promise<{ code: number | null; signal: string | null; stderr: string }> =>
  new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, ...args], { stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    proc.on('error', reject)
    proc.on('exit', (code, signal) => resolve({ code, signal, stderr }))
  })

/** How many times the lock passed from one process to another, in the order the holders took it. */
const handovers = (holders: ReadonlyArray<string>): number => holders.filter((holder, i) => i > 0 && holder !== holders[i - 1]).length

const writeSome = async (store: ReturnType<typeof sqliteStore>): Promise<void> => {
  const dataset = unwrap(openDataset(store, settings, { clock: () => new Date(1_700_000_000_123) }))
  for (const [key, value] of [['__proto__', ''], ['score', '10'], ['gone', 'x']] as const) await runRight(dataset.put(key, value))
  await runRight(dataset.remove('gone'))
  await runRight(store.modify(settings, (state) => E.right([undefined, { ...state, lastSyncCount: 7 as SyncCount }] as const)))
}

describe('sqliteStore', () => {
  let temp: ReturnType<typeof tempDir>
  let path: string
  beforeEach(() => {
    temp = tempDir()
    path = join(temp.dir, 'device.db')
  })
  afterEach(() => temp.remove())

  it('keeps every record across close and reopen', async () => {
    const first = sqliteStore({ path })
    await writeSome(first)
    const before = await runRight(first.read(settings))
    first.close()
    const again = sqliteStore({ path })
    expect(await again.read(settings)()).toEqual(E.right(before))
    expect(before.lastSyncCount).toBe(7)
    expect(isDirty(before.records.get('gone'))).toBe(true)
    again.close()
  })

  it('uses WAL mode', () => {
    const store = sqliteStore({ path })
    store.close()
    const db = new Database(path)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    db.close()
  })

  it('sees writes of another connection to the same file, as it caches nothing', async () => {
    const one = sqliteStore({ path })
    const two = sqliteStore({ path })
    await writeSome(one)
    expect(await two.read(settings)()).toEqual(await one.read(settings)())
    one.close()
    two.close()
  })

  it('keeps acknowledged writes when the process exits in an async gap without closing', async () => {
    const ended = await runChild('exit-in-gap', path)
    expect(ended.code, ended.stderr).toBe(1)
    const store = sqliteStore({ path })
    const state = await runRight(store.read(settings))
    expect(['a', 'b'].map((key) => [currentContent(state.records.get(key)), isDirty(state.records.get(key))])).toEqual([
      ['acknowledged', true],
      ['acknowledged', true],
    ])
    store.close()
  })

  it('leaves the last committed state when the process is killed inside a transaction', async () => {
    const ended = await runChild('kill-mid-transaction', path)
    expect(ended.signal, ended.stderr).toBe('SIGKILL')
    const store = sqliteStore({ path })
    const state = await runRight(store.read(settings))
    expect([...state.records.keys()].sort()).toEqual(['a', 'b'])
    expect(state.records.get('a')?.pending?.content).toBe('acknowledged')
    expect(state.lastSyncCount).toBe(0)
    store.close()
  })

  it('serialises modifies of two processes on one file (BEGIN IMMEDIATE), which raced', async () => {
    sqliteStore({ path }).close()
    const db = new Database(path)
    db.exec('CREATE TABLE race_ready (process TEXT); CREATE TABLE race_log (id INTEGER PRIMARY KEY, process TEXT)')
    db.close()
    const ended = await Promise.all([runChild('increment', path, '100', 'a'), runChild('increment', path, '100', 'b')])
    expect(ended.map(({ code, stderr }) => [code, stderr])).toEqual([
      [0, ''],
      [0, ''],
    ])
    const store = sqliteStore({ path })
    expect((await runRight(store.read(datasetName('counter')))).lastSyncCount).toBe(200)
    store.close()
    // the lock went from one process to the other and back: each held it while the other waited
    const holders = new Database(path).prepare('SELECT process FROM race_log ORDER BY id').pluck().all() as ReadonlyArray<string>
    expect(holders.length).toBe(200)
    expect(handovers(holders), holders.join('')).toBeGreaterThanOrEqual(2)
  })

  it('counts handovers of the lock, so the race test fails when the processes ran one after the other', () => {
    expect(handovers([...'aaaabbbb'])).toBe(1)
    expect(handovers([...'aabbaabb'])).toBe(3)
    expect(handovers([])).toBe(0)
  })

  describe('with a corrupt row', () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ['a record that is not JSON', `INSERT INTO cognito_reconcile_records VALUES ('settings', '"k"', '{"key":')`],
      ['a record of the wrong shape', `INSERT INTO cognito_reconcile_records VALUES ('settings', '"k"', '{"key":"k","server":{"content":1}}')`],
      ['a record under another key', `INSERT INTO cognito_reconcile_records VALUES ('settings', '"k"', '{"key":"j","server":{"content":"v","syncCount":1}}')`],
      ['a key column that is not JSON', `INSERT INTO cognito_reconcile_records VALUES ('settings', 'k', '{"key":"k","server":{"content":"v","syncCount":1}}')`],
      ['a negative last_sync_count', `INSERT INTO cognito_reconcile_datasets (name, last_sync_count) VALUES ('settings', -1)`],
      ['a negative running total', `INSERT INTO cognito_reconcile_datasets VALUES ('settings', 0, -1, 0)`],
      ['one running total without the other', `INSERT INTO cognito_reconcile_datasets VALUES ('settings', 0, 1, NULL)`],
    ]

    it.each(cases)('answers StoreFailed to read and modify for %s, and writes nothing', async (_, sql) => {
      const db = new Database(path)
      const store = sqliteStore({ database: db })
      db.exec(sql)
      const before = db.prepare('SELECT total_changes()').pluck().get()
      let called = false
      const read = await store.read(settings)()
      const modified = await store.modify(settings, (state) => {
        called = true
        return E.right([undefined, state] as const)
      })()
      expect(read).toMatchObject(E.left({ _tag: 'StoreFailed', message: expect.stringContaining('Corrupt SQLite row') }))
      expect(modified).toMatchObject(E.left({ _tag: 'StoreFailed' }))
      expect(called).toBe(false)
      expect(db.prepare('SELECT total_changes()').pluck().get()).toBe(before)
      db.close()
    })

    it('answers StoreFailed to datasets for an invalid dataset name', async () => {
      const db = new Database(path)
      const store = sqliteStore({ database: db })
      db.exec(`INSERT INTO cognito_reconcile_records VALUES ('no spaces', '"k"', '{"key":"k","server":{"content":"v","syncCount":1}}')`)
      expect(await store.datasets()()).toMatchObject(E.left({ _tag: 'StoreFailed' }))
      db.close()
    })
  })

  it('opens a file from 0.1, counting its running totals once and storing them with the next write', async () => {
    const old = new Database(path)
    old.exec(`
      CREATE TABLE cognito_reconcile_datasets (name TEXT PRIMARY KEY NOT NULL, last_sync_count INTEGER NOT NULL) STRICT;
      CREATE TABLE cognito_reconcile_records (dataset TEXT NOT NULL, key TEXT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (dataset, key)) STRICT, WITHOUT ROWID;
      INSERT INTO cognito_reconcile_datasets VALUES ('settings', 3);
      INSERT INTO cognito_reconcile_records VALUES ('settings', '"a"', '{"key":"a","server":{"content":"é","syncCount":3}}');
      INSERT INTO cognito_reconcile_records VALUES ('settings', '"b"', '{"key":"b","server":{"content":"x","syncCount":2},"pending":{"content":null,"deviceLastModifiedDate":5}}');
      INSERT INTO cognito_reconcile_records VALUES ('never-synced', '"k"', '{"key":"k","pending":{"content":"vv","deviceLastModifiedDate":5}}');
    `)
    old.close()
    const store = sqliteStore({ path })
    const header = async (dataset: string) => (await runRight(store.readRecords(datasetName(dataset), []))).header
    expect(await header('settings')).toEqual({ lastSyncCount: 3, usage: { records: 1, bytes: 3 } })
    expect(await header('never-synced')).toEqual({ lastSyncCount: 0, usage: { records: 1, bytes: 3 } })
    await runRight(unwrap(openDataset(store, 'never-synced')).put('k2', 'v'))
    store.close()
    const db = new Database(path)
    expect(db.prepare(`SELECT * FROM cognito_reconcile_datasets ORDER BY name`).all()).toEqual([
      { name: 'never-synced', last_sync_count: 0, live_records: 2, live_bytes: 6 },
      { name: 'settings', last_sync_count: 3, live_records: null, live_bytes: null },
    ])
    db.close()
  })

  it('refuses to store a record it could not read back', async () => {
    const store = sqliteStore({ path })
    const invalid = (state: LocalState) =>
      E.right([undefined, setRecord({ key: recordKey('k'), pending: { content: recordValue('v'), deviceLastModifiedDate: new Date(Number.NaN) } })(state)] as const)
    expect(await store.modify(settings, invalid)()).toMatchObject(E.left({ _tag: 'StoreFailed' }))
    expect(await store.datasets()()).toEqual(E.right([]))
    store.close()
  })

  it('writes only the rows that changed', async () => {
    const db = new Database(path)
    const store = sqliteStore({ database: db })
    const changes = (): unknown => db.prepare('SELECT total_changes()').pluck().get()
    const dataset = unwrap(openDataset(store, settings))
    await runRight(store.modify(settings, (state) => E.right([undefined, { ...state, lastSyncCount: 1 as SyncCount }] as const)))
    for (let i = 0; i < 300; i++) await runRight(dataset.put(`key-${i}`, `value-${i}`))
    const measure = async (change: (state: LocalState) => LocalState): Promise<number> => {
      const before = Number(changes())
      await runRight(store.modify(settings, (state) => E.right([undefined, change(state)] as const)))
      return Number(changes()) - before
    }
    // the same records rebuilt from JSON: new objects, equal contents
    expect(await measure((state) => unwrap(LocalStateJson.decode(JSON.parse(JSON.stringify(LocalStateJson.encode(state))))))).toBe(0)
    expect(await measure((state) => ({ ...state, lastSyncCount: 2 as SyncCount }))).toBe(1)
    // a new value of the same size: its row only; a delete: its row and the header's running totals
    let before = Number(changes())
    await runRight(dataset.put('key-7', 'changed'))
    expect(Number(changes()) - before).toBe(1)
    before = Number(changes())
    await runRight(dataset.remove('key-8'))
    expect(Number(changes()) - before).toBe(2)
    db.close()
  })
})
