/**
 * `reconcile` merges local state with a listing from the server. It is pure and total: no IO, no clock
 * (`now` is an input), no randomness, no exceptions; the same input gives the same output on every
 * device.
 *
 * The rules, per key:
 * 1. A remote record for a key absent here, or clean here and older, is adopted: no patch. A remote
 *    tombstone becomes a clean local tombstone.
 * 2. A local edit whose server version is unchanged (absent from the incremental listing, or listed with
 *    the same SyncCount) becomes a patch carrying that base SyncCount (0 for a key the server never had).
 *    An edit whose content already equals the server's is settled instead: no patch. An edit back to
 *    the content it started from (the delete of a key never seen on the server included) changes
 *    nothing: it is dropped, and never competes with a remote change, so the outcome does not depend
 *    on the order devices sync in.
 * 3. A local edit facing a newer remote version with equal content (two tombstones are equal) is not a
 *    conflict: the remote version is adopted and the edit dropped. Other content is a conflict.
 * 4. The strategy keeps the local edit (patched with the remote SyncCount), takes the remote version,
 *    or writes new content (stamped causally after both sides, patched with the remote SyncCount).
 *    A resolved delete stays a delete.
 * 5. Every remote change is folded into the next state, conflicting or not, before patches are built.
 * 6. A version this device sent without seeing the answer is recognised when it is listed: it landed,
 *    it is no conflict, and an edit made since is pushed on top of it (`confirmed`).
 * 7. A remote SyncCount below the local base (a reset or re-created dataset) is reported in
 *    `regressions` and that key is left alone; if the dataset's own count went back, nothing is merged.
 * `lastSyncCount` advances to the listing's DatasetSyncCount only when every remote change was folded
 * in: never past an unresolved conflict or a regression, which would hide them for ever.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import type { Option } from 'fp-ts/lib/Option.js'
import * as A from 'fp-ts/lib/ReadonlyArray.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { type Content, type RecordKey, RecordValue, type SyncCount } from './codecs.js'
import { type Refusal, decodeErrorOf } from './DecodeError.js'
import { declined } from './decision.js'
import { isObject } from './objectCodec.js'
import { type Conflict, type Decision, type Resolution, resolvedContent } from './Conflict.js'
import { type LocalRecord, type LocalState, type ServerVersion, baseSyncCount, serverVersionOf } from './LocalRecord.js'
import type { Draft } from './PersistentMap.js'
import { draftRecord, persistentRecords } from './recordMap.js'
import { causalStamp } from './LocalWrite.js'
import { type Edited, type Plan, type Visitor, datasetRegression, keysToVisit, latestByKey, plan, replay, touchedKeys, visit } from './plan.js'
import { type RecordPatch, patchFor } from './RecordPatch.js'
import { type Listing, type RemoteRecord, remoteContent } from './RemoteRecord.js'
import type { AsyncStrategy, Strategy, SyncStrategy } from './Strategy.js'

// model

/** @since 0.1.0 */
export interface ReconcileInput {
  readonly local: LocalState
  readonly listing: Listing
  /** The device clock, used only to stamp content a strategy writes. */
  readonly now: Date
}

/** A conflict, how it was resolved, and by which strategy. @since 0.1.0 */
export interface ResolvedConflict {
  readonly conflict: Conflict
  readonly resolution: Resolution
  readonly decidedBy: string
}

/**
 * A sync count that went backwards: the server forgot what this device saw (a reset, or a dataset
 * deleted and re-created).
 *
 * @since 0.1.0
 */
export type Regression =
  | { readonly _tag: 'RecordRegressed'; readonly key: RecordKey; readonly localSyncCount: SyncCount; readonly remoteSyncCount: SyncCount }
  | { readonly _tag: 'DatasetRegressed'; readonly lastSyncCount: SyncCount; readonly datasetSyncCount: SyncCount }

