#!/usr/bin/env node
/**
 * `cognito-sync-local`: runs the emulator until SIGINT or SIGTERM. It prints the endpoint and the
 * environment variable that points the AWS SDK at it.
 *
 * @since 0.1.0
 */
import { cliOptions, usage } from './cliOptions.js'
import { startEmulator, type EmulatorOptions } from './server.js'

const main = async (): Promise<void> => {
  let parsed: EmulatorOptions | undefined
  try {
    parsed = cliOptions(process.argv.slice(2))
  } catch (e) {
    process.stderr.write(`cognito-sync-local: ${(e as Error).message}\n\n${usage}`)
    process.exitCode = 2
    return
  }
  if (parsed === undefined) {
    process.stdout.write(usage)
    return
  }
  const emulator = await startEmulator(parsed)
  process.stdout.write(
    `cognito-sync-local listening on ${emulator.endpoint}\nexport AWS_ENDPOINT_URL_COGNITO_SYNC=${emulator.endpoint}\n`,
  )
  const stop = () => {
    emulator.close().then(
      () => process.stdout.write('cognito-sync-local stopped\n'),
      (e: unknown) => {
        process.stderr.write(`cognito-sync-local: ${(e as Error).message}\n`)
        process.exitCode = 1
      },
    )
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

void main()
