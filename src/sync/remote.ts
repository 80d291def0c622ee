/**
 * The calls the adapter makes (a sync's two, and DeleteDataset), through the caller's
 * `CognitoSyncClient`, each response decoded with io-ts before anything reads it. Errors come back
 * classified (`Failure`), never thrown.
 *
 * UpdateRecords is not idempotent: a replay after a committed attempt whose response was lost meets
 * its own write as a 409. So this module sends it with the SDK's retry middleware replaced by a
 * pass-through, on that one command only: the SDK makes exactly one attempt, and the adapter decides
 * what to do next (list again, never resend blindly). ListRecords and DeleteDataset keep the client's
own retries: a DeleteDataset replayed after one that committed meets ResourceNotFound, which
`deleteDataset` takes as done.
 *
 * @since 0.1.0
 */
import type * as Sdk from '@aws-sdk/client-cognito-sync'
import type { CognitoSyncClient } from '@aws-sdk/client-cognito-sync'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import * as t from 'io-ts'
import type { ClientContext, DatasetName, DeviceId, IdentityId, SyncCount } from '../codecs.js'
import { SyncCount as SyncCountC } from '../codecs.js'
import { issuesOf } from '../DecodeError.js'
import type { RecordPatch } from '../RecordPatch.js'
import { RemoteRecord } from '../RemoteRecord.js'
import type { Cancel } from './cancel.js'
import { type Operation, type ResponseMetadata, malformedResponse } from './errors.js'
import { type Failure, classify, responseMetadata } from './failure.js'

// The SDK's command classes load with the first call, not with this module: an app that imports
// 'cognito-reconcile/sync' for its stores and datasets needs no AWS SDK installed. Asked for once:
// every import() resolves the module again, through any loader hooks too (tsx's cost 0.2-0.5 ms a call).
let loadingSdk: Promise<typeof Sdk> | undefined
const sdk = (): Promise<typeof Sdk> => (loadingSdk ??= import('@aws-sdk/client-cognito-sync'))

/** Where a dataset lives on the service. @since 0.1.0 */
export interface DatasetAddress {
  readonly client: CognitoSyncClient
  readonly identityPoolId: IdentityId
  readonly identityId: IdentityId
  readonly datasetName: DatasetName
}

/**
 * One ListRecords page, decoded. JSON `null` reaches us as an absent member (the SDK drops it), hence
 * the optional members.
 *
 * @since 0.1.0
 */
export const ListRecordsPage = t.intersection(
  [
    t.type({ DatasetSyncCount: SyncCountC, SyncSessionToken: t.string }),
    t.partial({
      Records: t.readonlyArray(RemoteRecord),
      NextToken: t.string,
      DatasetExists: t.boolean,
      DatasetDeletedAfterRequestedSyncCount: t.boolean,
      MergedDatasetNames: t.readonlyArray(t.string),
    }),
  ],
  'ListRecordsResponse',
)
/** @since 0.1.0 */
export type ListRecordsPage = t.TypeOf<typeof ListRecordsPage>

/** An UpdateRecords response: the records as the server wrote them. @since 0.1.0 */
export const UpdateRecordsAnswer = t.type({ Records: t.readonlyArray(RemoteRecord) }, 'UpdateRecordsResponse')

/** What a call cost: HTTP attempts, counting the SDK's own retries. @since 0.1.0 */
export type OnAttempts = (operation: Operation, attempts: number) => void

/** What a call that never started rejects with. */
const cancelled: unique symbol = Symbol('cancelled')

const attemptsOf = (u: unknown): number => {
  const attempts = (u as { $metadata?: { attempts?: unknown } } | null)?.$metadata?.attempts
  return typeof attempts === 'number' && attempts > 0 ? attempts : 1
}

/** A decoded response and what the service said about it. @since 0.1.0 */
export interface Answer<A> {
  readonly answer: A
  readonly $metadata: ResponseMetadata
}

const decoded =
  <A>(operation: Operation, codec: t.Decoder<unknown, A>) =>
  (output: unknown): E.Either<Failure, Answer<A>> => {
    const $metadata = responseMetadata(output)
    return pipe(
      codec.decode(output),
      E.bimap(
        (errors) => ({ _tag: 'Fatal', error: malformedResponse(operation, $metadata, issuesOf(errors)) }) as const,
        (answer) => ({ answer, $metadata }),
      ),
    )
  }

/** How a call reports its attempts and learns that the sync was cancelled. @since 0.1.0 */
export interface CallContext {
  readonly onAttempts: OnAttempts
  readonly cancel: Cancel
}

