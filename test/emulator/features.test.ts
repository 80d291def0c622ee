/**
 * The optional features (push sync, streams, events, bulk publish): what each Set* accepts and
 * refuses, that every check runs before the configuration check, that pools are kept apart and that
 * one setting does not reset another, and the 24-hour bulk publish window at its edge. Through the
 * real SDK client, and raw HTTP for the bodies the SDK never sends.
 */
import {
  BulkPublishCommand,
  DuplicateRequestException,
  GetBulkPublishDetailsCommand,
  GetCognitoEventsCommand,
  GetIdentityPoolConfigurationCommand,
  InvalidConfigurationException,
  InvalidParameterException,
  RegisterDeviceCommand,
  SetCognitoEventsCommand,
  SetIdentityPoolConfigurationCommand,
  SubscribeToDatasetCommand,
  UnsubscribeFromDatasetCommand,
} from '@aws-sdk/client-cognito-sync'
import { describe, expect, it } from 'vitest'
import { alice, failure, pool, startTime, useEmulator } from './harness.js'
import { errorOf, raw } from './raw.js'

const otherPool = 'us-east-1:22222222-2222-2222-2222-222222222222'
const PushSync = { ApplicationArns: ['arn:aws:sns:us-east-1:123456789012:app/GCM/x'], RoleArn: 'arn:aws:iam::123456789012:role/r' }
const CognitoStreams = { StreamName: 's', RoleArn: 'arn:aws:iam::123456789012:role/r', StreamingStatus: 'ENABLED' as const }
const SyncTrigger = 'arn:aws:lambda:us-east-1:123456789012:function:f'
const dayMs = 24 * 60 * 60 * 1000

