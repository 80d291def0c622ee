/**
 * A workload to profile (see bench/profile.ts), run in its own process under `node --cpu-prof`:
 * - `reconcile <records> <dirty> <strategy>`: the library's reconcile on the benchmark's input, 20 calls;
 * - `puts <memory|sqlite> <count>`: that many 1 KB puts into an empty dataset, 10 times;
 * - `sync <idle|dirty>`: 20 syncs of a 1,024-record dataset against the emulator in this process,
 *   idle or with all 1,024 records edited before each.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { entriesOf, variantsOf } from '../entries.js'

// each workload loads only what it uses, so that loading other modules stays out of the profile
const [kind, a = '', b = '', c = ''] = process.argv.slice(2)

const reconcile = async (): Promise<void> => {
  const { reconcileInput } = await import('../inputs.js')
  const { libraryMerge, strategyCases } = await import('../strategies.js')
  const strategy = strategyCases.find((s) => s.name === c)
  if (strategy === undefined) throw new Error(`no strategy ${c}`)
  const input = reconcileInput({ records: Number(a), dirty: Number(b), seed: 1 }).library
  for (let i = 0; i < 20; i++) libraryMerge(strategy.library)(input)
}

const puts = async (): Promise<void> => {
  const { sqliteStore } = await import('cognito-reconcile/sqlite')
  const { memoryStore } = await import('cognito-reconcile/sync')
  const { datasetIn, unwrap } = await import('../datasets.js')
  const dir = mkdtempSync(join(tmpdir(), 'cognito-reconcile-profile-'))
  const entries = entriesOf(Number(b), 1)
  for (let run = 0; run < 10; run++) {
    const onDisk = a === 'sqlite' ? sqliteStore({ path: join(dir, `run-${run}.db`) }) : undefined
    const dataset = datasetIn(onDisk ?? memoryStore())
    for (const [key, value] of entries) await unwrap(dataset.put(key, value))
    onDisk?.close()
  }
  rmSync(dir, { recursive: true, force: true })
}

const sync = async (): Promise<void> => {
  const { startEmulator } = await import('cognito-reconcile/emulator')
  const { libraryDevice } = await import('../devices.js')
  const emulator = await startEmulator()
  const device = libraryDevice({ endpoint: emulator.endpoint, identityPoolId: 'us-east-1:00000000-0000-4000-8000-000000000001', identityId: 'us-east-1:00000000-0000-4000-8000-000000000002' })
  const initial = entriesOf(1024, 1)
  await device.write(initial)
  await device.sync()
  for (let round = 1; round <= 20; round++) {
    if (a === 'dirty') await device.write(variantsOf(initial, round))
    await device.sync()
  }
  await emulator.close()
}

if (kind === 'reconcile') await reconcile()
else if (kind === 'puts') await puts()
else if (kind === 'sync') await sync()
else throw new Error(`unknown scenario ${kind}: reconcile, puts or sync`)
