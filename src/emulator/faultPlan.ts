/**
 * Faults as data, set when the emulator starts: what `FaultControls` sets at run time, written as a
 * value (the `faults` option) or as JSON (the CLI's `--faults-file`), and the CLI's short forms
 * (`--fail`, `--latency`, `--throttle`). Anything malformed is refused with a message naming it.
 *
 * @since 0.2.0
 */
import type { FailureSpec, FaultControls, ThrottleSpec } from './faults.js'
import { isOperationName, type OperationName } from './routes.js'

/**
 * @example
 * import { startEmulator, type FaultPlan } from 'cognito-reconcile/emulator'
 * import { CognitoSyncClient, ListRecordsCommand } from '@aws-sdk/client-cognito-sync'
 *
 * const plan: FaultPlan = {
 *   failNext: [{ operation: 'ListRecords', errorType: 'InternalErrorException', count: 2 }],
 *   latency: [{ ms: 200, operation: 'UpdateRecords' }],
 *   throttle: { ratePerSecond: 5 },
 * }
 * const emulator = await startEmulator({ faults: plan })
 * const client = new CognitoSyncClient({
 *   region: 'us-east-1',
 *   endpoint: emulator.endpoint,
 *   credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
 *   maxAttempts: 1,
 * })
 * const list = new ListRecordsCommand({ IdentityPoolId: 'us-east-1:1111', IdentityId: 'us-east-1:aaaa', DatasetName: 'settings' })
 * await assert.rejects(client.send(list), { name: 'InternalErrorException' })
 * await assert.rejects(client.send(list), { name: 'InternalErrorException' })
 * assert.strictEqual((await client.send(list)).DatasetSyncCount, 0) // the third call passes
 * assert.deepStrictEqual(emulator.calls().map((call) => call.fault), ['fail', 'fail', undefined])
 * client.destroy()
 * await emulator.close()
 *
 * @since 0.2.0
 */
export interface FaultPlan {
  readonly failNext?: readonly (FailureSpec & { readonly operation: OperationName })[]
  readonly dropAfterCommit?: number
  readonly holdAfterCommit?: { readonly ms: number; readonly count?: number }
  readonly latency?: readonly { readonly ms: number; readonly operation?: OperationName }[]
  readonly throttle?: ThrottleSpec
}

/** Sets every fault of `plan`. @since 0.2.0 */
export const applyFaultPlan = (controls: FaultControls, plan: FaultPlan): void => {
  for (const { operation, ...failure } of plan.failNext ?? []) controls.failNext(operation, failure)
  if (plan.dropAfterCommit !== undefined) controls.dropAfterCommit(plan.dropAfterCommit)
  if (plan.holdAfterCommit !== undefined) controls.holdAfterCommit(plan.holdAfterCommit.ms, plan.holdAfterCommit.count)
  for (const { ms, operation } of plan.latency ?? []) controls.setLatency(ms, operation)
  if (plan.throttle !== undefined) controls.throttle(plan.throttle)
}

const fail = (what: string): never => {
  throw new Error(`faults: ${what}`)
}

const record = (u: unknown, at: string): Record<string, unknown> =>
  typeof u === 'object' && u !== null && !Array.isArray(u) ? (u as Record<string, unknown>) : fail(`${at} must be an object`)

const count = (u: unknown, at: string): number =>
  typeof u === 'number' && Number.isInteger(u) && u >= 0 ? u : fail(`${at} must be a non-negative integer`)

const optional = <A>(o: Record<string, unknown>, key: string, read: (u: unknown, at: string) => A, at: string): A | undefined =>
  o[key] === undefined ? undefined : read(o[key], `${at}.${key}`)

const operation = (u: unknown, at: string): OperationName =>
  typeof u === 'string' && isOperationName(u) ? u : fail(`${at} must be an operation name such as UpdateRecords`)

const text = (u: unknown, at: string): string => (typeof u === 'string' && u !== '' ? u : fail(`${at} must be a non-empty string`))

const list = <A>(u: unknown, at: string, item: (v: unknown, at: string) => A): A[] =>
  Array.isArray(u) ? u.map((v, i) => item(v, `${at}[${i}]`)) : fail(`${at} must be a list`)

/** `A` with its members that may be `undefined` made optional instead. */
type Defined<A> = { [K in keyof A as undefined extends A[K] ? never : K]: A[K] } & {
  [K in keyof A as undefined extends A[K] ? K : never]?: Exclude<A[K], undefined>
}

/** Leaves out the members that are `undefined`, as `exactOptionalPropertyTypes` wants. */
const defined = <A extends object>(a: A): Defined<A> =>
  Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)) as Defined<A>