/** @since 0.1.0 */
export interface Reconciliation {
  /** The patches for UpdateRecords, in key order. */
  readonly patches: ReadonlyArray<RecordPatch>
  /** The local state with every remote change folded in, before the push. */
  readonly next: LocalState
  /** The remote changes adopted without conflict. */
  readonly adopted: ReadonlyArray<RemoteRecord>
  readonly conflicts: ReadonlyArray<ResolvedConflict>
  /** Conflicts no strategy decided: their local edits stay pending and `lastSyncCount` stays put. */
  readonly unresolved: ReadonlyArray<Conflict>
  readonly regressions: ReadonlyArray<Regression>
  /** Keys whose listed version is one this device sent without seeing the answer: it landed. */
  readonly confirmed: ReadonlyArray<RecordKey>
  readonly mustPush: boolean
}

/**
 * A strategy failed: it threw, its Promise rejected, or it wrote content the service would refuse.
 *
 * @since 0.1.0
 */
export interface StrategyFailed {
  readonly _tag: 'StrategyFailed'
  readonly key: RecordKey
  readonly strategy: string
  readonly message: string
  readonly cause: unknown
}

// deciding: the only part that may be asynchronous

const failed = (conflict: Conflict, strategy: string, cause: unknown, message?: string): StrategyFailed => ({
  _tag: 'StrategyFailed',
  key: conflict.key,
  strategy,
  message: message ?? `strategy ${strategy} failed on key ${conflict.key}: ${String(cause)}`,
  cause,
})

/**
 * Where an answer is not a decision (`none`, or `some` of a resolution and the name that decided), and
 * what it must be there; `undefined` for a valid answer. Written out rather than an io-ts codec: it
 * runs once per conflict, and the codec would cost a browser bundle more than this.
 */
const refusalOf = (u: unknown): Refusal | undefined => {
  if (!isObject(u) || (u._tag !== 'None' && u._tag !== 'Some')) return { path: '', expected: 'Option', rule: 'be none or some decision', got: u }
  if (u._tag === 'None') return undefined
  const value = u.value
  if (!isObject(value)) return { path: 'value', expected: 'Decision', rule: 'be { resolution, decidedBy }', got: value }
  const resolution = value.resolution
  if (!isObject(resolution) || (resolution._tag !== 'KeepLocal' && resolution._tag !== 'TakeRemote' && resolution._tag !== 'Write'))
    return { path: 'value.resolution', expected: 'Resolution', rule: 'be keepLocal, takeRemote or resolveWith(content)', got: resolution }
  if (resolution._tag === 'Write' && resolution.content !== null && !RecordValue.is(resolution.content))
    return { path: 'value.resolution.content', expected: 'Content', rule: 'be null or at most 1,048,575 characters', got: resolution.content }
  if (typeof value.decidedBy !== 'string') return { path: 'value.decidedBy', expected: 'string', rule: 'be text', got: value.decidedBy }
  return undefined
}

/** What a strategy's answer comes to: a decision, none, or a failure. */
type Answered = Option<Decision> | StrategyFailed

/**
 * Strategies are user code: an answer that is not a decision, or that writes content the service would
 * refuse (a value over the limit), is a failure reported here rather than a crash later.
 */
const checkAnswer = (conflict: Conflict, strategy: string, answer: Option<Decision>): Answered => {
  const refusal = refusalOf(answer)
  return refusal === undefined
    ? answer
    : failed(conflict, strategy, answer, `strategy ${strategy} answered no valid decision on key ${conflict.key}: ${decodeErrorOf('decision', [refusal]).message}`)
}

const decideSync = (strategy: SyncStrategy, conflict: Conflict): Answered => {
  let answer: Option<Decision>
  try {
    answer = strategy.decide(conflict)
  } catch (cause) {
    return failed(conflict, strategy.name, cause)
  }
  return checkAnswer(conflict, strategy.name, answer)
}

const toEither = (answered: Answered): E.Either<StrategyFailed, Option<Decision>> =>
  answered._tag === 'StrategyFailed' ? E.left(answered) : E.right(answered)

const decideAsync =
  (strategy: AsyncStrategy) =>
  (conflict: Conflict): TE.TaskEither<StrategyFailed, Option<Decision>> =>
    pipe(
      TE.tryCatch(
        () => strategy.decide(conflict)(),
        (cause) => failed(conflict, strategy.name, cause),
      ),
      TE.chainEitherK((answer) => toEither(checkAnswer(conflict, strategy.name, answer))),
    )

