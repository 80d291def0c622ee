/**
 * A keyed async mutex: tasks under the same key run one at a time, in the order they were submitted;
 * tasks under different keys do not wait for each other. Stores use it to serialise `modify` per
 * dataset, and the sync adapter to serialise two syncs of the same dataset.
 *
 * @since 0.1.0
 */

/**
 * Laws: for one key, a task starts only after every task submitted before it under that key has
 * settled (fulfilled or rejected); a rejected task does not block the ones after it; the answer is the
 * task's own outcome.
 *
 * A `TaskEither` is a `() => Promise<Either>`, so `() => mutex.run(key, te)` is a `TaskEither` again.
 *
 * @since 0.1.0
 */
export interface KeyedMutex {
  readonly run: <A>(key: string, task: () => Promise<A>) => Promise<A>
}

const ignore = (): void => undefined

/**
 * A new mutex with no key held.
 *
 * @example
 * import { keyedMutex } from 'cognito-reconcile/stores'
 * const mutex = keyedMutex()
 * const order: Array<string> = []
 * const pause = () => new Promise((resolve) => setTimeout(resolve, 5))
 * const slow = mutex.run('a', async () => { await pause(); order.push('a1') })
 * const next = mutex.run('a', async () => { order.push('a2') })
 * const other = mutex.run('b', async () => { order.push('b') })
 * await Promise.all([slow, next, other])
 * assert.deepStrictEqual(order, ['b', 'a1', 'a2'])
 *
 * @since 0.1.0
 */
export const keyedMutex = (): KeyedMutex => {
  // The tail of each key's chain never rejects, so one failed task cannot poison the key.
  const tails = new Map<string, Promise<void>>()
  return {
    run: (key, task) => {
      const result = (tails.get(key) ?? Promise.resolve()).then(task)
      const tail = result.then(ignore, ignore)
      tails.set(key, tail)
      // Forget an idle key, so a long-lived store does not keep one entry per dataset ever touched.
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key)
      })
      return result
    },
  }
}
