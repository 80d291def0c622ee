/**
 * Signing a browser or React Native app in to AWS for Cognito Sync, with AWS SDK v3: an identity from
 * the identity pool (Cognito Identity's GetId, kept in `cache` so that the device keeps its identity
 * across launches), credentials for it (GetCredentialsForIdentity, renewed by the SDK before they
 * expire), and a `CognitoSyncClient` that signs with them. docs/device-sign-in.md explains each step.
 */
import { CognitoSyncClient } from '@aws-sdk/client-cognito-sync'
import { fromCognitoIdentityPool } from '@aws-sdk/credential-providers'

/** Where the identity id is kept: `window.localStorage`, React Native's AsyncStorage, ... */
export interface IdStorage {
  getItem(key: string): string | null | Promise<string | null>
  setItem(key: string, value: string): void | Promise<void>
  removeItem(key: string): void | Promise<void>
}

export interface SignInOptions {
  readonly region: string
  /** `region:guid`, from the identity pool's page in the console. */
  readonly identityPoolId: string
  /**
   * The user's login, when signed in: `{ 'cognito-idp.<region>.amazonaws.com/<userPoolId>': idToken }`,
   * `{ 'accounts.google.com': idToken }`, ... Absent for a guest (an unauthenticated identity).
   */
  readonly logins?: Readonly<Record<string, string>>
  /** Keeps the identity id across launches. Without it a guest gets a new identity, and new data, each launch. */
  readonly cache: IdStorage
  /** Your app's id for the signed-in user, so that each user's identity id is kept apart. */
  readonly userIdentifier?: string
  /** Only to point both services at the emulator (tests, local development). */
  readonly endpoint?: string
}

export interface SignedIn {
  /** The identity the datasets belong to: give it to `createSyncManager`. */
  readonly identityId: string
  /** Signs with the identity's credentials, renewed by the SDK as they expire. */
  readonly client: CognitoSyncClient
}

export const signIn = async (options: SignInOptions): Promise<SignedIn> => {
  const endpoint = options.endpoint === undefined ? {} : { endpoint: options.endpoint }
  const credentials = fromCognitoIdentityPool({
    identityPoolId: options.identityPoolId,
    cache: options.cache,
    clientConfig: { region: options.region, ...endpoint },
    ...(options.logins !== undefined && { logins: { ...options.logins } }),
    ...(options.userIdentifier !== undefined && { userIdentifier: options.userIdentifier }),
  })
  // GetId (or the id cached from an earlier launch), then GetCredentialsForIdentity: the credentials
  // carry the identity id
  const { identityId } = await credentials()
  return { identityId, client: new CognitoSyncClient({ region: options.region, credentials, ...endpoint }) }
}
