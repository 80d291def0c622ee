/**
 * The mark on lazy TaskEithers: a forgotten call is a compile error (the `@ts-expect-error` lines fail
 * `npm run typecheck` if the mark stops working) and a rejection at run time; fp-ts composition is
 * unaffected.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as T from 'fp-ts/lib/Task.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { describe, expect, it } from 'vitest'
import { notAPromise } from '../src/NotAPromise.js'
import { memoryStore, openDataset } from '../src/stores/index.js'

const counted = () => {
  let runs = 0
  const task = notAPromise(
    TE.fromTask(async () => {
      runs += 1
      return runs
    }),
  )
  return { task, runs: () => runs }
}

describe('notAPromise', () => {
  it('runs when called, and only then', async () => {
    const { task, runs } = counted()
    expect(runs()).toBe(0)
    expect(await task()).toEqual(E.right(1))
    expect(await task()).toEqual(E.right(2))
  })

  it('awaiting it uncalled is a compile error and a rejection that says to call it, and runs nothing', async () => {
    const { task, runs } = counted()
    const awaited = async () => {
      // @ts-expect-error TS1320: the operand of await has a `then` no Promise has
      await task
    }
    await expect(awaited()).rejects.toThrow(/not a Promise: it does nothing until it is called. Write `await task\(\)`/)
    // @ts-expect-error TS1058: an async function cannot return it uncalled
    const returned = async () => task
    await expect(returned()).rejects.toBeInstanceOf(TypeError)
    await expect(Promise.all([task])).rejects.toBeInstanceOf(TypeError)
    // @ts-expect-error its `then` takes no callback
    expect(() => task.then(() => 0)).toThrow(/not a Promise/)
    expect(runs()).toBe(0)
  })

  it('hands a thenable caller the error through onRejected, naming both ways out', () => {
    const { task, runs } = counted()
    const rejected: unknown[] = []
    const fulfilled: unknown[] = []
    const then = task.then as unknown as (onFulfilled: unknown, onRejected: unknown) => void
    expect(() => then.call(task, (v: unknown) => fulfilled.push(v), (e: unknown) => rejected.push(e))).not.toThrow()
    expect(fulfilled).toEqual([])
    expect(rejected).toHaveLength(1)
    expect(rejected[0]).toBeInstanceOf(TypeError)
    expect((rejected[0] as TypeError).message).toBe(
      'This is a lazy fp-ts TaskEither, not a Promise: it does nothing until it is called. Write `await task()`, not `await task` (or use the Promise API, cognito-reconcile/app).',
    )
    expect(runs()).toBe(0)
  })

  it('is a TaskEither to fp-ts: pipe, map, chain and sequence take it', async () => {
    const { task, runs } = counted()
    const composed = pipe(
      task,
      TE.chain((n) => pipe(task, TE.map((m) => [n, m]))),
    )
    expect(await composed()).toEqual(E.right([1, 2]))
    expect(await TE.sequenceArray([task, task])()).toEqual(E.right([3, 4]))
    expect(await pipe(TE.right(0), TE.chainFirst(() => task))()).toEqual(E.right(0))
    expect(runs()).toBe(5)
  })

  it('the one composition it refuses: a Task whose value is the uncalled TaskEither', async () => {
    const { task } = counted()
    await expect(pipe(T.of(0), T.map(() => task))()).rejects.toBeInstanceOf(TypeError)
  })

  it("a dataset's reads and writes are marked: a forgotten call fails to compile and, at run time, writes nothing and rejects", async () => {
    const opened = openDataset(memoryStore(), 'game')
    if (E.isLeft(opened)) throw new Error(opened.left.message)
    const game = opened.right
    const forgotten = async () => {
      // @ts-expect-error TS1320: the call is missing
      await game.put('coins', '100')
    }
    await expect(forgotten()).rejects.toThrow(/Write `await task\(\)`/)
    expect(await game.list()()).toEqual(E.right([]))
    expect(await game.put('coins', '100')()).toEqual(E.right(undefined))
    for (const task of [game.get('coins'), game.remove('x'), game.putAll([]), game.list(), game.pendingKeys(), game.isPending('coins'), game.state()])
      await expect(Promise.resolve(task)).rejects.toBeInstanceOf(TypeError)
  })
})
