/**
 * Part 2: app writes. N single-key `put`s of 1 KB values into an empty dataset, N = 16 and 1,024, on
 * the memory store and on SQLite (a file per run), beside amazon-cognito-js's own `put` on its
 * in-memory store; and the batch writes (`Dataset.putAll`, amazon-cognito-js's `putAll`). Every contender
 * starts each call from an empty dataset, made outside the timing. Per-put time at 16 and at 1,024
 * tells whether a put's cost grows with the dataset.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { sqliteStore } from 'cognito-reconcile/sqlite'
import { type Dataset, type LocalStore, memoryStore } from 'cognito-reconcile/sync'
import { type CognitoJsDevice, cognitoJsDevice } from '../cognitoJs.js'
import { datasetIn, unwrap } from '../datasets.js'
import type { Config } from '../config.js'
import { type Contender, type Measured, type Probed, measure, probe } from '../harness.js'
import { type PartResult, type Target, progress } from '../part.js'
import { entriesOf, valueLength } from '../entries.js'
import { duration, ratio, spread, table } from '../table.js'

/** A store made fresh before every call, outside the timing. */
interface Fresh<S> {
  current: S | undefined
}

const sqliteFactory = () => {
  const dir = mkdtempSync(join(tmpdir(), 'cognito-reconcile-bench-'))
  let runs = 0
  let open: ReturnType<typeof sqliteStore> | undefined
  return {
    next: (): LocalStore => {
      open?.close()
      open = sqliteStore({ path: join(dir, `run-${runs++}.db`) })
      return open
    },
    dispose: () => {
      open?.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

const offline = { endpoint: 'http://127.0.0.1:9', identityPoolId: 'us-east-1:00000000-0000-0000-0000-000000000001', identityId: 'us-east-1:00000000-0000-0000-0000-000000000002' }

interface Row {
  readonly contender: string
  readonly puts: number
  readonly measured: Measured
}

export const writesPart = async (config: Config): Promise<PartResult> => {
  const sqlite = sqliteFactory()
  const contenders: Array<Contender> = []
  const puts = new Map<string, number>()
  for (const count of config.writes.counts) {
    const entries = entriesOf(count, count)
    const values = Object.fromEntries(entries)
    const memory: Fresh<Dataset> = { current: undefined }
    const onDisk: Fresh<Dataset> = { current: undefined }
    const legacy: Fresh<CognitoJsDevice> = { current: undefined }
    const each = async (dataset: Dataset | undefined): Promise<void> => {
      if (dataset === undefined) throw new Error('no dataset')
      for (const [key, value] of entries) await unwrap(dataset.put(key, value))
    }
    const add = (name: string, contender: Omit<Contender, 'name' | 'async'>): void => {
      contenders.push({ name: `${name} × ${count}`, async: true, ...contender })
      puts.set(`${name} × ${count}`, count)
    }
    add('memoryStore put', {
      beforeEach: () => {
        memory.current = datasetIn(memoryStore())
      },
      fn: () => each(memory.current),
    })
    add('sqliteStore put', {
      beforeEach: () => {
        onDisk.current = datasetIn(sqlite.next())
      },
      fn: () => each(onDisk.current),
    })
    add('memoryStore putAll', {
      beforeEach: () => {
        memory.current = datasetIn(memoryStore())
      },
      fn: () => unwrap(memory.current?.putAll(entries) ?? TE.left({ message: 'no dataset' })),
    })
    add('sqliteStore putAll', {
      beforeEach: () => {
        onDisk.current = datasetIn(sqlite.next())
      },
      fn: () => unwrap(onDisk.current?.putAll(entries) ?? TE.left({ message: 'no dataset' })),
    })
    const freshLegacy = async (): Promise<void> => {
      legacy.current = await cognitoJsDevice(offline, 'bench')
    }
    add('amazon-cognito-js put', {
      beforeEach: freshLegacy,
      fn: async () => {
        for (const [key, value] of entries) await legacy.current?.put(key, value)
      },
    })
    add('amazon-cognito-js putAll', {
      beforeEach: freshLegacy,
      fn: () => legacy.current?.putAll(values),
    })
  }
  let measured: ReadonlyArray<Measured>
  let probed: Probed
  try {
    probed = await probe(contenders)
    measured = await measure(probed.ok, config.writes.sampling)
  } finally {
    sqlite.dispose()
  }
  const rows: Array<Row> = measured.map((m) => ({ contender: m.name, puts: puts.get(m.name) ?? 1, measured: m }))
  for (const row of rows) progress(`${row.contender}: ${duration(row.measured.latency.median)}`)
  const perPut = (name: string, count: number): number => {
    const row = rows.find((r) => r.contender === `${name} × ${count}`)
    return row === undefined ? Number.NaN : row.measured.latency.median / count
  }
  const [small, large] = [Math.min(...config.writes.counts), Math.max(...config.writes.counts)]
  const targets: ReadonlyArray<Target> = [
    { what: `memoryStore put / amazon-cognito-js put, ${large} puts`, value: perPut('memoryStore put', large) / perPut('amazon-cognito-js put', large), limit: 1.5, atMost: true },
    { what: `sqliteStore time per put, ${large} puts / ${small} puts`, value: perPut('sqliteStore put', large) / perPut('sqliteStore put', small), limit: 2, atMost: true },
  ]
  return {
    targets,
    json: { valueLength, rows, failed: probed.failed },
    text: [
      '## 2. App writes (1 KB values, into an empty dataset)',
      table(
        ['contender', 'whole run', 'per put'],
        [
          ...rows.map((r) => [r.contender, `${duration(r.measured.latency.median)} ${spread(r.measured.latency)}`, duration(r.measured.latency.median / r.puts)]),
          ...probed.failed.map((f) => [f.name, `failed: ${f.error}`, '']),
        ],
      ),
      '',
      table(
        ['comparison', 'ratio', 'target'],
        [
          ...targets.map((t) => [t.what, ratio(t.value), `≤ ${t.limit}x`]),
          ['memoryStore time per put, ' + `${large} puts / ${small} puts`, ratio(perPut('memoryStore put', large) / perPut('memoryStore put', small)), ''],
        ],
      ),
    ].join('\n'),
    failures: [],
  }
}
