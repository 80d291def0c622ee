/**
 * What the tests use of amazon-cognito-js's Dataset, and its callbacks as Promises: shared by the
 * Node driver (cognitoJs.ts) and the browser page (test/browser/pages/cognitoJs.ts). No Node or DOM
 * API here: it runs in both.
 */
export type Callback<A> = (err: unknown, value: A) => void

export interface JsDataset {
  get(key: string, callback: Callback<string | undefined>): void
  put(key: string, value: string, callback: Callback<unknown>): void
  remove(key: string, callback: Callback<unknown>): void
  resolve(records: ReadonlyArray<unknown>, callback: Callback<unknown>): void
  synchronize(callback: {
    onSuccess: () => void
    onFailure: (err: unknown) => void
    onConflict: (dataset: unknown, conflicts: ReadonlyArray<{ resolveWithLocalRecord(): unknown }>, callback: (go: boolean) => void) => void
    onDatasetDeleted: (dataset: unknown, name: string, callback: (go: boolean) => void) => void
    onDatasetsMerged: (dataset: unknown, names: ReadonlyArray<string>, callback: (go: boolean) => void) => void
  }): void
}

/** The manager of amazon-cognito-js, as aws-sdk v2 carries it (`AWS.CognitoSyncManager`). */
export interface AwsV2 {
  Credentials: new (accessKeyId: string, secretAccessKey: string) => object
  config: { update(options: object): void }
  CognitoSyncManager?: new () => { openOrCreateDataset(name: string, callback: Callback<JsDataset>): void }
}

export const call = <A>(run: (callback: Callback<A>) => void): Promise<A> =>
  new Promise((resolve, reject) => run((err, value) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(value))))

/** Signs amazon-cognito-js in as `identityId` through aws-sdk v2's global config, as an app does; static credentials (the emulator does not check them). */
export const signIn = (AWS: AwsV2, endpoint: string, identityPoolId: string, identityId: string) => {
  if (AWS.CognitoSyncManager === undefined) throw new Error('amazon-cognito-js is not loaded')
  const credentials = Object.assign(new AWS.Credentials('test', 'test'), { params: { IdentityPoolId: identityPoolId }, identityId })
  AWS.config.update({ region: 'us-east-1', credentials, cognitosync: { endpoint }, maxRetries: 0 })
  return new AWS.CognitoSyncManager()
}

/** Synchronizes, resolving every conflict with the local record; answers how it ended. */
export const synchronize = (dataset: JsDataset): Promise<'synced' | 'failed'> =>
  new Promise((resolve) =>
    dataset.synchronize({
      onSuccess: () => resolve('synced'),
      onFailure: () => resolve('failed'),
      onConflict: (_dataset, conflicts, go) =>
        dataset.resolve(
          conflicts.map((conflict) => conflict.resolveWithLocalRecord()),
          (err) => (err ? resolve('failed') : go(true)),
        ),
      onDatasetDeleted: (_dataset, _name, go) => go(true),
      onDatasetsMerged: (_dataset, _names, go) => go(false),
    }),
  )

/** One dataset of an amazon-cognito-js app, its callbacks as Promises. */
export interface CognitoJsDataset {
  readonly get: (key: string) => Promise<string | undefined>
  readonly put: (key: string, value: string) => Promise<void>
  readonly remove: (key: string) => Promise<void>
  /** Synchronizes, resolving conflicts with the local record; answers how it ended. */
  readonly synchronize: () => Promise<'synced' | 'failed'>
}

export const withPromises = (dataset: JsDataset): CognitoJsDataset => ({
  get: (key) => call((cb) => dataset.get(key, cb)),
  put: async (key, value) => {
    await call((cb) => dataset.put(key, value, cb))
  },
  remove: async (key) => {
    await call((cb) => dataset.remove(key, cb))
  },
  synchronize: () => synchronize(dataset),
})
