/**
 * Three-way merges end to end: devices with their own stores, the real SDK over HTTP against the
 * emulator, syncing at the same time (so that UpdateRecords meets 409s and retries) and under lost
 * answers. Concurrent edits to different fields of one record all survive; every increment counts.
 */
import * as E from 'fp-ts/lib/Either.js'
import { afterEach, describe, expect, it } from 'vitest'
import { createSyncManager } from '../../src/app/index.js'
import { type LocalStore, fromWholeState, memoryStore } from '../../src/stores/index.js'
import { type DatasetName, LocalStateJson, decodeWith, emptyState } from '../../src/index.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { pipe } from 'fp-ts/lib/function.js'
import { unwrap } from '../fixtures.js'
import { type SqliteStore, sqliteStore } from '../../src/stores/sqlite/index.js'
import { byKey, counter, jsonObject, lastWriterWins, maxValue, setUnion } from '../../strategies/index.js'
import { type Device, alice, contents, pool, sdkClient, useWorld } from './harness.js'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const world = useWorld()
const strategy = byKey([['coins', counter()], ['settings', jsonObject({ fields: { volume: maxValue() } })], ['tags', setUnion()]], lastWriterWins)
const dirs: Array<string> = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

const devices = (names: ReadonlyArray<string>): ReadonlyArray<Device> => names.map((name) => world.device(name, { strategy }))

/** Syncs every device at once, then each once more, one after the other, so every one has seen the others. */
const syncAll = async (all: ReadonlyArray<Device>): Promise<void> => {
  for (const result of await Promise.all(all.map((device) => device.sync()))) expect(E.isRight(result), JSON.stringify(result)).toBe(true)
  for (const device of all) await device.synced()
}

describe('three devices, one settings record', () => {
  it('concurrent edits to different fields all survive, the same on every device, written canonically', async () => {
    const [phone, tablet, web] = devices(['phone', 'tablet', 'web']) as [Device, Device, Device]
    await phone.put('settings', '{"theme":"light","volume":3,"lang":"en"}')
    await phone.synced()
    await tablet.synced()
    await web.synced()
    await phone.put('settings', '{"theme":"dark","volume":3,"lang":"en"}')
    await tablet.put('settings', '{"theme":"light","volume":5,"lang":"en"}')
    await web.put('settings', '{"theme":"light","volume":4,"lang":"fr","font":"big"}')
    world.emulator.clearCalls()
    await syncAll([phone, tablet, web])
    expect(world.emulator.calls().some((call) => call.operation === 'UpdateRecords' && call.status === 409)).toBe(true)
    const expected = { settings: '{"font":"big","lang":"fr","theme":"dark","volume":5}' }
    for (const device of [phone, tablet, web]) expect(await contents(device)).toEqual(expected)
  })

  it('a set merges three ways: removals on one device are not undone by another', async () => {
    const [phone, tablet] = devices(['phone', 'tablet']) as [Device, Device]
    await phone.put('tags', '["a","b","c"]')
    await phone.synced()
    await tablet.synced()
    await phone.put('tags', '["a","c","d"]')
    await tablet.put('tags', '["b","c","e"]')
    await syncAll([phone, tablet])
    for (const device of [phone, tablet]) expect(await contents(device)).toEqual({ tags: '["c","d","e"]' })
  })
})

const decodeState = decodeWith(LocalStateJson, 'stored state')

/** A store that keeps each dataset as JSON text (as a key-value store would), through `fromWholeState`: reopened, it reads only the text. */
const jsonTextStore = (texts: Map<string, string>): LocalStore =>
  fromWholeState({
    read: (dataset) => TE.right(pipe(texts.get(dataset), (text) => (text === undefined ? emptyState : unwrap(decodeState(JSON.parse(text)))))),
    modify: (dataset, f) => {
      const before = texts.get(dataset)
      const state = before === undefined ? emptyState : unwrap(decodeState(JSON.parse(before)))
      return TE.fromEither(
        pipe(
          f(state),
          E.map(([answer, next]) => {
            texts.set(dataset, JSON.stringify(LocalStateJson.encode(next)))
            return answer
          }),
        ),
      )
    },
    datasets: () => TE.right([...texts.keys()] as Array<DatasetName>),
  })

