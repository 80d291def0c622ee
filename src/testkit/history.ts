/**
 * A fleet's history: what each device does, step by step, as plain data that runs the same on any
 * back end (see `simulate`) and prints as a script a person can replay by hand.
 *
 * Time is the history's own: every step advances it by its `tick` (seconds, 0 for steps at the same
 * instant), and a device's clock reads it plus the device's `skew`.
 *
 * @since 0.2.0
 */
import fc from 'fast-check'
import { showString } from './show.js'

/**
 * What can go wrong during one sync, each as the service or the network would do it:
 * - `lostAnswer`: the next UpdateRecords commits, then its answer is lost (the connection closes);
 * - `throttled`: the next two ListRecords answer 429 `TooManyRequestsException`;
 * - `serverError`: the next UpdateRecords answers 500 `InternalErrorException`, changing nothing;
 * - `crash`: the device's UpdateRecords commits, and the device dies before it reads the answer; it
 *   comes back with what its store holds.
 *
 * @since 0.2.0
 */
export type Fault = 'none' | 'lostAnswer' | 'throttled' | 'serverError' | 'crash'

/**
 * Every fault but `none`.
 *
 * @example
 * import { faults, history } from 'cognito-reconcile/testkit'
 * const onlyLostAnswers = history({ faults: faults.filter((fault) => fault === 'lostAnswer') })
 * assert.ok(onlyLostAnswers !== undefined)
 *
 * @since 0.2.0
 */
export const faults: ReadonlyArray<Exclude<Fault, 'none'>> = ['lostAnswer', 'throttled', 'serverError', 'crash']

/**
 * One step: a local write (a put, or a delete), or a sync. A sync with `slipIn` lets that other device
 * sync in full between this device's ListRecords and its UpdateRecords, so that its write slips in
 * and this device meets a 409.
 *
 * @since 0.2.0
 */
export type Step =
  | { readonly _tag: 'Put'; readonly device: number; readonly key: string; readonly value: string; readonly tick: number }
  | { readonly _tag: 'Remove'; readonly device: number; readonly key: string; readonly tick: number }
  | { readonly _tag: 'Sync'; readonly device: number; readonly fault: Fault; readonly slipIn?: number }

/** @since 0.2.0 */
export interface History {
  /** Each device's clock offset from the history's time, in seconds. */
  readonly skews: ReadonlyArray<number>
  readonly steps: ReadonlyArray<Step>
}

/** @since 0.2.0 */
export interface HistoryOptions {
  /** How many devices; 3. */
  readonly devices?: number
  /** The keys edited, few so that devices edit the same ones; `['a', 'b']`. */
  readonly keys?: ReadonlyArray<string>
  /** The values put; small strings from a small pool (the empty string and a space among them) by default. */
  readonly values?: fc.Arbitrary<string>
  /** The faults syncs may meet; none by default. `true` for all of them. */
  readonly faults?: boolean | ReadonlyArray<Exclude<Fault, 'none'>>
  /** Whether syncs may meet writes of other devices slipping in (409s); as `faults` is set. */
  readonly slipIns?: boolean
  /** The largest clock skew of a device, in seconds; 0. */
  readonly maxSkew?: number
  /** The most steps; 12. */
  readonly maxSteps?: number
  /**
   * Whether devices delete keys; true. False for a strategy lawful over values only, such as `maxValue`:
   * its fallback decides a conflict with a delete, and the two together are not associative, so which
   * write survives depends on the order devices sync in. @since 0.3.0
   */
  readonly deletes?: boolean
}

/**
 * Values from a small pool, so that equal values on several devices are common.
 *
 * @example
 * import fc from 'fast-check'
 * import { simulatedValue } from 'cognito-reconcile/testkit'
 * assert.ok(fc.sample(simulatedValue, 100).includes(''))
 *
 * @since 0.2.0
 */
export const simulatedValue: fc.Arbitrary<string> = fc.oneof(fc.constantFrom('', ' ', 'x', 'y', '0', '1', '10'), fc.string({ maxLength: 3, unit: 'grapheme' }))

/**
 * Histories of a fleet: puts and deletes of the same few keys on several devices, and syncs in any
 * order, with the faults and clock skews asked for. Shrinks towards fewer steps, fewer faults and
 * earlier devices.
 *
 * @example
 * import fc from 'fast-check'
 * import { history } from 'cognito-reconcile/testkit'
 * const [sample] = fc.sample(history({ devices: 2, faults: true, maxSteps: 5 }), { numRuns: 1, seed: 1 })
 * assert.ok(sample !== undefined && sample.skews.length === 2 && sample.steps.length <= 5)
 *
 * @since 0.2.0
 */
