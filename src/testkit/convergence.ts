/**
 * The convergence check: fast-check generates fleet histories, `simulate` runs each, and a failure is
 * shrunk to the smallest history that still fails, printed as a script with the seed and path that
 * replay it.
 *
 * A fleet passes a history when it converges within the quiescent rounds, loses no acknowledged
 * write (unless `allowLostWrites`), and no sync or write fails for a reason the history does not
 * explain.
 *
 * @since 0.2.0
 */
import fc from 'fast-check'
import type { Strategy } from '../Strategy.js'
import { modelBackend } from './backend.js'
import { type History, type HistoryOptions, deviceName, history, showHistory } from './history.js'
import { showContent, showReplay, showRuns } from './show.js'
import { type SimulationOptions, type SimulationReport, simulate } from './simulate.js'

/** @since 0.2.0 */
export interface ConvergenceOptions extends SimulationOptions {
  /** The histories to try; their `devices` is the fleet's size. */
  readonly history?: Omit<HistoryOptions, 'devices'>
  /** Pass fleets that converge but lose acknowledged writes (as `localWins` does by design); false. */
  readonly allowLostWrites?: boolean
}

/**
 * Whether a report passes: converged, no unexplained errors, and no lost write unless allowed.
 *
 * @example
 * import { passes } from 'cognito-reconcile/testkit'
 * assert.strictEqual(passes({ backend: 'model', converged: true, rounds: 2, lost: [], server: {}, devices: [], errors: [] }), true)
 *
 * @since 0.2.0
 */
export const passes = (report: SimulationReport, options: Pick<ConvergenceOptions, 'allowLostWrites'> = {}): boolean =>
  report.converged && report.errors.length === 0 && (options.allowLostWrites === true || report.lost.length === 0)

const showRecords = (records: Readonly<Record<string, string>>): string => {
  const entries = Object.entries(records)
  return entries.length === 0 ? '(empty)' : entries.map(([key, value]) => `${showContent(key)} = ${showContent(value)}`).join(', ')
}

/**
 * A report as text: the verdict, every lost write with the step that made it, what the server and
 * each device hold, and the errors.
 *
 * @example
 * import { showReport } from 'cognito-reconcile/testkit'
 * const text = showReport({ backend: 'model', converged: false, rounds: 3, lost: [], server: { a: 'x' }, devices: [{ name: 'A', strategy: 'lastWriterWins', contents: {}, pending: ['a'] }], errors: [] })
 * assert.match(text, /did not converge after 3 quiescent rounds/)
 * assert.match(text, /A \(lastWriterWins\): \(empty\); pending "a"/)
 *
 * @since 0.2.0
 */
export const showReport = (report: SimulationReport): string =>
  [
    report.converged ? `converged after ${report.rounds} quiescent round${report.rounds === 1 ? '' : 's'} (${report.backend})` : `did not converge after ${report.rounds} quiescent rounds (${report.backend})`,
    ...report.lost.map(
      ({ write, final }) =>
        `lost: ${deviceName(write.device)}'s ${write.content === null ? 'delete of' : 'put of'} ${showContent(write.key)}${write.content === null ? '' : ` = ${showContent(write.content)}`} (step ${write.step + 1}), acknowledged by the service; the key ended ${showContent(final)}`,
    ),
    `server: ${showRecords(report.server)}`,
    ...report.devices.map((device) => `${device.name} (${device.strategy}): ${showRecords(device.contents)}${device.pending.length === 0 ? '' : `; pending ${device.pending.map(showContent).join(', ')}`}`),
    ...report.errors.map((error) => `error: ${error}`),
  ].join('\n')

/**
 * The check as a fast-check property over histories, for runners that drive fast-check themselves.
 *
 * @example
 * import fc from 'fast-check'
 * import { convergenceProperty } from 'cognito-reconcile/testkit'
 * import { lastWriterWins } from 'cognito-reconcile/strategies'
 * await fc.assert(convergenceProperty([lastWriterWins, lastWriterWins]), { numRuns: 10 })
 *
 * @since 0.2.0
 */
export const convergenceProperty = (fleet: ReadonlyArray<Strategy>, options: ConvergenceOptions = {}): fc.IAsyncPropertyWithHooks<[History]> =>
  fc.asyncProperty(history({ ...options.history, devices: fleet.length }), async (h) => passes(await simulate(fleet, h, options), options))

/**
 * Simulates the fleet over generated histories (100 runs by default, fast-check's `Parameters` to
 * change it, or `seed` and `path` to replay); resolves when every history passes, rejects otherwise
 * with the smallest failing history as a script, what it left, and how to replay it.
 *
 * @example
 * import { checkConvergence } from 'cognito-reconcile/testkit'
 * import { custom, keepLocal, lastWriterWins } from 'cognito-reconcile/strategies'
 * await checkConvergence([lastWriterWins, lastWriterWins, lastWriterWins], { history: { faults: true } }, { numRuns: 20 })
 * // a device that always keeps its own edit overwrites newer, acknowledged writes of the others
 * const mine = custom('mine', () => keepLocal)
 * await assert.rejects(checkConvergence([mine, lastWriterWins], {}, { seed: 1 }), /lost: /)
 *
 * @since 0.2.0
 */
export const checkConvergence = async (fleet: ReadonlyArray<Strategy>, options: ConvergenceOptions = {}, parameters: fc.Parameters<[History]> = {}): Promise<void> => {
  const details = await fc.check(convergenceProperty(fleet, options), parameters)
  if (!details.failed) return
  const names = fleet.map((strategy, device) => `${deviceName(device)}: ${strategy.name}`).join(', ')
  const replay = showReplay(details)
  const counterexample = details.counterexample?.[0]
  if (counterexample === undefined) throw new Error(`the fleet (${names}) failed without a counterexample: ${String(details.errorInstance)}\nreplay with the parameters ${replay}`)
  const report = await simulate(fleet, counterexample, options).catch((error: unknown) => `simulate threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
  throw new Error(
    [
      `the fleet (${names}) failed a history on the ${(options.backend ?? modelBackend).name} back end, ${showRuns(details)}.`,
      'Smallest failing history, then every device syncs in turn until the fleet is quiescent:',
      showHistory(counterexample),
      '',
      typeof report === 'string' ? report : showReport(report),
      '',
      `Replay: checkConvergence(fleet, options, ${replay}), or simulate(fleet, history) with the history ${JSON.stringify(counterexample)}`,
    ].join('\n'),
  )
}
