/**
 * Runs the device flow once and prints what it did: against AWS with
 * `IDENTITY_POOL_ID=us-east-1:… AWS_REGION=us-east-1 npx tsx examples/device/main.ts`
 * (the pool must allow guest identities, and its unauthenticated role must allow cognito-sync:* on
 * its identities' datasets), or offline against the emulator with `--emulator`.
 */
import { startEmulator } from 'cognito-reconcile/emulator'
import { memoryStore } from 'cognito-reconcile/stores'
import { start } from './app.js'

const ids = new Map<string, string>()
const cache = { getItem: (key: string) => ids.get(key) ?? null, setItem: (key: string, value: string) => void ids.set(key, value), removeItem: (key: string) => void ids.delete(key) }

const offline = process.argv.includes('--emulator')
const identityPoolId = offline ? 'us-east-1:11111111-1111-1111-1111-111111111111' : (process.env.IDENTITY_POOL_ID ?? '')
const region = identityPoolId.split(':')[0] ?? ''
if (identityPoolId === '') throw new Error('Set IDENTITY_POOL_ID, or pass --emulator')
const emulator = offline ? await startEmulator({ identityPools: [{ identityPoolId }] }) : undefined

const app = await start({ region, identityPoolId, cache, store: memoryStore(), ...(emulator && { endpoint: emulator.endpoint }) })
try {
  const game = app.cognito.dataset('game')
  await game.put('lastLaunch', new Date().toISOString())
  const report = await game.sync()
  console.log(`identity ${app.identityId}: pushed ${report.pushed.join(', ')}; the dataset holds ${JSON.stringify(await game.list())}`)
} finally {
  app.stop()
  await emulator?.close()
}