// building: the patches and the next state, key by key as the pass tells them

/**
 * Builds a reconciliation from the pass over the keys, deciding each conflict as it comes, and writing
 * the next state's records into a draft of the local ones as it goes: each key is told once at most, so
 * the changes never overwrite each other.
 */
class Builder implements Visitor {
  readonly patches: Array<RecordPatch> = []
  readonly adopted: Array<RemoteRecord> = []
  readonly conflicts: Array<ResolvedConflict> = []
  readonly unresolved: Array<Conflict> = []
  readonly regressions: Array<Regression> = []
  readonly confirmedKeys: Array<RecordKey> = []
  failure: StrategyFailed | undefined = undefined

  /** The draft of the local records the pass writes to: set by `build` before the pass, for the batch's duration. */
  draft!: Draft<LocalRecord>

  constructor(
    private readonly now: Date,
    private readonly decide: (conflict: Conflict) => Answered,
  ) {}

  adopt(remote: RemoteRecord): void {
    this.adopted.push(remote)
    this.settle(remote)
  }

  settle(remote: RemoteRecord): void {
    this.draft.set(remote.Key, { key: remote.Key, server: serverVersionOf(remote) })
  }

  drop({ key, server }: Edited): void {
    draftRecord(this.draft, server === undefined ? { key } : { key, server })
  }

  push(record: Edited): void {
    this.send(record.key, record.server, record.pending.content, record.pending.deviceLastModifiedDate, baseSyncCount(record))
  }

  regressed(regression: Regression): void {
    this.regressions.push(regression)
  }

  confirmed(key: RecordKey): void {
    this.confirmedKeys.push(key)
  }

  conflict(conflict: Conflict, remote: RemoteRecord, record: Edited, server: ServerVersion): boolean {
    const answer = this.decide(conflict)
    if (answer._tag === 'StrategyFailed') {
      this.failure = answer
      return false
    }
    if (answer._tag === 'None') {
      this.unresolved.push(conflict)
      return true
    }
    const { resolution, decidedBy } = answer.value
    this.conflicts.push({ conflict, resolution, decidedBy })
    const content = resolvedContent(conflict, resolution)
    if (content === remoteContent(remote)) {
      this.draft.set(remote.Key, { key: remote.Key, server })
      return true
    }
    const deviceLastModifiedDate =
      resolution._tag === 'KeepLocal'
        ? record.pending.deviceLastModifiedDate
        : causalStamp(this.now, [conflict.local.deviceLastModifiedDate, conflict.remote.deviceLastModifiedDate, conflict.remote.lastModifiedDate])
    this.send(record.key, server, content, deviceLastModifiedDate, remote.SyncCount)
    return true
  }

  /** A push: the edit remembers it was sent, in case the answer never comes. */
  private send(key: RecordKey, server: ServerVersion | undefined, content: Content, deviceLastModifiedDate: Date, syncCount: SyncCount): void {
    const pending = { content, deviceLastModifiedDate, sent: { content, deviceLastModifiedDate } }
    this.draft.set(key, server === undefined ? { key, pending } : { key, server, pending })
    this.patches.push(patchFor(key, content, syncCount, deviceLastModifiedDate))
  }

  /** The reconciliation, with `records` the draft's map once the pass is over. */
  result({ local, listing }: ReconcileInput, records: ReadonlyMap<string, LocalRecord>): Reconciliation {
    const next = records === local.records ? local : { ...local, records }
    const caughtUp = this.unresolved.length === 0 && this.regressions.length === 0
    return {
      patches: this.patches,
      next: caughtUp && next.lastSyncCount !== listing.datasetSyncCount ? { ...next, lastSyncCount: listing.datasetSyncCount } : next,
      adopted: this.adopted,
      conflicts: this.conflicts,
      unresolved: this.unresolved,
      regressions: this.regressions,
      confirmed: this.confirmedKeys,
      mustPush: this.patches.length > 0,
    }
  }
}

