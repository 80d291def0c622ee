/**
 * The `cognito-sync-local` bin as a user meets it: prints the endpoint and the environment variable,
 * serves the SDK, stops cleanly on SIGTERM and SIGINT and when the process that started it (npx)
 * goes away; -h, -v, environment variables, a request log, a health endpoint, faults from the command
 * line; every startup failure one line and a non-zero exit.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { InternalErrorException } from '@aws-sdk/client-cognito-sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliOptions, envName } from '../../src/emulator/cliOptions.js'
import { failure, list, sdkClient } from './harness.js'
import { raw } from './raw.js'

const cli = ['--import', 'tsx', 'src/emulator/cli.ts']

const start = (args: string[], env: Record<string, string> = {}): ChildProcess =>
  spawn(process.execPath, [...cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } })

const output = (child: ChildProcess, stream: 'stdout' | 'stderr'): (() => string) => {
  let text = ''
  child[stream]?.on('data', (c: Buffer) => (text += c.toString()))
  return () => text
}

const until = async <A>(probe: () => A | undefined, what: () => string): Promise<A> => {
  for (let i = 0; i < 400; i++) {
    const found = probe()
    if (found !== undefined) return found
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`timed out waiting: ${what()}`)
}

const endpointIn = (stdout: () => string): Promise<string> =>
  until(() => /^export AWS_ENDPOINT_URL_COGNITO_SYNC=(http:\/\/127\.0\.0\.1:\d+)$/m.exec(stdout())?.[1], stdout)

/** Runs the bin to its exit: its code and output. */
const run = async (args: string[], env: Record<string, string> = {}) => {
  const child = start(args, env)
  const stdout = output(child, 'stdout')
  const stderr = output(child, 'stderr')
  const [code] = (await once(child, 'exit')) as [number]
  return { code, stdout: stdout(), stderr: stderr() }
}

const oneLine = (text: string): void => {
  expect(text.trimEnd().split('\n')).toHaveLength(1)
  expect(text).not.toMatch(/^\s+at /m)
}

describe('cognito-sync-local', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`serves the SDK and exits 0 on ${signal}`, async () => {
      const child = start(['--port', '0', '--check-signatures', '--credentials', 'test:test'])
      const endpoint = await endpointIn(output(child, 'stdout'))
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

  it('prints usage for -h/--help and the version for -v/--version, and exits 2 with one line on a bad flag', async () => {
    // The short and long forms are one flag to parseArgs (cliOptions below); one of each runs here.
    const help = await run(['-h'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('COGNITO_SYNC_LOCAL_')
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }
    expect(await run(['--version'])).toMatchObject({ code: 0, stdout: `${version}\n` })
    const bad = await run(['--check-signatures'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--check-signatures needs at least one --credentials')
    oneLine(bad.stderr)
  })

  describe('startup failures', () => {
    let dir: string
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'cli-'))
    })
    afterAll(() => rmSync(dir, { recursive: true, force: true }))

    it('a port in use: one line saying so, exit 1', async () => {
      const taken = createServer()
      await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r))
      try {
        const port = (taken.address() as { port: number }).port
        const r = await run(['--port', String(port)])
        expect(r.code).toBe(1)
        expect(r.stderr).toMatch(new RegExp(`^cognito-sync-local: port ${port} on 127\\.0\\.0\\.1 is in use .*--port`))
        oneLine(r.stderr)
      } finally {
        taken.close()
      }
    })

    it('a data file that is not one, and a malformed faults file: one line each, exit 1 and 2', async () => {
      const file = join(dir, 'notes.txt')
      writeFileSync(file, 'my notes')
      const r = await run(['--port', '0', '--data-file', file])
      expect(r.code).toBe(1)
      expect(r.stderr).toContain('is not a cognito-sync-local data file')
      oneLine(r.stderr)
      expect(readFileSync(file, 'utf8')).toBe('my notes')
      const faults = join(dir, 'faults.json')
      writeFileSync(faults, '{"failNext":[{"operation":"Nope","errorType":"X"}]}')
      const f = await run(['--faults-file', faults])
      expect(f.code).toBe(2)
      expect(f.stderr).toContain('failNext[0].operation must be an operation name')
      oneLine(f.stderr)
    })
  })

  it('takes options from the environment, logs each call, answers /health and applies --fail', async () => {
    const child = start(['--fail', 'ListRecords:InternalErrorException', '-l'], {
      [envName('port')]: '0',
      [envName('host')]: '0.0.0.0',
    })
    const stdout = output(child, 'stdout')
    // Bound to every interface, it prints the loopback endpoint, usable from this machine.
    const endpoint = await endpointIn(stdout)
    const client = sdkClient(endpoint)
    try {
      expect(await failure(() => list(client, 'd'))).toBeInstanceOf(InternalErrorException)
      expect((await list(client, 'd')).DatasetExists).toBe(false)
      const health = await raw(endpoint, 'GET', '/health')
      expect([health.status, JSON.parse(health.text)]).toEqual([200, { status: 'ok' }])
      const lines = await until(
        () => (stdout().match(/ListRecords/g)?.length === 2 ? stdout().split('\n').filter((l) => l.includes('ListRecords')) : undefined),
        stdout,
      )
      expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z ListRecords us-east-1:a{8}-a{4}-a{4}-a{4}-a{12}\/d 500 InternalErrorException \d+ms$/)
      expect(lines[1]).toMatch(/ ListRecords us-east-1:a+.*\/d 200 \d+ms$/)
    } finally {
      client.destroy()
      child.kill('SIGTERM')
      await once(child, 'exit')
    }
  })

  it('stops when the process that started it goes away, as under npx', async () => {
    // A parent like `npm exec`: starts the bin (npm_command=exec) and does not pass signals on.
    const parent = spawn(
      process.execPath,
      ['-e', `const c = require('node:child_process').spawn(process.execPath, ${JSON.stringify([...cli, '--port', '0'])}, { stdio: 'inherit', env: { ...process.env, npm_command: 'exec' } }); console.log('child ' + c.pid); setInterval(() => {}, 1000)`],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    const stdout = output(parent, 'stdout')
    const pid = Number(await until(() => /^child (\d+)$/m.exec(stdout())?.[1], stdout))
    await endpointIn(stdout)
    parent.kill('SIGKILL')
    const alive = () => {
      try {
        process.kill(pid, 0)
        return true
      } catch {
        return false
      }
    }
    await until(() => (alive() ? undefined : true), () => `the emulator (pid ${pid}) is still running`)
  })
})

