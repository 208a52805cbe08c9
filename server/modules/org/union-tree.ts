import { sql } from 'drizzle-orm'
import type { Tx } from '../../db/client'
import { first, rows } from '../../db/sql'
import { AppError } from '../../lib/errors'
import type { Caller } from '../../lib/route'

/** Whether `unionId` is `ancestorId` itself or lies below it in the union tree. */
export async function isInSubtree(tx: Tx, ancestorId: number, unionId: number): Promise<boolean> {
  const row = await first<{ found: boolean }>(
    tx,
    sql`WITH RECURSIVE up(id, parent_id, depth) AS (
          SELECT id, parent_id, 0 FROM unions WHERE id = ${unionId}
          UNION ALL
          SELECT u.id, u.parent_id, up.depth + 1 FROM unions u JOIN up ON u.id = up.parent_id
          WHERE up.depth < 64
        )
        SELECT EXISTS (SELECT 1 FROM up WHERE id = ${ancestorId}) AS found`,
  )
  return row?.found === true
}

/** The union and all its ancestors, nearest first: what a member of `unionId` is offered. */
export async function ancestorIds(tx: Tx, unionId: number): Promise<number[]> {
  const list = await rows<{ id: number }>(
    tx,
    sql`WITH RECURSIVE up(id, parent_id, depth) AS (
          SELECT id, parent_id, 0 FROM unions WHERE id = ${unionId}
          UNION ALL
          SELECT u.id, u.parent_id, up.depth + 1 FROM unions u JOIN up ON u.id = up.parent_id
          WHERE up.depth < 64
        )
        SELECT id FROM up ORDER BY depth`,
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
    throw new AppError('FORBIDDEN', 403, '只能管理本工会及下级工会的数据')
  }
}

/** The union and every union below it. */
export async function subtreeIds(tx: Tx, unionId: number): Promise<number[]> {
  const list = await rows<{ id: number }>(
    tx,
    sql`WITH RECURSIVE down(id, depth) AS (
          SELECT id, 0 FROM unions WHERE id = ${unionId}
          UNION ALL
          SELECT u.id, down.depth + 1 FROM unions u JOIN down ON u.parent_id = down.id
          WHERE down.depth < 64
        )
        SELECT id FROM down ORDER BY id`,
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