/** No call starts once the sync is cancelled, and whatever a cancelled call threw, it was cancelled. */
const call = <A>(operation: Operation, context: CallContext, send: (abortSignal: AbortSignal) => Promise<unknown>, codec: t.Decoder<unknown, A>): TE.TaskEither<Failure, Answer<A>> =>
  pipe(
    TE.tryCatch(
      () => (context.cancel.signal.aborted ? Promise.reject(cancelled) : send(context.cancel.signal)),
      (thrown): Failure => {
        if (context.cancel.signal.aborted) {
          if (thrown !== cancelled) context.onAttempts(operation, attemptsOf(thrown))
          return { _tag: 'Fatal', error: context.cancel.error(operation) }
        }
        context.onAttempts(operation, attemptsOf(thrown))
        return classify(operation, thrown)
      },
    ),
    TE.chainEitherK((output) => {
      context.onAttempts(operation, attemptsOf(output))
      return decoded(operation, codec)(output)
    }),
  )

/** @since 0.1.0 */
export interface PageRequest {
  readonly lastSyncCount: SyncCount
  readonly pageSize: number
  readonly nextToken?: string
  /** The previous page's token, passed on as the official clients do. */
  readonly syncSessionToken?: string
}

/**
 * One ListRecords call.
 *
 * @since 0.1.0
 */
export const listPage =
  (address: DatasetAddress, context: CallContext) =>
  (request: PageRequest): TE.TaskEither<Failure, Answer<ListRecordsPage>> =>
    call(
      'ListRecords',
      context,
      async (abortSignal) =>
        address.client.send(
          new (await sdk()).ListRecordsCommand({
            IdentityPoolId: address.identityPoolId,
            IdentityId: address.identityId,
            DatasetName: address.datasetName,
            LastSyncCount: request.lastSyncCount,
            MaxResults: request.pageSize,
            ...(request.nextToken === undefined ? {} : { NextToken: request.nextToken }),
            ...(request.syncSessionToken === undefined ? {} : { SyncSessionToken: request.syncSessionToken }),
          }),
          { abortSignal },
        ),
      ListRecordsPage,
    )

/** A command-level stand-in for the SDK's retry middleware: one attempt, whatever the client's config. */
const singleAttempt = {
  name: 'retryMiddleware',
  tags: ['RETRY'],
  step: 'finalizeRequest' as const,
  priority: 'high' as const,
  override: true,
}

/**
 * Every argument of UpdateRecords but the address (the API page lists IdentityPoolId, IdentityId,
 * DatasetName, DeviceId, RecordPatches, SyncSessionToken and ClientContext).
 *
 * @since 0.1.0
 */
export interface UpdateRequest {
  readonly deviceId: DeviceId
  readonly syncSessionToken: string
  readonly patches: ReadonlyArray<RecordPatch>
  readonly clientContext?: ClientContext | undefined
}

/**
 * One UpdateRecords call, one HTTP attempt.
 *
 * @since 0.1.0
 */
export const updateRecords =
  (address: DatasetAddress, context: CallContext) =>
  (request: UpdateRequest): TE.TaskEither<Failure, ReadonlyArray<RemoteRecord>> =>
    pipe(
      call(
        'UpdateRecords',
        context,
        async (abortSignal) => {
          const command = new (await sdk()).UpdateRecordsCommand({
            IdentityPoolId: address.identityPoolId,
            IdentityId: address.identityId,
            DatasetName: address.datasetName,
            DeviceId: request.deviceId,
            SyncSessionToken: request.syncSessionToken,
            RecordPatches: [...request.patches],
            ...(request.clientContext === undefined ? {} : { ClientContext: request.clientContext }),
          })
          command.middlewareStack.add((next) => next, singleAttempt)
          return address.client.send(command, { abortSignal })
        },
        UpdateRecordsAnswer,
      ),
      TE.map(({ answer }) => answer.Records),
    )

/**
 * A DeleteDataset response: the deleted dataset's metadata, which the adapter does not read.
 *
 * @since 0.2.0
 */
export const DeleteDatasetAnswer = t.partial({ Dataset: t.UnknownRecord }, 'DeleteDatasetResponse')

/**
 * One DeleteDataset call.
 *
 * @since 0.2.0
 */
export const deleteDatasetCall = (address: DatasetAddress, context: CallContext): TE.TaskEither<Failure, Answer<t.TypeOf<typeof DeleteDatasetAnswer>>> =>
  call(
    'DeleteDataset',
    context,
    async (abortSignal) =>
      address.client.send(
        new (await sdk()).DeleteDatasetCommand({
          IdentityPoolId: address.identityPoolId,
          IdentityId: address.identityId,
          DatasetName: address.datasetName,
        }),
        { abortSignal },
      ),
    DeleteDatasetAnswer,
  )
