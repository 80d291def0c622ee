/**
 * `npm run demo`: two devices edit the same keys offline, then sync in turn through the embedded
 * emulator, with the Promise API (`cognito-reconcile/app`): a score, a setting, a set, a profile merged
 * field by field, and a counter of coins earned on both. The tables show what each device wrote
 * offline and when by its own clock, what conflicted, how and why each conflict was resolved and by
 * which strategy, the API calls each sync made, and the converged state.
 */
import { parseArgs } from 'node:util'
import { CognitoSyncClient } from '@aws-sdk/client-cognito-sync'
import { type SyncManager, type SyncReport, createSyncManager } from '../src/app/index.js'
import type { Resolution, Version } from '../src/Conflict.js'
import { startEmulator } from '../src/emulator/index.js'
import type { ReportedConflict } from '../src/sync/index.js'
import { memoryStore } from '../src/stores/index.js'
import { byKey, counter, effectiveDate, jsonObject, jsonSetUnion, lastWriterWins, maxValue } from '../strategies/index.js'

// The SDK's notice that its 2027 releases need Node 22 would break up the tables; README.md says it once.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

const usage = `Usage: npm run demo [-- options]

Two devices edit the same keys offline, then sync in turn. Without --endpoint the demo starts an
embedded emulator; with it, it syncs with that service using the default AWS credentials.

Options:
  --endpoint <url>            a Cognito Sync endpoint, e.g. https://cognito-sync.us-east-1.amazonaws.com
  --region <region>           the client's region (default: $AWS_REGION, else us-east-1)
  --identity-pool-id <id>     the identity pool, region:guid (default: a made-up one for the emulator)
  --identity-id <id>          the identity whose dataset is synced, region:guid (default: a made-up one)
  --dataset <name>            the dataset both devices edit (default: demo)
  -h, --help                  print this help
`

