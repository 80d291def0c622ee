/**
 * io-ts's `t.type`, `t.partial` and `t.readonlyArray`, written out for the core's own codecs: failures
 * carry the same contexts (the field's key and codec), so their messages read the same. Internal.
 *
 * @since 0.2.0
 */
import * as t from 'io-ts'

/** A field of an object codec: its name, its codec, and whether it may be absent. */
export type Field = readonly [name: string, codec: t.Decoder<unknown, unknown> & { readonly is: t.Is<unknown> }, optional: boolean]

/**
 * Whether `u` is an object and not an array: io-ts's `UnknownRecord.is`.
 *
 * @internal
 */
export const isObject = (u: unknown): u is Readonly<Record<string, unknown>> => u !== null && typeof u === 'object' && !Array.isArray(u)

/**
 * The codec of an object with `fields`, as io-ts's `t.type` and `t.partial` would check it (a failure
 * names the field's codec, at the field's key), written out: io-ts's object combinators cost a browser
 * bundle about 1 KiB min+gz, which a core that only needs these two codecs does not pay.
 *
 * @internal
 */
export const objectCodec = <A>(name: string, fields: ReadonlyArray<Field>): t.Type<A, A, unknown> =>
  new t.Type<A, A, unknown>(
    name,
    (u): u is A => isObject(u) && fields.every(([key, codec, optional]) => (optional && u[key] === undefined) || codec.is(u[key])),
    (u, c) => {
      if (!isObject(u)) return t.failure(u, c)
      const errors: Array<t.ValidationError> = []
      for (const [key, codec, optional] of fields) {
        const value = u[key]
        if (optional && value === undefined) continue
        const result = codec.validate(value, t.appendContext(c, key, codec, value))
        if (result._tag === 'Left') errors.push(...result.left)
      }
      return errors.length > 0 ? t.failures(errors) : t.success(u as A)
    },
    t.identity,
  )

/** `t.readonlyArray(item)`, written out as `objectCodec` is. @internal */
export const readonlyArrayOf = <A>(item: t.Type<A, A, unknown>): t.Type<ReadonlyArray<A>, ReadonlyArray<A>, unknown> =>
  new t.Type<ReadonlyArray<A>, ReadonlyArray<A>, unknown>(
    `ReadonlyArray<${item.name}>`,
    (u): u is ReadonlyArray<A> => Array.isArray(u) && u.every(item.is),
    (u, c) => {
      if (!Array.isArray(u)) return t.failure(u, c)
      const errors: Array<t.ValidationError> = []
      u.forEach((element: unknown, i) => {
        const result = item.validate(element, t.appendContext(c, String(i), item, element))
        if (result._tag === 'Left') errors.push(...result.left)
      })
      return errors.length > 0 ? t.failures(errors) : t.success(u)
    },
    t.identity,
  )
