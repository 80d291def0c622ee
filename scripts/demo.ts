/**
 * `npm run demo`: two devices edit the same keys offline, then sync in turn through the embedded
 * emulator. The tables show what conflicted, how each conflict was resolved and by which strategy, the
 * API calls each sync made, and the converged state.
 *
 *   npm run demo
 *   npm run demo -- --endpoint https://cognito-sync.us-east-1.amazonaws.com \
 *     --identity-pool-id us-east-1:… --identity-id us-east-1:…   # a real service, default credentials
 */
import { parseArgs } from 'node:util'
import { CognitoSyncClient } from '@aws-sdk/client-cognito-sync'
import * as E from 'fp-ts/lib/Either.js'
import { startEmulator } from '../src/emulator/index.js'
import type { Resolution } from '../src/Conflict.js'
import { type Dataset, type LocalStore, type SyncReport, memoryStore, openDataset, sync } from '../src/sync/index.js'
import { byKey, jsonSetUnion, lastWriterWins, maxValue } from '../strategies/index.js'

// The SDK's notice that its 2027 releases need Node 22 would break up the tables; README.md says it once.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

const { values: args } = parseArgs({
  options: {
    endpoint: { type: 'string' },
    region: { type: 'string', default: process.env.AWS_REGION ?? 'us-east-1' },
    'identity-pool-id': { type: 'string', default: 'us-east-1:11111111-1111-1111-1111-111111111111' },
    'identity-id': { type: 'string', default: 'us-east-1:aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa' },
    dataset: { type: 'string', default: 'demo' },
  },
})

/** One strategy per kind of data: the best score, the latest setting, the union of the items. */
const strategy = byKey(
  [
    ['highScore', maxValue()],
    [/^settings\./, lastWriterWins],
    ['inventory', jsonSetUnion()],
  ],
  lastWriterWins,
)

// a readable table

const table = (title: string, headers: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): void => {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)))
  const line = (cells: ReadonlyArray<string>) => `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`
  console.log(`\n${title}`)
  console.log(line(headers))
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`)
  for (const row of rows) console.log(line(row))
}

const shown = (content: string | null | undefined): string => (content === null || content === undefined ? '(deleted)' : content)

const described = (resolution: Resolution): string =>
  resolution._tag === 'KeepLocal' ? 'keep local' : resolution._tag === 'TakeRemote' ? 'take remote' : `write ${shown(resolution.content)}`

// the devices

interface Device {
  readonly name: string
  readonly store: LocalStore
  readonly data: Dataset
  readonly client: CognitoSyncClient
  readonly clock: { now: number }
}

const fail = (message: string): never => {
  console.error(message)
  process.exit(1)
}

const main = async (): Promise<void> => {
  const emulator = args.endpoint === undefined ? await startEmulator() : undefined
  const endpoint = args.endpoint ?? emulator?.endpoint
  const credentials = emulator === undefined ? {} : { credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' } }
  console.log(emulator === undefined ? `Cognito Sync at ${endpoint}` : `Embedded emulator at ${endpoint}`)

  const devices: Array<Device> = []
  const device = (name: string, start: number): Device => {
    const store = memoryStore()
    const clock = { now: start }
    const data = openDataset(store, args.dataset, { clock: () => new Date(clock.now) })
    if (E.isLeft(data)) return fail(data.left.message)
    const client = new CognitoSyncClient({ region: args.region, ...(endpoint === undefined ? {} : { endpoint }), ...credentials })
    const made = { name, store, data: data.right, client, clock }
    devices.push(made)
    return made
  }

  /** Edits made on `who` at `at`, while offline: nothing reaches the server until it syncs. */
  const edit = async (who: Device, at: number, edits: Record<string, string>): Promise<void> => {
    who.clock.now = at
    for (const [key, value] of Object.entries(edits)) {
      const written = await who.data.put(key, value)()
      if (E.isLeft(written)) fail(written.left.message)
    }
  }

  const calls: Array<Array<string>> = []
  const conflicts: Array<Array<string>> = []
  const syncOf = async (who: Device, label: string): Promise<SyncReport> => {
    const result = await sync({
      client: who.client,
      identityPoolId: args['identity-pool-id'],
      identityId: args['identity-id'],
      datasetName: args.dataset,
      deviceId: who.name,
      store: who.store,
      strategy,
      clock: () => new Date(who.clock.now),
    })()
    if (E.isLeft(result)) return fail(`${label} failed: ${result.left.message}`)
    const report = result.right
    calls.push([label, String(report.calls.ListRecords), String(report.calls.UpdateRecords), report.adopted.join(', ') || '-', report.pushed.join(', ') || '-', String(report.lastSyncCount)])
    for (const { conflict, resolution, decidedBy } of report.conflicts)
      conflicts.push([label, conflict.key, shown(conflict.local.content), shown(conflict.remote.content), described(resolution), decidedBy])
    return report
  }

  try {
    const phone = device('phone', Date.UTC(2024, 0, 1, 9))
    const tablet = device('tablet', Date.UTC(2024, 0, 1, 9))

    // Both start from the same synced state.
    await edit(phone, Date.UTC(2024, 0, 1, 9), { highScore: '1200', 'settings.theme': 'dark', inventory: '["sword"]' })
    await syncOf(phone, '1. phone syncs')
    await syncOf(tablet, '2. tablet syncs')

    // Offline, each device edits the same keys; the phone's edits are the later ones.
    await edit(phone, Date.UTC(2024, 0, 2, 10), { highScore: '1500', 'settings.theme': 'light', inventory: '["shield","sword"]' })
    await edit(tablet, Date.UTC(2024, 0, 2, 8), { highScore: '1800', 'settings.theme': 'solarized', inventory: '["potion","sword"]', 'settings.language': 'fr' })

    await syncOf(phone, '3. phone syncs')
    await syncOf(tablet, '4. tablet syncs')
    await syncOf(phone, '5. phone syncs')

    table('API calls per sync', ['sync', 'ListRecords', 'UpdateRecords', 'adopted', 'pushed', 'lastSyncCount'], calls)
    table('Conflicts and how they were resolved', ['sync', 'key', 'local', 'remote', 'resolution', 'decided by'], conflicts)

    const entries = async (who: Device) => {
      const listed = await who.data.list()()
      return E.isLeft(listed) ? fail(listed.left.message) : new Map(listed.right.map((entry) => [entry.key as string, entry.value as string]))
    }
    const [onPhone, onTablet] = [await entries(phone), await entries(tablet)]
    const keys = [...new Set([...onPhone.keys(), ...onTablet.keys()])].sort()
    table('Converged state', ['key', 'phone', 'tablet'], keys.map((key) => [key, shown(onPhone.get(key)), shown(onTablet.get(key))]))
    const converged = keys.every((key) => onPhone.get(key) === onTablet.get(key))
    console.log(converged ? '\nConverged: both devices hold the same records.' : '\nNOT converged.')
    if (!converged) process.exitCode = 1
  } finally {
    for (const d of devices) d.client.destroy()
    await emulator?.close()
  }
}

await main()
