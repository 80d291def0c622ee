/**
 * SyncSessionTokens are compared as text: a token whose last character is changed within its unused
 * bits decodes to the same MAC but is another string, and is refused.
 */
import { describe, expect, it } from 'vitest'
import { sessionTokens } from '../../src/emulator/sessionTokens.js'

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

describe('SyncSessionToken', () => {
  it('refuses a token whose last base64url character differs only in its unused bits', () => {
    const tokens = sessionTokens(60_000)
    const scope = { identityPoolId: 'us-east-1:1', identityId: 'us-east-1:2', datasetName: 'd' }
    const token = tokens.issue(scope, 0)
    const last = alphabet.indexOf(token.slice(-1))
    // A 32-byte MAC is 43 characters: the last one carries 4 bits and 2 unused ones.
    const twin = token.slice(0, -1) + alphabet[last ^ 1]
    expect(Buffer.from(twin.split('.')[1] ?? '', 'base64url')).toEqual(Buffer.from(token.split('.')[1] ?? '', 'base64url'))
    expect(() => tokens.check(token, scope, 1)).not.toThrow()
    expect(() => tokens.check(twin, scope, 1)).toThrow('SyncSessionToken not valid for these inputs')
  })
})
