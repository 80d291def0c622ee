/**
 * The optional data file: the state as a versioned `Snapshot` in JSON. A save writes a temporary file
 * beside the target, flushes it to disk and renames it over the target; a rename is atomic, so a
 * crash leaves either the old file or the new one, never a torn one.
 *
 * @since 0.1.0
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs'
import { fromSnapshot, toSnapshot, emptyState, type Snapshot, type State } from './state.js'

const version = 1

/**
 * The stored state, or an empty one when the file does not exist yet. A file that is not a data file
 * of this version is an error, rather than being silently replaced.
 *
 * @since 0.1.0
 */
export const loadState = (file: string): State => {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyState()
    throw e
  }
  const parsed = JSON.parse(text) as { version?: unknown; state?: Snapshot }
  if (parsed.version !== version || !Array.isArray(parsed.state?.pools)) {
    throw new Error(`${file} is not a cognito-sync-local data file of version ${version}`)
  }
  return fromSnapshot(parsed.state)
}

/** Writes the state atomically (write, fsync, rename). @since 0.1.0 */
export const saveState = (file: string, state: State): void => {
  const temp = `${file}.${process.pid}.tmp`
  const fd = openSync(temp, 'w')
  try {
    writeSync(fd, JSON.stringify({ version, state: toSnapshot(state) }))
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(temp, file)
}
