/**
 * Starts a server script in a child process (through tsx) and waits for the line that names its
 * endpoint, so that the server's work runs beside the clients rather than on their event loop.
 */
import { spawn } from 'node:child_process'

export interface ChildServer {
  readonly endpoint: string
  readonly stop: () => Promise<void>
}

export const startChildServer = (script: string, args: ReadonlyArray<string>): Promise<ChildServer> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
    let output = ''
    const onData = (chunk: Buffer): void => {
      output += chunk.toString()
      const found = /listening on (http:\/\/\S+)/.exec(output)
      if (found?.[1] === undefined) return
      child.stdout.off('data', onData)
      child.stdout.resume()
      resolve({
        endpoint: found[1],
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done()
            child.once('exit', () => done())
            child.kill('SIGTERM')
          }),
      })
    }
    child.stdout.on('data', onData)
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before listening: ${output}`)))
  })
