// A child process for test/stores/sqlite.test.ts: a device that writes to a SQLite store and then
// crashes, or races another process. Usage: tsx sqliteChild.ts <mode> <path> [count name]
import Database from 'better-sqlite3'
import * as E from 'fp-ts/lib/Either.js'
import { type LocalState, type SyncCount, setRecord } from 'cognito-reconcile'
import { sqliteStore } from '../../src/stores/sqlite/index.js'
import { openDataset } from '../../src/stores/dataset.js'
import { datasetName, recordKey, recordValue, runRight, unwrap } from './harness.js'

const [mode, path, count, name] = process.argv.slice(2)
if (path === undefined) throw new Error('usage: sqliteChild.ts <mode> <path> [count name]')

const db = new Database(path)
const store = sqliteStore({ database: db })
const settings = unwrap(openDataset(store, 'settings'))

const withRecord = (key: string, content: string) => (state: LocalState) =>
  setRecord({ key: recordKey(key), pending: { content: recordValue(content), deviceLastModifiedDate: new Date(0) } })(state)

switch (mode) {
  case 'exit-in-gap': {
    // Acknowledged writes, then a crash while the process waits on something else (the network).
    await runRight(settings.put('a', 'acknowledged'))
    await runRight(settings.put('b', 'acknowledged'))
    await runRight(settings.state())
    setTimeout(() => process.exit(1), 0)
    await new Promise(() => undefined)
    break
  }
  case 'kill-mid-transaction': {
    // SIGKILL from inside the transaction, after the first of two new rows is written.
    db.function('crash', () => process.kill(process.pid, 'SIGKILL'))
    db.exec(`CREATE TEMP TRIGGER crash AFTER INSERT ON cognito_reconcile_records WHEN NEW.key = '"boom"' BEGIN SELECT crash(); END`)
    await runRight(settings.put('a', 'acknowledged'))
    await runRight(settings.put('b', 'acknowledged'))
    await store.modify(settings.name, (state) =>
      E.right([undefined, { ...withRecord('boom', 'never')(withRecord('c', 'never')(state)), lastSyncCount: 9 as SyncCount }] as const),
    )()
    break
  }
  case 'increment': {
    // Two processes race: each increment holds the transaction open between its read and its write,
    // so that without a write lock taken up front the two would collide. Each increment also logs, in
    // its own transaction, which process held the lock, so the parent can see that the two interleaved.
    const counter = datasetName('counter')
    const spin = (ms: number): void => {
      for (const end = Date.now() + ms; Date.now() < end; );
    }
    const log = db.prepare('INSERT INTO race_log (process) VALUES (?)')
    const increment = (state: LocalState) => {
      log.run(name)
      spin(2)
      return E.right([undefined, { ...state, lastSyncCount: (state.lastSyncCount + 1) as SyncCount }] as const)
    }
    // a barrier in the file: start once both processes are ready, however slowly each one started
    db.prepare('INSERT INTO race_ready (process) VALUES (?)').run(name)
    const ready = db.prepare('SELECT count(*) FROM race_ready').pluck()
    for (const deadline = Date.now() + 120_000; ready.get() !== 2; ) {
      if (Date.now() > deadline) throw new Error('the other process never became ready')
      await new Promise((resolve) => setTimeout(resolve, 2))
    }
    // between increments the lock is free for a moment: without the pause, one process takes it back
    // at once and the other, asleep in SQLite's busy handler, only gets it when the first is done
    for (let i = 0; i < Number(count); i++) {
      await runRight(store.modify(counter, increment))
      await new Promise((resolve) => setTimeout(resolve, 1))
    }
    db.close()
    break
  }
  default:
    throw new Error(`unknown mode ${mode}`)
}