describe('cliOptions', () => {
  it('reads AK:SECRET@poolId/identityId,… with colons in the ids, and seconds for the token lifetime', () => {
    const command = cliOptions([
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
    expect(command).toMatchObject({
      kind: 'serve',
      log: false,
      exitWithParent: false,
      options: {
        host: '127.0.0.1',
        port: 4599,
        sessionTokenTtlMs: 60_000,
        dataFile: '/tmp/x.json',
        credentials: [
          { accessKeyId: 'AK', secretAccessKey: 'se/cr+et', identityPoolId: 'us-east-1:1111', identityIds: ['us-east-1:aaaa', 'us-east-1:bbbb'] },
          { accessKeyId: 'K2', secretAccessKey: 's2' },
        ],
      },
    })
    expect(cliOptions(['--cors-origin', 'http://Phone.lan:5173', '--cors-origin', '*', '--allow-host', 'box.lan'])).toMatchObject({
      options: { corsOrigins: ['http://phone.lan:5173', '*'], allowedHosts: ['box.lan'] },
    })
    expect(() => cliOptions(['--cors-origin', 'phone.lan'])).toThrow(/scheme:\/\/host/)
    expect(cliOptions(['--identity-pool', 'us-east-1:1111', '--identity-pool', 'eu-west-1:2222,authenticated-only'])).toMatchObject({
      options: {
        identityPools: [
          { identityPoolId: 'us-east-1:1111', allowUnauthenticatedIdentities: true },
          { identityPoolId: 'eu-west-1:2222', allowUnauthenticatedIdentities: false },
        ],
      },
    })
    expect(() => cliOptions(['--identity-pool', 'us-east-1:1111,open'])).toThrow(/authenticated-only/)
    expect(() => cliOptions(['--check-signatures', '--credentials', 'AK:S@us-east-1:aaaa'])).toThrow(/identityPoolId\/identityId/)
    expect(cliOptions(['-h'])).toEqual({ kind: 'help' })
    expect(cliOptions(['--version'])).toEqual({ kind: 'version' })
    expect(() => cliOptions(['--port', '-1'])).toThrow(/--port/)
    expect(() => cliOptions(['--credentials', 'nocolon', '--check-signatures'])).toThrow(/AK:SECRET/)
    expect(() => cliOptions(['--credentials', 'a:b'])).toThrow(/only used with --check-signatures/)
  })

  it('takes every option from COGNITO_SYNC_LOCAL_* unless the command line gives it; secrets from a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-'))
    try {
      const secrets = join(dir, 'credentials')
      writeFileSync(secrets, '# local keys\nAK:one\n\nK2:two@us-east-1:1111/us-east-1:aaaa\n')
      const env = {
        [envName('port')]: '4600',
        [envName('host')]: '127.0.0.2',
        [envName('data-file')]: '/tmp/env.json',
        [envName('check-signatures')]: 'true',
        [envName('credentials-file')]: secrets,
        [envName('credentials')]: 'K3:three',
        [envName('cors-origin')]: 'http://a.test:1 http://b.test:2',
        [envName('latency')]: '5:ListRecords',
        [envName('throttle')]: '3:6',
        [envName('log')]: '1',
      }
      const command = cliOptions(['-p', '4700'], env)
      expect(command).toMatchObject({
        kind: 'serve',
        log: true,
        options: {
          port: 4700,
          host: '127.0.0.2',
          dataFile: '/tmp/env.json',
          corsOrigins: ['http://a.test:1', 'http://b.test:2'],
          credentials: [
            { accessKeyId: 'K3', secretAccessKey: 'three' },
            { accessKeyId: 'AK', secretAccessKey: 'one' },
            { accessKeyId: 'K2', secretAccessKey: 'two', identityPoolId: 'us-east-1:1111', identityIds: ['us-east-1:aaaa'] },
          ],
          faults: { latency: [{ ms: 5, operation: 'ListRecords' }], throttle: { ratePerSecond: 3, burst: 6 } },
        },
      })
      expect(cliOptions([], { npm_command: 'exec' })).toMatchObject({ exitWithParent: true })
      expect(() => cliOptions([], { [envName('log')]: 'yes' })).toThrow(/COGNITO_SYNC_LOCAL_LOG must be/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
