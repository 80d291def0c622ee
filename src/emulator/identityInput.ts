/**
 * Input checks of the two Cognito Identity operations, worded as the service words them. Cognito
 * Identity validates members against the model before the operation runs and answers 400
 * `ValidationException` with one sentence for all the violations, e.g. `1 validation error detected:
 * Value 'x' at 'identityPoolId' failed to satisfy constraint: Member must satisfy regular expression
 * pattern: [\w-]+:[0-9a-f-]+` (seen in service answers quoted in aws-amplify/amplify-swift #2864 and
 * aws/amazon-freertos #1829). A body that is not a JSON object is `SerializationException`.
 *
 * @since 0.2.0
 */
import { serviceError, type ServiceError } from './errors.js'

/** A constraint of the model on a string member: length range and pattern. */
interface StringRule {
  readonly min: number
  readonly max: number
  readonly pattern?: RegExp
}

/** @since 0.2.0 */
export const rules = {
  identityPoolId: { min: 1, max: 55, pattern: /^[\w-]+:[0-9a-f-]+$/ },
  identityId: { min: 1, max: 55, pattern: /^[\w-]+:[0-9a-f-]+$/ },
  accountId: { min: 1, max: 15, pattern: /^\d+$/ },
  customRoleArn: { min: 20, max: 2048 },
  loginProvider: { min: 1, max: 128 },
  loginToken: { min: 1, max: 50_000 },
} satisfies Record<string, StringRule>

/** The Cognito Identity errors: every client error is a 400 in this JSON 1.1 service. @since 0.2.0 */
export const identityError = (type: string, message: string): ServiceError => serviceError(type, message, 400)

/** Collects the violations of one request, then throws them as one `ValidationException`. */
export interface Violations {
  readonly string: (value: unknown, at: string, rule: StringRule, required: boolean) => string | undefined
  readonly logins: (value: unknown) => ReadonlyMap<string, string>
  readonly done: () => void
}

const shown = (value: unknown): string => (typeof value === 'string' ? `'${value}'` : value === undefined ? 'null' : JSON.stringify(value))

/**
 * @example
 * import { violations, rules } from './identityInput.js'
 * const v = violations()
 * v.string('nope', 'identityPoolId', rules.identityPoolId, true)
 * assert.throws(() => v.done(), {
 *   type: 'ValidationException',
 *   message: /^1 validation error detected: Value 'nope' at 'identityPoolId' failed to satisfy constraint: /,
 * })
 *
 * @since 0.2.0
 */
export const violations = (): Violations => {
  const found: string[] = []
  const fail = (value: unknown, at: string, constraint: string) =>
    found.push(`Value ${shown(value)} at '${at}' failed to satisfy constraint: ${constraint}`)
  const string: Violations['string'] = (value, at, rule, required) => {
    if (value === undefined || value === null) {
      if (required) fail(undefined, at, 'Member must not be null')
      return undefined
    }
    if (typeof value !== 'string') {
      found.push(`Value at '${at}' must be a string`)
      return undefined
    }
    if (value.length < rule.min) fail(value, at, `Member must have length greater than or equal to ${rule.min}`)
    else if (value.length > rule.max) fail(value, at, `Member must have length less than or equal to ${rule.max}`)
    else if (rule.pattern !== undefined && !rule.pattern.test(value)) {
      fail(value, at, `Member must satisfy regular expression pattern: ${rule.pattern.source.slice(1, -1)}`)
    } else return value
    return undefined
  }
  return {
    string,
    logins: (value) => {
      if (value === undefined || value === null) return new Map()
      if (typeof value !== 'object' || Array.isArray(value)) {
        found.push("Value at 'logins' must be a map of provider names to tokens")
        return new Map()
      }
      const entries = Object.entries(value as Record<string, unknown>)
      if (entries.length > 10) fail('{…}', 'logins', 'Member must have length less than or equal to 10')
      const checked = entries.flatMap(([provider, token]) => {
        const p = string(provider, 'logins', rules.loginProvider, true)
        const t = string(token, `logins.${provider}.member`, rules.loginToken, true)
        return p === undefined || t === undefined ? [] : [[p, t] as const]
      })
      return new Map(checked)
    },
    done: () => {
      if (found.length === 0) return
      const n = found.length
      throw identityError('ValidationException', `${n} validation error${n === 1 ? '' : 's'} detected: ${found.join('; ')}`)
    },
  }
}

/**
 * The JSON object of a request body; an empty body is `{}`.
 *
 * @since 0.2.0
 */
export const identityBody = (raw: Buffer): Record<string, unknown> => {
  let parsed: unknown = {}
  try {
    if (raw.length > 0) parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw))
  } catch {
    parsed = undefined
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw identityError('SerializationException', 'The request body is not a JSON object')
  }
  return parsed as Record<string, unknown>
}
