/**
 * Two simulated devices of one user, a phone and a tablet, each with its own store, editing one dataset
 * offline and syncing it with a Cognito Sync service (the emulator) through the real AWS SDK. The page
 * shows each device's records, every conflict and how it was decided, and whether they converged.
 */
import { CognitoSyncClient } from '@aws-sdk/client-cognito-sync'
import { type DatasetEntry, type SyncManager, type SyncReport, createSyncManager } from 'cognito-reconcile/app'
import { memoryStore } from 'cognito-reconcile/stores'
import { byKey, jsonSetUnion, lastWriterWins, maxValue } from 'cognito-reconcile/strategies'

// configuration: the page's `?endpoint=` and `?dataset=`, else what the server wrote in the page and `game`

const query = new URLSearchParams(location.search)
const endpoint = query.get('endpoint') ?? document.querySelector<HTMLMetaElement>('meta[name="emulator-endpoint"]')?.content ?? ''
const identityPoolId = 'us-east-1:11111111-1111-1111-1111-111111111111'
const identityId = 'us-east-1:aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa'
const datasetName = query.get('dataset') ?? 'game'

/** One strategy per kind of data: the best score, the union of the items, else the later write. */
const strategy = byKey(
  [
    ['highScore', maxValue()],
    ['inventory', jsonSetUnion()],
  ],
  lastWriterWins,
)

// the DOM, built from small helpers

const h = <K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, ...children: ReadonlyArray<Node | string>): HTMLElementTagNameMap[K] => {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value)
  element.append(...children)
  return element
}

const table = (headers: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): HTMLTableElement =>
  h('table', {}, h('thead', {}, h('tr', {}, ...headers.map((header) => h('th', {}, header)))), h('tbody', {}, ...rows.map((row) => h('tr', {}, ...row.map((cell) => h('td', {}, cell))))))

const shown = (content: string | null | undefined): string => (content === null || content === undefined ? '(deleted)' : content)

// the devices

interface Device {
  readonly name: string
  readonly sync: SyncManager
  readonly panel: HTMLElement
}

const device = (name: string): Device => {
  const client = new CognitoSyncClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'example', secretAccessKey: 'example' } })
  const sync = createSyncManager({ client, store: memoryStore(), identityPoolId, identityId, deviceId: name, strategy })
  return { name, sync, panel: h('section', { class: 'device', id: `device-${name}` }) }
}

const devices = [device('phone'), device('tablet')] as const
const dataset = (of: Device) => of.sync.dataset(datasetName)

const conflictRows: Array<Array<string>> = []
const syncLog = h('ul', { id: 'log' })
const conflictsSection = h('section', { id: 'conflicts' })
const convergedSection = h('section', { id: 'converged' })
let syncs = 0

const decision = ({ resolution, conflict }: SyncReport['conflicts'][number]): string =>
  resolution._tag === 'KeepLocal'
    ? `kept this device's ${shown(conflict.local.content)}`
    : resolution._tag === 'TakeRemote'
      ? `took the other's ${shown(conflict.remote.content)}`
      : `wrote ${shown(resolution.content)}`

const renderDevice = async (of: Device, status: string): Promise<void> => {
  const [entries, pending] = await Promise.all([dataset(of).list(), dataset(of).pendingKeys()])
  const values = new Map(entries.map(({ key, value }) => [key, value]))
  const keys = [...new Set([...values.keys(), ...pending])].sort()
  const key = h('input', { name: 'key', placeholder: 'key', 'aria-label': `${of.name} key` })
  const value = h('input', { name: 'value', placeholder: 'value', 'aria-label': `${of.name} value` })
  const form = h('form', {}, key, value, h('button', { type: 'submit', name: 'put' }, 'Put'), h('button', { type: 'button', name: 'remove' }, 'Delete'))
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    void act(of, () => dataset(of).put(key.value, value.value), `put ${key.value}`)
  })
  form.querySelector('[name=remove]')?.addEventListener('click', () => void act(of, () => dataset(of).remove(key.value), `deleted ${key.value}`))
  const syncButton = h('button', { class: 'sync' }, `Sync ${of.name}`)
  syncButton.addEventListener('click', () => void syncDevice(of))
  of.panel.replaceChildren(
    h('h2', {}, of.name),
    form,
    table(['key', 'value', 'state'], keys.map((k) => [k, shown(values.get(k)), pending.includes(k) ? 'pending' : 'synced'])),
    syncButton,
    h('p', { class: 'status' }, status),
  )
}

