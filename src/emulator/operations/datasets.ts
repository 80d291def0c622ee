/**
 * DescribeDataset, ListDatasets and DeleteDataset (protocol notes, 2.5). A missing dataset is
 * `ResourceNotFoundException` for Describe and Delete; ListDatasets of an unknown identity is an
 * empty list, since the operation has no not-found error.
 *
 * @since 0.1.0
 */
import { byCodeUnits, paginate } from '../cursor.js'
import { notFound } from '../errors.js'
import { datasetOf, identityOf, pageQuery, type Call, type Handler, type Service } from '../service.js'
import { findIdentity, type StoredDataset, type StoredIdentity } from '../state.js'
import { datasetToWire } from '../wire.js'

const existing = (service: Service, call: Call): { identity: StoredIdentity; dataset: StoredDataset; identityId: string } => {
  const scope = datasetOf(call)
  const identity = findIdentity(service.state, scope.identityPoolId, scope.identityId)
  const dataset = identity?.datasets.get(scope.datasetName)
  if (identity === undefined || dataset === undefined) throw notFound(`Dataset ${scope.datasetName} does not exist`)
  return { identity, dataset, identityId: scope.identityId }
}

/** @since 0.1.0 */
export const describeDataset: Handler = (service, call) => {
  const { dataset, identityId } = existing(service, call)
  return { Dataset: datasetToWire(identityId, dataset) }
}

/**
 * Removes the dataset and leaves a deletion marker holding its sync count, so that later listings
 * from an older `lastSyncCount` report `DatasetDeletedAfterRequestedSyncCount`.
 *
 * @since 0.1.0
 */
export const deleteDataset: Handler = (service, call) => {
  const { identity, dataset, identityId } = existing(service, call)
  identity.datasets.delete(dataset.name)
  identity.deleted.set(dataset.name, dataset.syncCount)
  identity.lastModifiedDate = service.now()
  return { Dataset: datasetToWire(identityId, dataset) }
}

/** @since 0.1.0 */
export const listDatasets: Handler = (service, call) => {
  const scope = identityOf(call)
  const { size, nextToken } = pageQuery(service, call)
  const identity = findIdentity(service.state, scope.identityPoolId, scope.identityId)
  const datasets = [...(identity?.datasets.values() ?? [])].sort((a, b) => byCodeUnits(a.name, b.name))
  const page = paginate(datasets, (d) => d.name, nextToken, size)
  return {
    Datasets: page.items.map((d) => datasetToWire(scope.identityId, d)),
    Count: page.items.length,
    ...(page.nextToken === undefined ? {} : { NextToken: page.nextToken }),
  }
}