export const history = (options: HistoryOptions = {}): fc.Arbitrary<History> => {
  const devices = Math.max(1, options.devices ?? 3)
  const keys = options.keys ?? ['a', 'b']
  const allowed = options.faults === true ? faults : options.faults === false || options.faults === undefined ? [] : options.faults
  const slipIns = (options.slipIns ?? allowed.length > 0) && devices > 1
  const maxSkew = options.maxSkew ?? 0
  const device = fc.nat(devices - 1)
  const key = fc.constantFrom(...keys)
  const tick = fc.constantFrom(1, 0, 2)
  const fault: fc.Arbitrary<Fault> = allowed.length === 0 ? fc.constant('none') : fc.oneof(fc.constant('none' as const), fc.constantFrom(...allowed))
  const sync: fc.Arbitrary<Step> = slipIns
    ? fc
        .record({ device, fault, slipIn: fc.option(device, { nil: undefined, freq: 3 }) })
        .map(({ device, fault, slipIn }) => ({ _tag: 'Sync', device, fault, ...(slipIn !== undefined && slipIn !== device && { slipIn }) }))
    : fc.record({ device, fault }).map(({ device, fault }) => ({ _tag: 'Sync', device, fault }))
  const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 3, arbitrary: fc.record({ device, key, value: options.values ?? simulatedValue, tick }).map((s): Step => ({ _tag: 'Put', ...s })) },
    ...(options.deletes === false ? [] : [{ weight: 1, arbitrary: fc.record({ device, key, tick }).map((s): Step => ({ _tag: 'Remove', ...s })) }]),
    { weight: 3, arbitrary: sync },
  )
  return fc.record({
    skews: fc.array(fc.integer({ min: -maxSkew, max: maxSkew }), { minLength: devices, maxLength: devices }),
    steps: fc.array(step, { minLength: 1, maxLength: Math.max(1, options.maxSteps ?? 12), size: 'medium' }),
  })
}

/**
 * A device's name in scripts and reports: A, B, C, … then D26, D27, ….
 *
 * @example
 * import { deviceName } from 'cognito-reconcile/testkit'
 * assert.deepStrictEqual([0, 1, 25, 26].map(deviceName), ['A', 'B', 'Z', 'D26'])
 *
 * @since 0.2.0
 */
export const deviceName = (device: number): string => (device < 26 ? String.fromCharCode(65 + device) : `D${device}`)

const faultNotes: Record<Exclude<Fault, 'none'>, string> = {
  lostAnswer: 'its UpdateRecords commits but the answer is lost',
  throttled: 'the next 2 ListRecords are throttled (429)',
  serverError: 'the next UpdateRecords fails with a 500, changing nothing',
  crash: 'the device crashes once its UpdateRecords has committed',
}

/**
 * One step as a line of a script.
 *
 * @example
 * import { showStep } from 'cognito-reconcile/testkit'
 * assert.strictEqual(showStep({ _tag: 'Put', device: 0, key: 'a', value: ' ', tick: 1 }), 'A puts "a" = " " (+1 s)')
 * assert.strictEqual(showStep({ _tag: 'Sync', device: 1, fault: 'none', slipIn: 0 }), 'B syncs; A syncs in full between its ListRecords and UpdateRecords')
 *
 * @since 0.2.0
 */
export const showStep = (step: Step): string => {
  const who = deviceName(step.device)
  switch (step._tag) {
    case 'Put':
      return `${who} puts ${showString(step.key)} = ${showString(step.value)} (+${step.tick} s)`
    case 'Remove':
      return `${who} deletes ${showString(step.key)} (+${step.tick} s)`
    case 'Sync': {
      const notes = [
        ...(step.slipIn === undefined ? [] : [`${deviceName(step.slipIn)} syncs in full between its ListRecords and UpdateRecords`]),
        ...(step.fault === 'none' ? [] : [faultNotes[step.fault]]),
      ]
      return notes.length === 0 ? `${who} syncs` : `${who} syncs; ${notes.join('; ')}`
    }
  }
}

/**
 * A history as a numbered script, the clock skews first when there are any.
 *
 * @example
 * import { showHistory } from 'cognito-reconcile/testkit'
 * const script = showHistory({ skews: [0, 0], steps: [{ _tag: 'Remove', device: 1, key: 'a', tick: 0 }, { _tag: 'Sync', device: 1, fault: 'lostAnswer' }] })
 * assert.strictEqual(script, '1. B deletes "a" (+0 s)\n2. B syncs; its UpdateRecords commits but the answer is lost')
 *
 * @since 0.2.0
 */
export const showHistory = (h: History): string => {
  const skewed = h.skews.flatMap((skew, device) => (skew === 0 ? [] : [`${deviceName(device)}'s clock is ${skew > 0 ? '+' : ''}${skew} s off`]))
  const lines = h.steps.map((step, i) => `${i + 1}. ${showStep(step)}`)
  return [...(skewed.length === 0 ? [] : [`(${skewed.join(', ')})`]), ...(lines.length === 0 ? ['(no steps)'] : lines)].join('\n')
}