/** Runs a local write, offline, and shows the outcome. */
const act = async (of: Device, write: () => Promise<void>, done: string): Promise<void> => {
  try {
    await write()
    await renderDevice(of, `${done} (pending until it syncs)`)
  } catch (e) {
    await renderDevice(of, `refused: ${e instanceof Error ? e.message : String(e)}`)
  }
  await renderConverged()
}

const syncDevice = async (of: Device): Promise<void> => {
  syncs += 1
  const label = `${syncs}. ${of.name}`
  try {
    const report = await dataset(of).sync()
    for (const reported of report.conflicts)
      conflictRows.push([label, reported.conflict.key, shown(reported.conflict.local.content), shown(reported.conflict.remote.content), decision(reported), reported.decidedBy])
    const moved = `pushed ${report.pushed.join(', ') || 'nothing'}, took ${report.adopted.join(', ') || 'nothing'}`
    syncLog.append(h('li', {}, `${label} synced: ${moved}, ${report.conflicts.length} conflict(s), at sync count ${report.lastSyncCount}`))
    await renderDevice(of, `synced: ${moved}`)
  } catch (e) {
    syncLog.append(h('li', {}, `${label} failed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`))
    await renderDevice(of, 'sync failed: edits stay pending')
  }
  conflictsSection.replaceChildren(
    h('h2', {}, 'Conflicts and how they were decided'),
    table(['sync', 'key', 'this device', 'the other', 'decision', 'decided by'], conflictRows),
  )
  await renderConverged()
}

/** Both devices' live records side by side, and whether they agree with nothing left to push. */
const renderConverged = async (): Promise<void> => {
  const [phone, tablet] = await Promise.all(devices.map(async (of) => ({ entries: await dataset(of).list(), pending: await dataset(of).pendingKeys() })))
  const asMap = (entries: ReadonlyArray<DatasetEntry>) => new Map(entries.map(({ key, value }) => [key, value]))
  const [onPhone, onTablet] = [asMap(phone?.entries ?? []), asMap(tablet?.entries ?? [])]
  const keys = [...new Set([...onPhone.keys(), ...onTablet.keys()])].sort()
  const differing = keys.filter((key) => onPhone.get(key) !== onTablet.get(key))
  const pending = [...(phone?.pending ?? []), ...(tablet?.pending ?? [])]
  const converged = differing.length === 0 && pending.length === 0 && keys.length > 0
  const verdict = converged
    ? `Converged: both devices hold the same ${keys.length} records.`
    : `Not converged yet: ${differing.length} key(s) differ, ${pending.length} edit(s) pending.`
  convergedSection.replaceChildren(
    h('h2', {}, 'Converged state'),
    h('p', { class: converged ? 'verdict converged' : 'verdict waiting' }, verdict),
    table(['key', 'phone', 'tablet'], keys.map((key) => [key, shown(onPhone.get(key)), shown(onTablet.get(key))])),
  )
}

// a scenario to watch, the same steps as a user's clicks

const [phone, tablet] = devices

/** Both devices start from one synced state, then edit the same keys offline, the tablet last. */
const play = async (): Promise<void> => {
  await dataset(phone).putAll({ highScore: '700', nickname: 'ace', inventory: '["map"]', music: 'on' })
  await syncDevice(phone)
  await syncDevice(tablet)
  await dataset(phone).putAll({ highScore: '950', nickname: 'ace2', inventory: '["map","rope"]', music: null })
  await dataset(tablet).putAll({ highScore: '820', nickname: 'captain', inventory: '["lamp","map"]' })
  await Promise.all(devices.map((of) => renderDevice(of, 'edited offline')))
  await syncDevice(phone)
  await syncDevice(tablet)
  await syncDevice(phone)
}

const playButton = h('button', { id: 'play' }, 'Play a scenario')
playButton.addEventListener('click', () => void play())

document.body.append(
  h('h1', {}, 'Two devices, one dataset'),
  h(
    'p',
    { class: 'intro' },
    `The phone and the tablet keep their own copy of the dataset "${datasetName}". Edits stay on the device, pending, until it syncs with ${endpoint || '(no endpoint)'}. `,
    'A key edited on both sides is a conflict, decided by the strategy: highScore by maxValue, inventory by jsonSetUnion, any other key by lastWriterWins.',
  ),
  playButton,
  h('div', { class: 'devices' }, ...devices.map((of) => of.panel)),
  conflictsSection,
  convergedSection,
  h('section', {}, h('h2', {}, 'Syncs'), syncLog),
)
await Promise.all(devices.map((of) => renderDevice(of, 'offline, nothing synced yet')))
await renderConverged()
document.body.dataset['ready'] = 'true'
