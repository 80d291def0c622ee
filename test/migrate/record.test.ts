// The laws of carrying one amazon-cognito-js record over, over every shape of record it writes.
import { test } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { baseSyncCount, currentContent, isDirty } from 'cognito-reconcile'
import { type CognitoJsRecord, fromCognitoJsRecord } from 'cognito-reconcile/amazon-cognito-js'

const date = fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true })

/** Records as amazon-cognito-js writes them, biased to the tricky values: '', null, SyncCount 0. */
const cognitoJsRecord: fc.Arbitrary<CognitoJsRecord> = fc.record(
  {
    Key: fc.string({ minLength: 1, maxLength: 8 }),
    Value: fc.oneof(fc.constant(''), fc.constant(null), fc.string({ maxLength: 8 })),
    SyncCount: fc.oneof(fc.constant(0), fc.nat(20)),
    Modified: fc.boolean(),
    DeviceLastModifiedDate: date,
    LastModifiedDate: date,
    LastModifiedBy: fc.oneof(fc.constant(''), fc.constant('123456789012')),
  },
  { requiredKeys: ['Key', 'Value', 'SyncCount', 'Modified', 'DeviceLastModifiedDate'] },
)

describe('fromCognitoJsRecord', () => {
  test.prop([cognitoJsRecord])('an edit not yet pushed stays pending, with the value the app saw and its base SyncCount', (record) => {
    const imported = fromCognitoJsRecord(record)
    if (!record.Modified) return
    expect(isDirty(imported)).toBe(true)
    expect(currentContent(imported)).toBe(record.Value)
    expect(baseSyncCount(imported)).toBe(record.SyncCount)
    expect(imported?.pending?.deviceLastModifiedDate).toEqual(record.DeviceLastModifiedDate)
  })

  test.prop([cognitoJsRecord])('an edit is never a no-op against its base, so a sync pushes it (a delete of a key never synced excepted)', (record) => {
    const imported = fromCognitoJsRecord(record)
    if (imported?.pending === undefined || (record.SyncCount === 0 && record.Value === null)) return
    expect(imported.pending.content).not.toBe(imported.server?.content ?? null)
  })

  test.prop([cognitoJsRecord])('a clean synced record is the server version amazon-cognito-js saw, with its dates', (record) => {
    fc.pre(!record.Modified && record.SyncCount > 0)
    const imported = fromCognitoJsRecord(record)
    expect(isDirty(imported)).toBe(false)
    expect(imported?.server).toMatchObject({ content: record.Value, syncCount: record.SyncCount, deviceLastModifiedDate: record.DeviceLastModifiedDate })
  })

  test.prop([cognitoJsRecord])('a clean record never synced keeps a value by pushing it, and holds nothing without one', (record) => {
    fc.pre(!record.Modified && record.SyncCount === 0)
    const imported = fromCognitoJsRecord(record)
    if (record.Value === null || record.Value === '') expect(imported).toBeUndefined()
    else expect(imported).toEqual({ key: record.Key, pending: { content: record.Value, deviceLastModifiedDate: record.DeviceLastModifiedDate } })
  })

  it('the stand-in base differs from the edit: null for a new value, "" for a delete', () => {
    const at = new Date(0)
    expect(fromCognitoJsRecord({ Key: 'k', Value: '', SyncCount: 2, Modified: true, DeviceLastModifiedDate: at })?.server?.content).toBe(null)
    expect(fromCognitoJsRecord({ Key: 'k', Value: null, SyncCount: 2, Modified: true, DeviceLastModifiedDate: at })?.server?.content).toBe('')
  })
})
