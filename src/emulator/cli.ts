#!/usr/bin/env node
/**
 * `cognito-sync-local`: runs the emulator until SIGINT or SIGTERM (or, with `--exit-with-parent`, the
 * end of the process that started it, as under `npx`). It prints the endpoint and the environment
 * variable that points the AWS SDK at it. Every failure to start is one line on stderr and a
 * non-zero exit: 2 for a bad command line, 1 for anything else.
 *
 * @since 0.1.0
 */
import { readFileSync, realpathSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { CallLogEntry } from './callLog.js'
import { cliOptions, usage, type Command } from './cliOptions.js'
import { startEmulator, type EmulatorOptions } from './server.js'

const name = 'cognito-sync-local'

const fail = (message: string, code: number): void => {
  process.stderr.write(`${name}: ${message}\n`)
  process.exitCode = code
}

/**
 * The package's version, from the package.json above the running script (src/ or dist/<flavour>/src/).
 * Found from the script's path, not `import.meta`, so that the CommonJS build compiles the same file.
 */
const version = (): string => {
  const script = process.argv[1]
  if (script === undefined) return 'unknown'
  for (const up of ['../..', '../../../..']) {
    try {
      const pkg = JSON.parse(readFileSync(join(dirname(realpathSync(script)), up, 'package.json'), 'utf8')) as { name?: string; version?: string }
      if (pkg.name === 'cognito-reconcile' && pkg.version !== undefined) return pkg.version
    } catch {
      // not this one
    }
  }
  return 'unknown'
}

/** A startup failure as one line that says what to do. */
const startupMessage = (e: unknown, options: EmulatorOptions): string => {
  const error = e as NodeJS.ErrnoException
  if (error.code === 'EADDRINUSE') {
    return `port ${options.port ?? 4599} on ${options.host ?? '127.0.0.1'} is in use (another ${name}?): stop it, or choose another with --port`
  }
  if (error.code === 'EADDRNOTAVAIL') return `${options.host ?? ''} is not an address of this machine: choose another with --host`
  if (error.code === 'EACCES') return `not allowed to listen on port ${options.port ?? 4599}: choose a port above 1023 with --port`
  return error.message
}

const logLine = (e: CallLogEntry): string => {
  const where = [e.identityId, e.datasetName].filter((x) => x !== undefined).join('/')
  const what = e.operation ?? `${e.method || '-'} ${e.path || '-'}`
  return `${new Date().toISOString()} ${what} ${where || '-'} ${e.status}${e.errorType === undefined ? '' : ` ${e.errorType}`} ${e.durationMs}ms\n`
}

/** Stops when the parent process is gone: `kill` of an `npx` leaves no orphan behind. */
const watchParent = (stop: () => void): void => {
  const parent = process.ppid
  const timer = setInterval(() => {
    try {
      process.kill(parent, 0)
    } catch {
      stop()
    }
  }, 500)
  timer.unref()
}

const serve = async (command: Extract<Command, { kind: 'serve' }>): Promise<void> => {
  const options = command.log ? { ...command.options, onCall: (e: CallLogEntry) => void process.stdout.write(logLine(e)) } : command.options
  let emulator: Awaited<ReturnType<typeof startEmulator>>
  try {
    emulator = await startEmulator(options)
  } catch (e) {
    fail(startupMessage(e, options), 1)
    return
  }
  process.stdout.write(`${name} listening on ${emulator.endpoint}\nexport AWS_ENDPOINT_URL_COGNITO_SYNC=${emulator.endpoint}\n`)
  let stopping = false
  const stop = () => {
    if (stopping) return
    stopping = true
    emulator.close().then(
      () => {
        process.stdout.write(`${name} stopped\n`)
        process.exit()
      },
      (e: unknown) => {
        fail((e as Error).message, 1)
        process.exit()
      },
    )
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  process.once('SIGHUP', stop)
  if (command.exitWithParent) watchParent(stop)
}

const main = async (): Promise<void> => {
  let command: Command
  try {
    command = cliOptions(process.argv.slice(2), process.env)
  } catch (e) {
    fail(`${(e as Error).message} (see ${name} --help)`, 2)
    return
  }
  if (command.kind === 'help') process.stdout.write(usage)
  else if (command.kind === 'version') process.stdout.write(`${version()}\n`)
  else await serve(command)
}

void main()