/** Runs `pass` on a builder, inside one batch over the local records. */
const build = (input: ReconcileInput, decide: (conflict: Conflict) => Answered, pass: (builder: Builder) => void): E.Either<StrategyFailed, Reconciliation> => {
  const builder = new Builder(input.now, decide)
  const records = persistentRecords(input.local.records).batch((draft) => {
    builder.draft = draft
    pass(builder)
  })
  return builder.failure === undefined ? E.right(builder.result(input, records)) : E.left(builder.failure)
}

const conflictsOf = (p: Plan): ReadonlyArray<Conflict> => {
  const conflicts: Array<Conflict> = []
  for (const step of p.steps) if (step._tag === 'Conflict') conflicts.push(step.conflict)
  return conflicts
}

// the entry points

/**
 * Reconciles with a synchronous strategy.
 *
 * @example
 * import { reconcile, put, emptyState } from 'cognito-reconcile'
 * import { lastWriterWins } from 'cognito-reconcile/strategies'
 * import * as E from 'fp-ts/lib/Either.js'
 * const local = put('score', '10', new Date(2000))(emptyState)
 * assert.ok(E.isRight(local))
 * if (E.isRight(local)) {
 *   const listing = { records: [{ Key: 'score', Value: '7', SyncCount: 1, LastModifiedDate: new Date(1000) }], datasetSyncCount: 1 }
 *   const result = reconcile(lastWriterWins)({ local: local.right, listing, now: new Date(3000) })
 *   assert.ok(E.isRight(result))
 *   if (E.isRight(result)) {
 *     assert.deepStrictEqual(result.right.patches.map((p) => [p.Op, p.Key, p.Value, p.SyncCount]), [['replace', 'score', '10', 1]])
 *     assert.strictEqual(result.right.conflicts[0]?.decidedBy, 'lastWriterWins')
 *   }
 * }
 *
 * @since 0.1.0
 */
export const reconcile = (strategy: SyncStrategy): ((input: ReconcileInput) => E.Either<StrategyFailed, Reconciliation>) => {
  const decide = (conflict: Conflict): Answered => decideSync(strategy, conflict)
  return (input) =>
    build(input, decide, (builder) => {
      const regression = datasetRegression(input)
      if (regression !== undefined) return builder.regressed(regression)
      const remotes = latestByKey(input.listing.records)
      visit(input, keysToVisit(input.local, remotes), remotes, builder, builder.draft)
    })
}

/**
 * Reconciles with any strategy, asynchronous ones included. Conflicts are decided one at a time in key
 * order, so a resolver that asks a person sees one question at a time, in the same order everywhere.
 *
 * @example
 * import { reconcileTask, stateOf } from 'cognito-reconcile'
 * import { customAsync, keepLocal } from 'cognito-reconcile/strategies'
 * import * as E from 'fp-ts/lib/Either.js'
 * const local = stateOf([{ key: 'k', server: { content: 'a', syncCount: 1 }, pending: { content: 'mine', deviceLastModifiedDate: new Date(5) } }], 1)
 * const listing = { records: [{ Key: 'k', Value: 'theirs', SyncCount: 2 }], datasetSyncCount: 2 }
 * const askUser = customAsync('askUser', async () => keepLocal)
 * const result = await reconcileTask(askUser)({ local, listing, now: new Date(6) })()
 * assert.ok(E.isRight(result) && result.right.patches[0]?.Value === 'mine' && result.right.patches[0]?.SyncCount === 2)
 *
 * @since 0.1.0
 */
export const reconcileTask =
  (strategy: Strategy) =>
  (input: ReconcileInput): TE.TaskEither<StrategyFailed, Reconciliation> => {
    // a synchronous strategy decides during the pass, as in reconcile: asked nothing after a failure
    if (strategy.effect === 'sync') return () => Promise.resolve(reconcile(strategy)(input))
    const p = plan(input, touchedKeys(input))
    return pipe(
      conflictsOf(p),
      A.map(decideAsync(strategy)),
      TE.sequenceSeqArray,
      TE.chainEitherK((decisions) => {
        let next = 0
        return build(input, () => decisions[next++] ?? declined, (builder) => replay(p, builder))
      }),
    )
  }

