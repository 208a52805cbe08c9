import { sql, type SQL, type SQLWrapper } from 'drizzle-orm'
import type { Tx } from '../../db/client'
import { first, rows } from '../../db/sql'
import { AppError } from '../../lib/errors'
import type { Caller } from '../../lib/route'

// The union tree in SQL: the one place that walks it. Depth is capped at 64 so that a cycle (which
// the schema cannot fully rule out) ends the walk instead of looping.

/** `(…)` around a recursive walk, as a subquery of `(id, depth)` rows; `start` is SQL text. */
const ancestorsText = (start: string) => `(WITH RECURSIVE up(id, parent_id, depth) AS (
    SELECT id, parent_id, 0 FROM unions WHERE id = ${start}
    UNION ALL
    SELECT u.id, u.parent_id, up.depth + 1 FROM unions u JOIN up ON u.id = up.parent_id
    WHERE up.depth < 64
  ) SELECT id, depth FROM up)`

const subtreeText = (start: string) => `(WITH RECURSIVE down(id, depth) AS (
    SELECT id, 0 FROM unions WHERE id = ${start}
    UNION ALL
    SELECT u.id, down.depth + 1 FROM unions u JOIN down ON u.parent_id = down.id
    WHERE down.depth < 64
  ) SELECT id, depth FROM down)`

const HOLE = '\u0000'
const fragment = (text: (start: string) => string, start: number | SQLWrapper): SQL => {
  const [head, tail] = text(HOLE).split(HOLE)
  return sql`${sql.raw(head!)}${start}${sql.raw(tail!)}`
}

/**
 * The union `unionId` (a number or an SQL expression, e.g. a column of the outer query) and its
 * ancestors as a subquery of `(id, depth)` rows, depth 0 being the union itself:
 * `JOIN ${ancestorsOf(id)} up ON up.id = …` or `IN (SELECT id FROM ${ancestorsOf(id)} up)`.
 */
export const ancestorsOf = (unionId: number | SQLWrapper): SQL => fragment(ancestorsText, unionId)

/** The union `unionId` and every union below it, as a subquery of `(id, depth)` rows. */
export const subtreeOf = (unionId: number | SQLWrapper): SQL => fragment(subtreeText, unionId)

/** `ancestorsOf` for hand-written SQL with `$n` parameters: `start` is e.g. `'$5::int'`. */
export const ancestorsOfText = (start: string): string => ancestorsText(start)

/** Whether `unionId` is `ancestorId` itself or lies below it in the union tree. */
export async function isInSubtree(tx: Tx, ancestorId: number, unionId: number): Promise<boolean> {
  const row = await first<{ found: boolean }>(
    tx,
    sql`SELECT EXISTS (SELECT 1 FROM ${ancestorsOf(unionId)} up WHERE id = ${ancestorId}) AS found`,
  )
  return row?.found === true
}

/** The union and all its ancestors, nearest first: what a member of `unionId` is offered. */
export async function ancestorIds(tx: Tx, unionId: number): Promise<number[]> {
  const list = await rows<{ id: number }>(
    tx,
    sql`SELECT id FROM ${ancestorsOf(unionId)} up ORDER BY depth`,
  )
  return list.map((r) => r.id)
}

/**
 * May this caller act on union `unionId` as its staff? Admins may act everywhere; staff only on
 * their own union and its descendants.
 */
export async function mayActOnUnion(tx: Tx, caller: Caller, unionId: number): Promise<boolean> {
  if (caller.roles.includes('admin')) return true
  if (!caller.roles.includes('staff') || caller.staffUnionId === null) return false
  return isInSubtree(tx, caller.staffUnionId, unionId)
}

/** Throws 403 `FORBIDDEN` unless the caller may act on `unionId`. */
export async function assertMayActOnUnion(tx: Tx, caller: Caller, unionId: number): Promise<void> {
  if (!(await mayActOnUnion(tx, caller, unionId))) {
    throw new AppError('FORBIDDEN', '只能管理本工会及下级工会的数据')
  }
}

/** The union and every union below it. */
export async function subtreeIds(tx: Tx, unionId: number): Promise<number[]> {
  const list = await rows<{ id: number }>(
    tx,
    sql`SELECT id FROM ${subtreeOf(unionId)} down ORDER BY id`,
  )
  return list.map((r) => r.id)
}

/**
 * The unions this caller may act on as staff: their union's subtree, every union for an admin,
 * none for anyone else.
 */
export async function staffScope(tx: Tx, caller: Caller): Promise<number[]> {
  if (caller.roles.includes('admin')) {
    return (await rows<{ id: number }>(tx, sql`SELECT id FROM unions ORDER BY id`)).map((r) => r.id)
  }
  if (!caller.roles.includes('staff') || caller.staffUnionId === null) return []
  return subtreeIds(tx, caller.staffUnionId)
}