describe('optional features', () => {
  const ctx = useEmulator()
  const configure = (input: { PushSync?: typeof PushSync; CognitoStreams?: typeof CognitoStreams | { StreamingStatus: 'DISABLED' } }, IdentityPoolId = pool) =>
    ctx.client.send(new SetIdentityPoolConfigurationCommand({ IdentityPoolId, ...input }))
  const configuration = (IdentityPoolId = pool) => ctx.client.send(new GetIdentityPoolConfigurationCommand({ IdentityPoolId }))
  const events = (IdentityPoolId = pool) => ctx.client.send(new GetCognitoEventsCommand({ IdentityPoolId }))
  const post = (path: string, body: unknown) =>
    raw(ctx.emulator.endpoint, 'POST', `/identitypools/${encodeURIComponent(pool)}/${path}`, JSON.stringify(body), { 'content-type': 'application/json' })
  const invalid = async (path: string, body: unknown, message: RegExp) => {
    const r = await post(path, body)
    expect([r.status, errorOf(r).type], JSON.stringify(body)).toEqual([400, 'InvalidParameterException'])
    expect(errorOf(r).message, JSON.stringify(body)).toMatch(message)
  }

  it('SetIdentityPoolConfiguration: each setting must be an object; a refused call keeps the configuration', async () => {
    await configure({ PushSync, CognitoStreams })
    for (const field of ['PushSync', 'CognitoStreams']) {
      for (const value of [null, [], 'x', 1, true]) {
        await invalid('configuration', { [field]: value }, new RegExp(`^${field} must be an object$`))
      }
    }
    expect(await configuration()).toMatchObject({ IdentityPoolId: pool, PushSync, CognitoStreams })
  })

  it('SetIdentityPoolConfiguration stores what it is given and answers it; an absent setting is none', async () => {
    const both = await configure({ PushSync, CognitoStreams })
    expect(both).toMatchObject({ IdentityPoolId: pool, PushSync, CognitoStreams })
    const pushOnly = await configure({ PushSync })
    expect(pushOnly).toMatchObject({ IdentityPoolId: pool, PushSync })
    expect(pushOnly.CognitoStreams).toBeUndefined()
    const got = await configuration()
    expect([got.PushSync, got.CognitoStreams]).toEqual([PushSync, undefined])
    const streamsOnly = await configure({ CognitoStreams })
    expect([streamsOnly.PushSync, streamsOnly.CognitoStreams]).toEqual([undefined, CognitoStreams])
    const register = new RegisterDeviceCommand({ IdentityPoolId: pool, IdentityId: alice, Platform: 'GCM', Token: 't' })
    expect(await failure(() => ctx.client.send(register))).toBeInstanceOf(InvalidConfigurationException)
  })

  it('keeps each pool its own settings', async () => {
    await configure({ PushSync, CognitoStreams })
    await ctx.client.send(new SetCognitoEventsCommand({ IdentityPoolId: pool, Events: { SyncTrigger } }))
    await ctx.client.send(new BulkPublishCommand({ IdentityPoolId: pool }))
    const other = await configuration(otherPool)
    expect([other.IdentityPoolId, other.PushSync, other.CognitoStreams]).toEqual([otherPool, undefined, undefined])
    expect((await events(otherPool)).Events).toEqual({})
    expect((await ctx.client.send(new GetBulkPublishDetailsCommand({ IdentityPoolId: otherPool }))).BulkPublishStatus).toBe('NOT_STARTED')
    const register = new RegisterDeviceCommand({ IdentityPoolId: otherPool, IdentityId: alice, Platform: 'GCM', Token: 't' })
    expect(await failure(() => ctx.client.send(register))).toBeInstanceOf(InvalidConfigurationException)
    expect(await failure(() => ctx.client.send(new BulkPublishCommand({ IdentityPoolId: otherPool })))).toBeInstanceOf(InvalidParameterException)
  })

  it('one setting leaves the others: configuration, events and the last bulk publish', async () => {
    await configure({ PushSync, CognitoStreams })
    await ctx.client.send(new SetCognitoEventsCommand({ IdentityPoolId: pool, Events: { SyncTrigger } }))
    await ctx.client.send(new BulkPublishCommand({ IdentityPoolId: pool }))
    await configure({ PushSync, CognitoStreams })
    expect((await events()).Events).toEqual({ SyncTrigger })
    expect((await ctx.client.send(new GetBulkPublishDetailsCommand({ IdentityPoolId: pool }))).BulkPublishStatus).toBe('SUCCEEDED')
    await ctx.client.send(new SetCognitoEventsCommand({ IdentityPoolId: pool, Events: { SyncTrigger } }))
    expect(await configuration()).toMatchObject({ PushSync, CognitoStreams })
    expect(await failure(() => ctx.client.send(new BulkPublishCommand({ IdentityPoolId: pool })))).toBeInstanceOf(DuplicateRequestException)
  })

  it('SetCognitoEvents: at most one event, mapped to a string; an empty or absent map clears them', async () => {
    await ctx.client.send(new SetCognitoEventsCommand({ IdentityPoolId: pool, Events: { SyncTrigger } }))
    for (const bad of [{ Events: { SyncTrigger: 1 } }, { Events: { SyncTrigger: null } }, { Events: { A: 'x', B: 'y' } }]) {
      await invalid('events', bad, /^Events must map at most one event type to a Lambda function ARN$/)
    }
    for (const bad of [{ Events: 'x' }, { Events: [SyncTrigger] }, { Events: null }]) await invalid('events', bad, /^Events must be an object$/)
    expect((await events()).Events).toEqual({ SyncTrigger })
    await ctx.client.send(new SetCognitoEventsCommand({ IdentityPoolId: pool, Events: {} }))
    expect((await events()).Events).toEqual({})
    await ctx.client.send(new SetCognitoEventsCommand({ IdentityPoolId: pool, Events: { SyncTrigger } }))
    expect((await post('events', {})).status).toBe(200)
    expect((await events()).Events).toEqual({})
  })

  it('RegisterDevice: the four platforms and a string token, checked before the configuration', async () => {
    const path = `identity/${encodeURIComponent(alice)}/device`
    for (const body of [{ Platform: 'gcm', Token: 't' }, { Platform: 'WEB', Token: 't' }, { Token: 't' }]) {
      await invalid(path, body, /^Platform must be APNS, APNS_SANDBOX, GCM or ADM$/)
    }
    for (const body of [{ Platform: 'GCM' }, { Platform: 'GCM', Token: 1 }]) await invalid(path, body, /^Token must be a string$/)
    await configure({ PushSync })
    for (const body of [{ Platform: 'GCM' }, { Platform: 'APNS', Token: null }]) await invalid(path, body, /^Token must be a string$/)
    const ids = new Set<string>()
    for (const Platform of ['APNS', 'APNS_SANDBOX', 'GCM', 'ADM'] as const) {
      const out = await ctx.client.send(new RegisterDeviceCommand({ IdentityPoolId: pool, IdentityId: alice, Platform, Token: 't' }))
      ids.add(out.DeviceId ?? '')
    }
    expect([...ids].every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id))).toBe(true)
    expect(ids.size).toBe(4)
  })

  it('Subscribe and Unsubscribe: a device id of 1 to 256 characters and a valid dataset name, checked before the configuration', async () => {
    const at = (DeviceId: string, DatasetName = 'd') => ({ IdentityPoolId: pool, IdentityId: alice, DatasetName, DeviceId })
    const commands = (input: ReturnType<typeof at>) => [new SubscribeToDatasetCommand(input), new UnsubscribeFromDatasetCommand(input)]
    for (const command of [...commands(at('x'.repeat(257))), ...commands(at('x', 'bad name'))]) {
      expect(await failure(() => ctx.client.send(command as SubscribeToDatasetCommand))).toBeInstanceOf(InvalidParameterException)
    }
    await configure({ PushSync })
    for (const command of [...commands(at('x'.repeat(256))), ...commands(at('x'))]) await ctx.client.send(command as SubscribeToDatasetCommand)
    for (const command of commands(at('x'.repeat(257)))) {
      const e = await failure(() => ctx.client.send(command as SubscribeToDatasetCommand))
      expect([e.name, e.message]).toEqual(['InvalidParameterException', 'DeviceId must have 1 to 256 characters'])
    }
  })

  it('BulkPublish: only with streaming ENABLED; a second is refused until exactly 24 hours later', async () => {
    await configure({ CognitoStreams: { StreamingStatus: 'DISABLED' } })
    const disabled = await failure(() => ctx.client.send(new BulkPublishCommand({ IdentityPoolId: pool })))
    expect([disabled.name, disabled.message]).toEqual(['InvalidParameterException', 'Cognito Streams is not enabled for this identity pool'])
    await configure({ CognitoStreams })
    ctx.clock.advance(1500)
    expect(await ctx.client.send(new BulkPublishCommand({ IdentityPoolId: pool }))).toMatchObject({ IdentityPoolId: pool })
    const details = () => ctx.client.send(new GetBulkPublishDetailsCommand({ IdentityPoolId: pool }))
    expect(await details()).toMatchObject({
      IdentityPoolId: pool,
      BulkPublishStatus: 'SUCCEEDED',
      BulkPublishStartTime: new Date(startTime + 1500),
      BulkPublishCompleteTime: new Date(startTime + 1500),
    })
    ctx.clock.advance(dayMs - 1)
    const again = await failure(() => ctx.client.send(new BulkPublishCommand({ IdentityPoolId: pool })))
    expect([again.name, again.message]).toEqual(['DuplicateRequestException', 'A bulk publish was already requested in the last 24 hours'])
    ctx.clock.advance(1)
    await ctx.client.send(new BulkPublishCommand({ IdentityPoolId: pool }))
    expect((await details()).BulkPublishStartTime).toEqual(new Date(startTime + 1500 + dayMs))
  })
})
