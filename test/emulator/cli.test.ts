/**
 * The `cognito-sync-local` bin: prints the endpoint and the environment variable, serves the SDK,
 * exits 0 on SIGTERM and SIGINT; --help and bad flags.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { describe, expect, it } from 'vitest'
import { list, sdkClient } from './harness.js'

const start = (args: string[]): ChildProcess =>
  spawn(process.execPath, ['--import', 'tsx', 'src/emulator/cli.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })

const output = (child: ChildProcess, stream: 'stdout' | 'stderr'): (() => string) => {
  let text = ''
  child[stream]?.on('data', (c: Buffer) => (text += c.toString()))
  return () => text
}

const endpointOf = async (child: ChildProcess): Promise<string> => {
  const stdout = output(child, 'stdout')
  for (let i = 0; i < 200; i++) {
    const m = /^export AWS_ENDPOINT_URL_COGNITO_SYNC=(http:\/\/127\.0\.0\.1:\d+)$/m.exec(stdout())
    if (m?.[1] !== undefined) return m[1]
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`no endpoint printed: ${stdout()}`)
}

describe('cognito-sync-local', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`serves the SDK and exits 0 on ${signal}`, async () => {
      const child = start(['--port', '0', '--check-signatures', '--credentials', 'test:test'])
      const endpoint = await endpointOf(child)
      const client = sdkClient(endpoint)
      try {
        expect((await list(client, 'd')).DatasetExists).toBe(false)
      } finally {
        client.destroy()
      }
      const exited = once(child, 'exit')
      child.kill(signal)
      expect(await exited).toEqual([0, null])
    })
  }

  it('prints usage for --help and exits 2 on a bad flag', async () => {
    const help = start(['--help'])
    const helpOut = output(help, 'stdout')
    expect((await once(help, 'exit'))[0]).toBe(0)
    expect(helpOut()).toContain('--data-file')
    const bad = start(['--check-signatures'])
    const badErr = output(bad, 'stderr')
    expect((await once(bad, 'exit'))[0]).toBe(2)
    expect(badErr()).toContain('--check-signatures needs at least one --credentials')
  })
})

describe('cliOptions', () => {
  it('reads AK:SECRET@poolId/identityId,… with colons in the ids, and seconds for the token lifetime', async () => {
    const { cliOptions } = await import('../../src/emulator/cliOptions.js')
    const options = cliOptions([
      '--check-signatures',
      '--credentials',
      'AK:se/cr+et@us-east-1:1111/us-east-1:aaaa,us-east-1:bbbb',
      '--credentials',
      'K2:s2',
      '--session-token-ttl',
      '60',
      '--data-file',
      '/tmp/x.json',
    ])
    expect(options).toEqual({
      host: '127.0.0.1',
      port: 4599,
      sessionTokenTtlMs: 60_000,
      dataFile: '/tmp/x.json',
      credentials: [
        { accessKeyId: 'AK', secretAccessKey: 'se/cr+et', identityPoolId: 'us-east-1:1111', identityIds: ['us-east-1:aaaa', 'us-east-1:bbbb'] },
        { accessKeyId: 'K2', secretAccessKey: 's2' },
      ],
    })
    expect(cliOptions(['--cors-origin', 'http://Phone.lan:5173', '--cors-origin', '*', '--allow-host', 'box.lan'])).toMatchObject({
      corsOrigins: ['http://phone.lan:5173', '*'],
      allowedHosts: ['box.lan'],
    })
    expect(() => cliOptions(['--cors-origin', 'phone.lan'])).toThrow(/scheme:\/\/host/)
    expect(cliOptions(['--identity-pool', 'us-east-1:1111', '--identity-pool', 'eu-west-1:2222,authenticated-only'])?.identityPools).toEqual([
      { identityPoolId: 'us-east-1:1111', allowUnauthenticatedIdentities: true },
      { identityPoolId: 'eu-west-1:2222', allowUnauthenticatedIdentities: false },
    ])
    expect(() => cliOptions(['--identity-pool', 'us-east-1:1111,open'])).toThrow(/authenticated-only/)
    expect(() => cliOptions(['--check-signatures', '--credentials', 'AK:S@us-east-1:aaaa'])).toThrow(/identityPoolId\/identityId/)
    expect(cliOptions(['--help'])).toBeUndefined()
    expect(() => cliOptions(['--port', '-1'])).toThrow(/--port/)
    expect(() => cliOptions(['--credentials', 'nocolon', '--check-signatures'])).toThrow(/AK:SECRET/)
    expect(() => cliOptions(['--credentials', 'a:b'])).toThrow(/only used with --check-signatures/)
  })
})
