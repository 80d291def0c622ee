/**
 * Three-way, per-field merges of record values that are JSON objects (settings, profiles): one
 * device's change to `theme` and another's to `volume` both survive.
 *
 * @since 0.2.0
 */
import * as O from 'fp-ts/lib/Option.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as RA from 'fp-ts/lib/ReadonlyArray.js'
import * as T from 'fp-ts/lib/Task.js'
import { type Conflict, type Decision, type Version, resolutionFor } from '../src/Conflict.js'
import type { Content } from '../src/codecs.js'
import { type Json, type JsonObject, canonicalJson, isJsonObject, parseJson } from '../src/Json.js'
import { type Combined, type Law, type Strategy, type SyncStrategy, allLaws, allSync, commonLaws, decideTask } from '../src/Strategy.js'
import { lastWriterWins } from './lastWriterWins.js'
import { orElse } from './orElse.js'

/** @since 0.2.0 */
export interface JsonObjectOptions<S extends Strategy = Strategy> {
  /** The strategy of each named field, for a field changed differently on both sides. */
  readonly fields?: Readonly<Record<string, S>>
  /** The strategy of every field not named in `fields`; `lastWriterWins` by default. */
  readonly default?: S
  /**
   * The strategy of whole values that cannot merge field by field: a side that is not a JSON object
   * (a delete included), a conflict without a base, or a field strategy that declined; `lastWriterWins`
   * by default.
   */
  readonly fallback?: S
}

/**
 * A strategy built by `jsonObject`; `fieldStrategyOf(field)` is the strategy that decides `field`.
 *
 * @since 0.2.0
 */
export type JsonObjectStrategy<S extends Strategy> = Combined<S> & { readonly fieldStrategyOf: (field: string) => Strategy }

// the merge, planned before any field strategy runs (they may be asynchronous)

/** A merged value, with holes (`Ask`) where a field strategy must decide. `undefined`: no such field. */
type Merged =
  | { readonly _tag: 'Value'; readonly value: Json | undefined }
  | { readonly _tag: 'Object'; readonly fields: ReadonlyArray<readonly [string, Merged]> }
  | { readonly _tag: 'Ask'; readonly index: number; readonly local: Json | undefined; readonly remote: Json | undefined }

interface Ask {
  readonly strategy: Strategy
  readonly conflict: Conflict
}

const empty: JsonObject = new Map()

const textOf = (json: Json | undefined): Content => (json === undefined ? null : canonicalJson(json))

const same = (a: Json | undefined, b: Json | undefined): boolean => a === b || (a !== undefined && b !== undefined && canonicalJson(a) === canonicalJson(b))

/** How nested objects under a field merge: by the field strategy's own fields if it is a `jsonObject`, else all by it. */
const nestedOf = (strategy: Strategy): ((field: string) => Strategy) =>
  'fieldStrategyOf' in strategy && typeof strategy.fieldStrategyOf === 'function' ? (strategy.fieldStrategyOf as (field: string) => Strategy) : () => strategy

const sideOf = (version: Version, content: Content): Version => ({ ...version, content })

/**
 * Merges the fields of three objects: a field changed on one side only takes that side (its removal
 * included); a field changed on both sides alike takes the change; a field changed differently is an
 * `Ask` of its strategy, or, when it is an object on both sides (and in the base, if there), merges
 * the same way.
 */
