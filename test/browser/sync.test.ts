// A full sync from browser pages: the real @aws-sdk/client-cognito-sync (its browser build, over fetch)
// against the emulator on 127.0.0.1, across origins (the page's port is not the emulator's).
import { describe, expect, it } from 'vitest'
import { stored, sync, useDevices } from './devices.js'
import { useBrowser } from './harness.js'

const browser = useBrowser()
const devices = useDevices(browser)
/** A device in its own context: its own storage, as on another machine. */
const device = (name: string) => devices.open(name)

describe('a sync in the browser', () => {
  it('two devices edit offline and sync through the real SDK from their pages: each conflict goes to its strategy, both converge', async () => {
    const [phone, tablet] = [await device('phone'), await device('tablet')]
    await phone.call('edit', { highScore: '900', 'settings.theme': 'dark', 'settings.sound': 'on' })
    expect(await sync(phone)).toMatchObject({ calls: { ListRecords: 1, UpdateRecords: 1 }, pushed: ['highScore', 'settings.sound', 'settings.theme'], lastSyncCount: 1 })
    expect(await sync(tablet)).toMatchObject({ calls: { ListRecords: 1, UpdateRecords: 0 }, adopted: ['highScore', 'settings.sound', 'settings.theme'] })

    // offline on both; the tablet's theme is the later write
    await phone.call('edit', { highScore: '1500', 'settings.theme': 'light', 'settings.sound': null })
    await tablet.call('edit', { highScore: '1300', 'settings.theme': 'solarized' })
    expect(await sync(phone)).toMatchObject({ pushed: ['highScore', 'settings.sound', 'settings.theme'], conflicts: [] })
    expect((await sync(tablet)).conflicts).toEqual([
      { key: 'highScore', local: '1300', remote: '1500', resolution: 'TakeRemote', decidedBy: 'maxValue' },
      { key: 'settings.theme', local: 'solarized', remote: 'light', resolution: 'KeepLocal', decidedBy: 'lastWriterWins' },
    ])
    expect(await sync(phone)).toMatchObject({ adopted: ['settings.theme'], pushed: [] })

    const converged = [
      { key: 'highScore', value: '1500' },
      { key: 'settings.theme', value: 'solarized' },
    ]
    for (const tab of [phone, tablet]) {
      expect(await tab.call('list')).toEqual(converged)
      expect(await tab.call('pendingKeys')).toEqual([])
      expect(tab.errors()).toEqual([])
    }
    // the service holds the same, the delete as a tombstone; the pages' calls were cross-origin, preflighted
    const emulator = devices.emulator()
    expect(stored(emulator)).toEqual([
      ['highScore', '1500'],
      ['settings.sound', null],
      ['settings.theme', 'solarized'],
    ])
    expect(emulator.calls().filter((call) => call.method === 'OPTIONS' && call.status === 204).length).toBeGreaterThan(0)
  })

  it('a service error reaches the page as the typed failure, and the edits stay pending', async () => {
    const phone = await device('phone')
    await phone.call('edit', { highScore: '900' })
    devices.emulator().faults.failNext('UpdateRecords', { errorType: 'NotAuthorizedException' })
    await expect(sync(phone)).rejects.toThrow(/NotAuthorized: UpdateRecords: NotAuthorizedException/)
    expect(await phone.call('pendingKeys')).toEqual(['highScore'])
    expect(await sync(phone)).toMatchObject({ pushed: ['highScore'] })
  })
})
