/**
 * The optional data file: the state as a versioned `Snapshot` in JSON. A save writes a temporary file
 * beside the target, flushes it to disk and renames it over the target; a rename is atomic, so a
 * crash leaves either the old file or the new one, never a torn one. The temporary file has an
 * unpredictable name and is created exclusively without following links (a planted symlink makes
 * the save fail rather than write elsewhere), readable by its owner only (0600).
 *
 * @since 0.1.0
 */
import { randomBytes } from 'node:crypto'
import { closeSync, constants, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs'
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
  const notOurs = new Error(`${file} is not a cognito-sync-local data file of version ${version}; move it away or pick another --data-file`)
  let parsed: { version?: unknown; state?: Snapshot }
  try {
    parsed = JSON.parse(text) as { version?: unknown; state?: Snapshot }
  } catch {
    throw notOurs
  }
  if (parsed?.version !== version || !Array.isArray(parsed.state?.pools)) throw notOurs
  return fromSnapshot(parsed.state)
}

/** Writes the state atomically (write, fsync, rename). @since 0.1.0 */
export const saveState = (file: string, state: State): void => {
  const temp = `${file}.${randomBytes(12).toString('hex')}.tmp`
  const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600)
  let saved = false
  try {
    try {
      writeSync(fd, JSON.stringify({ version, state: toSnapshot(state) }))
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(temp, file)
    saved = true
  } finally {
    if (!saved) rmSync(temp, { force: true })
  }
}