const mergeObjects = (conflict: Conflict, strategyOf: (field: string) => Strategy, base: JsonObject, local: JsonObject, remote: JsonObject, asks: Array<Ask>): Merged => {
  const names = [...new Set([...local.keys(), ...remote.keys()])]
  const fields = names.map((name): readonly [string, Merged] => {
    const b = base.get(name)
    const l = local.get(name)
    const r = remote.get(name)
    if (same(l, r)) return [name, { _tag: 'Value', value: l }]
    if (same(l, b)) return [name, { _tag: 'Value', value: r }]
    if (same(r, b)) return [name, { _tag: 'Value', value: l }]
    const strategy = strategyOf(name)
    if (isJsonObject(l) && isJsonObject(r) && (b === undefined || isJsonObject(b))) return [name, mergeObjects(conflict, nestedOf(strategy), b ?? empty, l, r, asks)]
    asks.push({
      strategy,
      conflict: { key: conflict.key, local: sideOf(conflict.local, textOf(l)), remote: sideOf(conflict.remote, textOf(r)), base: { content: textOf(b) } },
    })
    return [name, { _tag: 'Ask', index: asks.length - 1, local: l, remote: r }]
  })
  return { _tag: 'Object', fields }
}

/** The field value a field strategy's decision leaves; none for written text that is not JSON. */
const answerOf = (merged: Merged & { readonly _tag: 'Ask' }, decision: Decision): O.Option<Json | undefined> => {
  const { resolution } = decision
  if (resolution._tag === 'KeepLocal') return O.some(merged.local)
  if (resolution._tag === 'TakeRemote') return O.some(merged.remote)
  return resolution.content === null ? O.some(undefined) : parseJson(resolution.content)
}

const fill = (merged: Merged, decisions: ReadonlyArray<Decision>): O.Option<Json | undefined> => {
  switch (merged._tag) {
    case 'Value':
      return O.some(merged.value)
    case 'Ask':
      return answerOf(merged, decisions[merged.index] as Decision)
    case 'Object': {
      const object = new Map<string, Json>()
      for (const [name, field] of merged.fields) {
        const value = fill(field, decisions)
        if (O.isNone(value)) return O.none
        if (value.value !== undefined) object.set(name, value.value)
      }
      return O.some(object)
    }
  }
}

/** The three sides as objects: a base that is a tombstone is an empty object (the record did not exist). */
const objectsOf = ({ base, local, remote }: Conflict): O.Option<readonly [JsonObject, JsonObject, JsonObject]> => {
  if (base === undefined || local.content === null || remote.content === null) return O.none
  const asObject = (content: string): O.Option<JsonObject> => pipe(parseJson(content), O.filter(isJsonObject))
  return pipe(
    O.Do,
    O.apS('b', base.content === null ? O.some(empty) : asObject(base.content)),
    O.apS('l', asObject(local.content)),
    O.apS('r', asObject(remote.content)),
    O.map(({ b, l, r }) => [b, l, r] as const),
  )
}

const NAME = 'jsonObject'

const decisionOf = (conflict: Conflict, merged: Merged, decisions: ReadonlyArray<O.Option<Decision>>): O.Option<Decision> =>
  pipe(
    O.sequenceArray(decisions),
    O.chain((decided) => fill(merged, decided)),
    O.map((value) => ({ resolution: resolutionFor(conflict, value === undefined ? null : canonicalJson(value)), decidedBy: NAME })),
  )

const plan = (conflict: Conflict, strategyOf: (field: string) => Strategy): O.Option<{ readonly merged: Merged; readonly asks: ReadonlyArray<Ask> }> =>
  pipe(
    objectsOf(conflict),
    O.map(([base, local, remote]) => {
      const asks: Array<Ask> = []
      return { merged: mergeObjects(conflict, strategyOf, base, local, remote, asks), asks }
    }),
  )