const failureOf = (u: unknown, at: string): FailureSpec & { operation: OperationName } => {
  const o = record(u, at)
  return defined({
    operation: operation(o['operation'], `${at}.operation`),
    errorType: text(o['errorType'], `${at}.errorType`),
    status: optional(o, 'status', count, at),
    message: optional(o, 'message', text, at),
    count: optional(o, 'count', count, at),
  })
}

const latencyOf = (u: unknown, at: string): { ms: number; operation?: OperationName } => {
  const o = record(u, at)
  return defined({ ms: count(o['ms'], `${at}.ms`), operation: optional(o, 'operation', operation, at) })
}

const throttleOf = (u: unknown, at: string): ThrottleSpec => {
  const o = record(u, at)
  return defined({ ratePerSecond: count(o['ratePerSecond'], `${at}.ratePerSecond`), burst: optional(o, 'burst', count, at) })
}

/**
 * Reads a fault plan from parsed JSON, or throws saying what is wrong.
 *
 * @example
 * import { faultPlan } from './faultPlan.js'
 * assert.deepStrictEqual(faultPlan({ dropAfterCommit: 1 }), { dropAfterCommit: 1 })
 * assert.throws(() => faultPlan({ dropAfterCommits: 1 }), /unknown member dropAfterCommits/)
 *
 * @since 0.2.0
 */
export const faultPlan = (u: unknown): FaultPlan => {
  const o = record(u, 'the plan')
  const known = new Set(['failNext', 'dropAfterCommit', 'holdAfterCommit', 'latency', 'throttle'])
  for (const key of Object.keys(o)) if (!known.has(key)) fail(`unknown member ${key}; use ${[...known].join(', ')}`)
  const hold = o['holdAfterCommit'] === undefined ? undefined : record(o['holdAfterCommit'], 'holdAfterCommit')
  return defined({
    failNext: optional(o, 'failNext', (v, at) => list(v, at, failureOf), ''),
    dropAfterCommit: optional(o, 'dropAfterCommit', count, ''),
    holdAfterCommit: hold === undefined ? undefined : defined({ ms: count(hold['ms'], 'holdAfterCommit.ms'), count: optional(hold, 'count', count, 'holdAfterCommit') }),
    latency: optional(o, 'latency', (v, at) => list(v, at, latencyOf), ''),
    throttle: optional(o, 'throttle', throttleOf, ''),
  })
}

const number = (s: string | undefined, what: string): number => {
  if (s === undefined || !/^[0-9]+$/.test(s)) fail(`${what} must be a non-negative integer`)
  return Number(s)
}

/**
 * The CLI's short forms: `--fail Operation:ErrorType[:count]`, `--latency ms[:Operation]`,
 * `--throttle rate[:burst]`.
 *
 * @example
 * import { shortFaults } from './faultPlan.js'
 * assert.deepStrictEqual(shortFaults(['UpdateRecords:InternalErrorException:2'], ['200:ListRecords'], '5:10'), {
 *   failNext: [{ operation: 'UpdateRecords', errorType: 'InternalErrorException', count: 2 }],
 *   latency: [{ ms: 200, operation: 'ListRecords' }],
 *   throttle: { ratePerSecond: 5, burst: 10 },
 * })
 *
 * @since 0.2.0
 */
export const shortFaults = (fails: readonly string[], latencies: readonly string[], throttle: string | undefined): FaultPlan => ({
  failNext: fails.map((spec) => {
    const [op = '', errorType = '', n, ...rest] = spec.split(':')
    if (rest.length > 0 || errorType === '') fail(`--fail ${spec} must look like UpdateRecords:InternalErrorException[:count]`)
    return { operation: operation(op, '--fail'), errorType, ...(n === undefined ? {} : { count: number(n, '--fail count') }) }
  }),
  latency: latencies.map((spec) => {
    const [ms, op, ...rest] = spec.split(':')
    if (rest.length > 0) fail(`--latency ${spec} must look like 200 or 200:ListRecords`)
    return { ms: number(ms, '--latency'), ...(op === undefined ? {} : { operation: operation(op, '--latency') }) }
  }),
  ...(throttle === undefined
    ? {}
    : (() => {
        const [rate, burst, ...rest] = throttle.split(':')
        if (rest.length > 0) fail(`--throttle ${throttle} must look like 5 or 5:10`)
        return { throttle: { ratePerSecond: number(rate, '--throttle'), ...(burst === undefined ? {} : { burst: number(burst, '--throttle burst') }) } }
      })()),
})
