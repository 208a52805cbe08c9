import { z } from 'zod'

/** An ISO 8601 timestamp with an offset, e.g. `2026-07-01T08:00:00.000Z` or `…+08:00`. */
export const isoDateTime = z.iso.datetime({ offset: true })

/** A database id: a positive integer. */
export const id = z.number().int().positive()

/** Ids in route parameters arrive as strings. */
export const idParams = z.object({ id: z.coerce.number().int().positive() }).strict()

/** `{ ok: true }`, the health answer. */
export const healthResponse = z.object({ ok: z.literal(true) })