const parsed = (() => {
  try {
    return parseArgs({
      options: {
        endpoint: { type: 'string' },
        region: { type: 'string', default: process.env.AWS_REGION ?? 'us-east-1' },
        'identity-pool-id': { type: 'string', default: 'us-east-1:11111111-1111-1111-1111-111111111111' },
        'identity-id': { type: 'string', default: 'us-east-1:aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa' },
        dataset: { type: 'string', default: 'demo' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    })
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n\n${usage}`)
    process.exit(2)
  }
})()
const args = parsed.values
if (args.help) {
  process.stdout.write(usage)
  process.exit(0)
}

/** One strategy per kind of data: the best score, the latest setting, the union of the items, the profile field by field, the coins of every device. */
const strategy = byKey(
  [
    ['highScore', maxValue()],
    [/^settings\./, lastWriterWins],
    ['inventory', jsonSetUnion()],
    ['profile', jsonObject()],
    ['coins', counter()],
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

/** A device clock reading, as `Jan 2 10:00` (UTC). */
const clockTime = (at: number): string => new Date(at).toISOString().replace(/^\d{4}-(\d\d)-(\d\d)T(\d\d:\d\d).*$/, (_, m: string, d: string, hm: string) => `${months[Number(m) - 1]} ${Number(d)} ${hm}`)
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** A version with the time lastWriterWins compares: the writing device's clock, or the server's when earlier. */
const versionOf = (version: Version): string => `${shown(version.content)} @ ${clockTime(effectiveDate(version))}`

const described = (resolution: Resolution): string =>
  resolution._tag === 'KeepLocal' ? 'keep local' : resolution._tag === 'TakeRemote' ? 'take remote' : `write ${shown(resolution.content)}`

/** Why the strategy that decided chose what it did, in words. */
const why = ({ conflict, resolution, decidedBy }: ReportedConflict): string => {
  const local = conflict.local.content
  const remote = conflict.remote.content
  switch (decidedBy) {
    case 'maxValue':
      return `the higher number wins: ${shown(resolution._tag === 'KeepLocal' ? local : remote)}`
    case 'jsonSetUnion':
      return 'both sets merged: nothing added offline is lost'
    case 'jsonObject':
      return 'merged field by field: each device changed other fields'
    case 'counter':
      return "each device's own coins added up: no increment is lost"
    case 'lastWriterWins': {
      const [l, r] = [effectiveDate(conflict.local), effectiveDate(conflict.remote)]
      return l === r ? 'same time: the larger value wins, on every device' : `the later write wins: ${l > r ? 'local' : 'remote'} at ${clockTime(Math.max(l, r))}`
    }
    default:
      return decidedBy
  }
}

// the devices

interface Device {
  readonly name: string
  readonly sync: SyncManager
  readonly clock: { now: number }
}

const main = async (): Promise<void> => {
  const emulator = args.endpoint === undefined ? await startEmulator() : undefined
  const endpoint = args.endpoint ?? emulator?.endpoint
  const credentials = emulator === undefined ? {} : { credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' } }
  console.log(emulator === undefined ? `Cognito Sync at ${endpoint}` : `Embedded emulator at ${endpoint}`)

  const clients: Array<CognitoSyncClient> = []
  const device = (name: string, start: number): Device => {
    const client = new CognitoSyncClient({ region: args.region, ...(endpoint === undefined ? {} : { endpoint }), ...credentials })
    clients.push(client)
    const clock = { now: start }
    const sync = createSyncManager({
      client,
      store: memoryStore(),
      identityPoolId: args['identity-pool-id'],
      identityId: args['identity-id'],
      deviceId: name,
      strategy,
      clock: () => new Date(clock.now),
    })
    return { name, sync, clock }
  }

  /** Edits made on `who` at `at` by its own clock, offline: nothing reaches the server until it syncs. */
  const offline: Array<Array<string>> = []
  const edit = async (who: Device, at: number, edits: Record<string, string>): Promise<void> => {
    who.clock.now = at
    for (const [key, value] of Object.entries(edits)) {
      await who.sync.dataset(args.dataset).put(key, value)
      offline.push([who.name, clockTime(at), key, value])
    }
  }

  /** Coins `who` earns at `at`, offline: an increment of its own slot of the counter. */
  const earn = async (who: Device, at: number, coins: number): Promise<void> => {
    who.clock.now = at
    await who.sync.dataset(args.dataset).increment('coins', coins)
    offline.push([who.name, clockTime(at), 'coins', `+${coins}`])
  }

  const calls: Array<Array<string>> = []
  const conflicts: Array<Array<string>> = []
  const syncOf = async (who: Device, label: string): Promise<SyncReport> => {
    const report = await who.sync.dataset(args.dataset).sync()
    calls.push([label, String(report.calls.ListRecords), String(report.calls.UpdateRecords), report.adopted.join(', ') || '-', report.pushed.join(', ') || '-', String(report.lastSyncCount)])
    for (const reported of report.conflicts)
      conflicts.push([label, reported.conflict.key, versionOf(reported.conflict.local), versionOf(reported.conflict.remote), described(reported.resolution), reported.decidedBy, why(reported)])
    return report
  }

  try {
    const phone = device('phone', Date.UTC(2024, 0, 1, 9))
    const tablet = device('tablet', Date.UTC(2024, 0, 1, 9))

    // Both start from the same synced state.
    await edit(phone, Date.UTC(2024, 0, 1, 9), { highScore: '1200', 'settings.theme': 'dark', inventory: '["sword"]', profile: '{"avatar":"cat","name":"Ada"}' })
    await earn(phone, Date.UTC(2024, 0, 1, 9), 100)
    await syncOf(phone, '1. phone syncs')
    await syncOf(tablet, '2. tablet syncs')

    // Offline, each device edits the same keys; the phone's edits are the later ones.
    await edit(phone, Date.UTC(2024, 0, 2, 10), { highScore: '1500', 'settings.theme': 'light', inventory: '["shield","sword"]' })
    await edit(phone, Date.UTC(2024, 0, 2, 10), { profile: '{"avatar":"dog","name":"Ada"}' })
    await earn(phone, Date.UTC(2024, 0, 2, 10), 30)
    await edit(tablet, Date.UTC(2024, 0, 2, 8), { highScore: '1800', 'settings.theme': 'solarized', inventory: '["potion","sword"]', 'settings.language': 'fr' })
    await edit(tablet, Date.UTC(2024, 0, 2, 8), { profile: '{"avatar":"cat","name":"Ada L."}' })
    await earn(tablet, Date.UTC(2024, 0, 2, 8), 50)

    await syncOf(phone, '3. phone syncs')
    await syncOf(tablet, '4. tablet syncs')
    await syncOf(phone, '5. phone syncs')

    table('What each device wrote, and when by its own clock (UTC)', ['device', 'device clock', 'key', 'value'], offline)
    table('API calls per sync', ['sync', 'ListRecords', 'UpdateRecords', 'adopted', 'pushed', 'lastSyncCount'], calls)
    table('Conflicts and how they were resolved', ['sync', 'key', 'local @ written', 'remote @ written', 'resolution', 'decided by', 'why'], conflicts)

    const entries = async (who: Device) => new Map((await who.sync.dataset(args.dataset).list()).map(({ key, value }) => [key, value]))
    const [onPhone, onTablet] = [await entries(phone), await entries(tablet)]
    const keys = [...new Set([...onPhone.keys(), ...onTablet.keys()])].sort()
    table('Converged state', ['key', 'phone', 'tablet'], keys.map((key) => [key, shown(onPhone.get(key)), shown(onTablet.get(key))]))
    const coins = async (who: Device) => who.sync.dataset(args.dataset).readCounter('coins')
    console.log(`\nCoins (readCounter): phone ${await coins(phone)}, tablet ${await coins(tablet)}: every coin earned on either device counts.`)
    const converged = keys.every((key) => onPhone.get(key) === onTablet.get(key))
    console.log(converged ? '\nConverged: both devices hold the same records.' : '\nNOT converged.')
    if (!converged) process.exitCode = 1
  } finally {
    for (const client of clients) client.destroy()
    await emulator?.close()
  }
}

try {
  await main()
} catch (e) {
  // A typed failure (SyncFailedError) says what went wrong and what to do; no stack trace needed.
  console.error(`\nThe demo failed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`)
  process.exitCode = 1
}