/**
 * A three-way, per-field merge of values that are JSON objects, against the conflict's `base` (the
 * server version the local edit started from). Field by field:
 * - a field changed on one side only takes that side's change, its removal included;
 * - a field changed alike on both sides takes the change;
 * - a field changed differently on both sides goes to its strategy (`fields[name]`, else `default`) as
 *   a conflict of its own: each side's field value as canonical JSON text (`"dark"`, `7`, `["a"]`),
 *   `null` for an absent field, with the field's base and the record's dates. Its decision is the
 *   field's value (a written `null` removes the field);
 * - a field that is an object on both sides (and in the base, if there) merges the same way, its
 *   fields going to the field's strategy, or to that strategy's own `fields` if it is a `jsonObject`.
 *
 * The value written is canonical (fields in code-unit order, no whitespace): equal merges are
 * byte-equal on every device. A base that is a tombstone counts as an empty object. A side that is not
 * a JSON object (a delete included), a conflict without a base, or a field strategy that declines or
 * writes text that is not JSON sends the whole conflict to `fallback`. A merge over the 1 MB value
 * limit is reported by `reconcile` as `StrategyFailed`, never cut short.
 *
 * Laws, over conflicts with a base, up to canonical form: a side unchanged since the base gives the
 * other side; equal changes merge to themselves; changes to disjoint fields commute, and every merge
 * commutes when every field strategy does. As `laws` (stated without a base, so over the fallback):
 * the commutative and idempotent claims of the field strategies and the fallback.
 *
 * @example
 * import { jsonObject, maxValue } from 'cognito-reconcile/strategies'
 * import { conflictOf } from 'cognito-reconcile'
 * const settings = jsonObject({ fields: { volume: maxValue() } })
 * const base = '{"theme":"light","volume":3,"lang":"en"}'
 * const d = settings.decide(conflictOf('settings', '{"theme":"dark","volume":5,"lang":"en"}', '{"volume":7,"lang":"en","font":"big"}', base))
 * assert.ok(d._tag === 'Some' && d.value.resolution._tag === 'Write')
 * if (d._tag === 'Some' && d.value.resolution._tag === 'Write') assert.strictEqual(d.value.resolution.content, '{"font":"big","lang":"en","theme":"dark","volume":7}')
 * // without a base, the fallback (lastWriterWins) decides
 * const whole = settings.decide(conflictOf('settings', '{"theme":"dark"}', '{"volume":7}'))
 * assert.ok(whole._tag === 'Some' && whole.value.decidedBy === 'lastWriterWins')
 *
 * @since 0.2.0
 */
export const jsonObject = <S extends Strategy = typeof lastWriterWins>(options: JsonObjectOptions<S> = {}): JsonObjectStrategy<S> => {
  const fields: Readonly<Record<string, Strategy>> = options.fields ?? {}
  const byDefault: Strategy = options.default ?? lastWriterWins
  const fallback: Strategy = options.fallback ?? lastWriterWins
  const fieldStrategyOf = (field: string): Strategy => (Object.prototype.hasOwnProperty.call(fields, field) ? (fields[field] as Strategy) : byDefault)
  const fieldStrategies = [...Object.values(fields), byDefault]
  const laws: ReadonlyArray<Law> = allLaws.filter((law) => law === 'idempotent' || (law === 'commutative' && commonLaws(fieldStrategies).includes('commutative')))
  const threeWay: Strategy = allSync(fieldStrategies)
    ? {
        effect: 'sync',
        name: NAME,
        laws,
        decide: (conflict) =>
          pipe(
            plan(conflict, fieldStrategyOf),
            // every field strategy is synchronous here, nested ones included (a jsonObject is only when its fields are)
            O.chain(({ merged, asks }) => decisionOf(conflict, merged, asks.map(({ strategy, conflict }) => (strategy as SyncStrategy).decide(conflict)))),
          ),
      }
    : {
        effect: 'async',
        name: NAME,
        laws,
        decide: (conflict) =>
          pipe(
            plan(conflict, fieldStrategyOf),
            O.match(
              () => T.of(O.none),
              ({ merged, asks }) =>
                pipe(
                  asks,
                  RA.map(({ strategy, conflict }) => decideTask(strategy)(conflict)),
                  T.sequenceSeqArray,
                  T.map((decisions) => decisionOf(conflict, merged, decisions)),
                ),
            ),
          ),
      }
  return { ...orElse(threeWay, fallback), name: NAME, fieldStrategyOf } as JsonObjectStrategy<S>
}
