/**
 * Step 2 of a sync: ListRecords from a sync count, every page, folded into one `Listing` and the
 * dataset-level facts the pages report.
 *
 * @since 0.1.0
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { SyncCount } from '../codecs.js'
import type { Listing } from '../RemoteRecord.js'
import { type SyncError, malformedResponse } from './errors.js'
import { type ListRecordsPage, type PageRequest, listPage } from './remote.js'
import { type Run, spendRetry, unexpected } from './run.js'

/** What a full listing says: the folded records and the dataset-level facts of its pages. @internal */
export interface Listed {
  readonly listing: Listing
  readonly syncSessionToken: string
  readonly exists: boolean
  readonly deletedAfter: boolean
  readonly merged: ReadonlyArray<string>
}

/** A listing, or the service's answer that the sync count asked for does not exist. @internal */
export type ListOutcome = { readonly _tag: 'Listed'; readonly listed: Listed } | { readonly _tag: 'NoSuchSyncCount'; readonly message: string }

/**
 * Folds the pages. The high-water mark is the lowest DatasetSyncCount of any page: a write that lands
 * between two pages may sort before the cursor and be missed, and listing from the first page's count
 * next time brings it.
 */
const fold = (pages: ReadonlyArray<ListRecordsPage>, last: ListRecordsPage): Listed => ({
  listing: {
    records: pages.flatMap((page) => page.Records ?? []),
    datasetSyncCount: Math.min(...pages.map((page) => page.DatasetSyncCount)) as SyncCount,
  },
  syncSessionToken: last.SyncSessionToken,
  exists: last.DatasetExists !== false,
  deletedAfter: pages.some((page) => page.DatasetDeletedAfterRequestedSyncCount === true),
  merged: [...new Set(pages.flatMap((page) => page.MergedDatasetNames ?? []))],
})

/** Every page of ListRecords from `lastSyncCount`, retrying transient failures within the budget. @internal */
export const listFrom = (run: Run, lastSyncCount: SyncCount): TE.TaskEither<SyncError, ListOutcome> => {
  const page = listPage(run.address, run.calls)
  const next = (request: PageRequest, pages: ReadonlyArray<ListRecordsPage>): TE.TaskEither<SyncError, ListOutcome> =>
    pipe(
      page(request),
      TE.matchEW(
        (failure) => {
          if (failure._tag === 'NoSuchSyncCount') return TE.right({ _tag: 'NoSuchSyncCount', message: failure.message } as const)
          if (failure._tag !== 'Transient') return TE.left(unexpected('ListRecords', failure))
          return pipe(
            spendRetry(run, 'ListRecords', failure.reason, failure),
            TE.chain(() => next(request, pages)),
          )
        },
        ({ answer, $metadata }) => {
          const all = [...pages, answer]
          // A cursor that does not move would page for ever.
          if (answer.NextToken !== undefined && answer.NextToken === request.nextToken)
            return TE.left(malformedResponse('ListRecords', $metadata, [], `NextToken ${answer.NextToken} repeats the one asked for`))
          return answer.NextToken === undefined
            ? TE.right({ _tag: 'Listed', listed: fold(all, answer) } as const)
            : next({ lastSyncCount, pageSize: run.limits.pageSize, nextToken: answer.NextToken, syncSessionToken: answer.SyncSessionToken }, all)
        },
      ),
    )
  return next({ lastSyncCount, pageSize: run.limits.pageSize }, [])
}
