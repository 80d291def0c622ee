/**
 * The handler of every operation, by name. A `Map` so that the table is total over `OperationName`
 * and looked up without touching `Object.prototype`.
 *
 * @since 0.1.0
 */
import type { OperationName } from '../routes.js'
import type { Handler } from '../service.js'
import { deleteDataset, describeDataset, listDatasets } from './datasets.js'
import {
  bulkPublish,
  getBulkPublishDetails,
  getCognitoEvents,
  getIdentityPoolConfiguration,
  registerDevice,
  setCognitoEvents,
  setIdentityPoolConfiguration,
  subscription,
} from './features.js'
import { getCredentialsForIdentity, getId } from './identity.js'
import { listRecords, updateRecords } from './records.js'
import { describeIdentityPoolUsage, describeIdentityUsage, listIdentityPoolUsage } from './usage.js'

const table: { readonly [K in OperationName]: Handler } = {
  ListRecords: listRecords,
  UpdateRecords: updateRecords,
  DescribeDataset: describeDataset,
  DeleteDataset: deleteDataset,
  ListDatasets: listDatasets,
  DescribeIdentityUsage: describeIdentityUsage,
  DescribeIdentityPoolUsage: describeIdentityPoolUsage,
  ListIdentityPoolUsage: listIdentityPoolUsage,
  RegisterDevice: registerDevice,
  SubscribeToDataset: subscription,
  UnsubscribeFromDataset: subscription,
  GetIdentityPoolConfiguration: getIdentityPoolConfiguration,
  SetIdentityPoolConfiguration: setIdentityPoolConfiguration,
  GetCognitoEvents: getCognitoEvents,
  SetCognitoEvents: setCognitoEvents,
  BulkPublish: bulkPublish,
  GetBulkPublishDetails: getBulkPublishDetails,
  GetId: getId,
  GetCredentialsForIdentity: getCredentialsForIdentity,
}

/** @since 0.1.0 */
export const handlers: ReadonlyMap<OperationName, Handler> = new Map(
  Object.entries(table) as [OperationName, Handler][],
)