describe('the base survives what a pending edit survives', () => {
  const reopened: ReadonlyArray<readonly [string, (dir: string) => () => LocalStore]> = [
    ['SQLite, reopened from its file', (dir) => () => sqliteStore({ path: join(dir, 'phone.db') })],
    ['a whole-state store of JSON text, reopened from its text', () => {
      const texts = new Map<string, string>()
      return () => jsonTextStore(texts)
    }],
  ]
  it.each(reopened)('%s: a crash between the edit and the sync keeps both devices\' fields', async (_, storeIn) => {
    const dir = mkdtempSync(join(tmpdir(), 'three-way-'))
    dirs.push(dir)
    const open = storeIn(dir)
    const first = open()
    const phone = world.device('phone', { strategy, store: first })
    const tablet = world.device('tablet', { strategy })
    await phone.put('settings', '{"theme":"light","volume":3}')
    await phone.synced()
    await tablet.synced()
    await phone.put('settings', '{"theme":"dark","volume":3}')
    if ('close' in first && typeof first.close === 'function') first.close()
    // the app restarts: a new store over what the old one wrote
    const again = world.device('phone', { strategy, store: open() })
    const record = (await again.state()).records.get('settings')
    expect(record?.server?.content).toBe('{"theme":"light","volume":3}')
    await tablet.put('settings', '{"theme":"light","volume":8}')
    await tablet.synced()
    await again.synced()
    await tablet.synced()
    for (const device of [again, tablet]) expect(await contents(device)).toEqual({ settings: '{"theme":"dark","volume":8}' })
    const last = again.store
    if ('close' in last && typeof last.close === 'function') last.close()
  })
})

describe('a counter incremented on three devices', () => {
  it('totals every increment, with lost answers and 409s on the way, in SQLite stores reopened in between', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'three-way-'))
    dirs.push(dir)
    const stores: Array<SqliteStore> = []
    const open = (name: string) => {
      const store = sqliteStore({ path: join(dir, `${name}.db`) })
      stores.push(store)
      return world.device(name, { strategy, store })
    }
    const reopen = () => {
      for (const store of stores.splice(0)) store.close()
      return ['phone', 'tablet', 'web'].map(open)
    }
    let all = reopen()
    let expected = 0
    for (let round = 0; round < 3; round++) {
      for (const [i, device] of all.entries()) {
        await device.data.increment('coins', i + round + 1, device.name)()
        expected += i + round + 1
      }
      // answers lost after the server committed: the next listing tells
      world.emulator.faults.dropAfterCommit(2)
      await Promise.all(all.map((device) => device.sync()))
      world.emulator.faults.reset()
      // as after a crash: new stores over the same files
      all = reopen()
    }
    await syncAll(all)
    for (const device of all) expect(await device.data.readCounter('coins')()).toEqual(E.right(expected))
    for (const store of stores.splice(0)) store.close()
  })

  it('through the Promise API: increment and readCounter, the manager supplying the device slot', async () => {
    const make = (deviceId: string) => {
      const client = sdkClient(world.emulator.endpoint)
      return { client, game: createSyncManager({ client, store: memoryStore(), identityPoolId: pool, identityId: alice, deviceId, strategy, random: () => 0.5, limits: { backoffBaseMs: 2, backoffMaxMs: 20 } }).dataset('game') }
    }
    const [phone, tablet] = [make('phone'), make('tablet')]
    try {
      await phone.game.increment('coins', 10)
      await tablet.game.increment('coins', 7)
      await tablet.game.increment('coins', -2)
      expect(await tablet.game.readCounter('coins')).toBe(5)
      await Promise.all([phone.game.sync(), tablet.game.sync()])
      await phone.game.sync()
      await tablet.game.sync()
      expect([await phone.game.readCounter('coins'), await tablet.game.readCounter('coins')]).toEqual([15, 15])
      expect(await phone.game.get('coins')).toBe('{"phone":[10,0],"tablet":[7,2]}')
      await phone.game.put('name', 'Ada')
      await expect(phone.game.increment('name', 1)).rejects.toMatchObject({ name: 'InvalidInput' })
    } finally {
      phone.client.destroy()
      tablet.client.destroy()
    }
  })
})
