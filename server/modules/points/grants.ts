import { sql } from 'drizzle-orm'
import type { Tx } from '../../db/client'
import { first, rows } from '../../db/sql'
import { AppError } from '../../lib/errors'
import type { Caller } from '../../lib/route'
import { assertMayActOnUnion, staffScope, subtreeIds } from '../org/union-tree'

export interface GrantTarget {
  memberIds?: number[]
  unionId?: number
}

/**
 * The members a grant reaches, checked against the caller's scope: listed members must all exist
 * (404) and belong to the caller's union subtree (403); a union must lie in it (403) and reaches
 * every member of its own subtree. Sorted by id.
 */
export async function resolveGrantTarget(
  tx: Tx,
  caller: Caller,
  target: GrantTarget,
): Promise<number[]> {
  if (target.unionId !== undefined) {
    const union = await first<{ id: number }>(
      tx,
      sql`SELECT id FROM unions WHERE id = ${target.unionId}`,
    )
    if (!union) throw new AppError('UNION_NOT_FOUND')
    await assertMayActOnUnion(tx, caller, target.unionId)
    const unions = await subtreeIds(tx, target.unionId)
    const list = await rows<{ id: number }>(
      tx,
      sql`SELECT id FROM members WHERE union_id = ANY(${sql.param(unions)}::int[]) ORDER BY id`,
    )
    return list.map((m) => m.id)
  }
  const ids = [...new Set(target.memberIds ?? [])].sort((a, b) => a - b)
  const found = await rows<{ id: number; union_id: number }>(
    tx,
    sql`SELECT id, union_id FROM members WHERE id = ANY(${sql.param(ids)}::int[])`,
  )
  if (found.length !== ids.length) {
    const known = new Set(found.map((m) => m.id))
    const missing = ids.filter((id) => !known.has(id))
    throw new AppError('NOT_FOUND', `会员不存在：${missing.slice(0, 5).join('、')}`)
  }
  const scope = new Set(await staffScope(tx, caller))
  const outside = found.filter((m) => !scope.has(m.union_id))
  if (outside.length > 0) {
    throw new AppError(
      'FORBIDDEN',
      `只能向本工会及下级工会的会员发放积分（有 ${outside.length} 位会员不在管理范围内）`,
    )
  }
  return ids
}

/**
 * Grants `amount` points to each member: a grant record, then per member a lot (with the optional
 * expiry), the balance and a `grant` ledger entry. The accounts are locked in member-id order
 * first, so concurrent grants and single-member writes never deadlock.
 */
export async function grantPoints(
  tx: Tx,
  g: {
    actorId: number
    amount: number
    reason: string
    expiresAt: Date | null
    memberIds: number[]
    unionId?: number
  },
): Promise<{ grantId: number; granted: number }> {
  const ids = [...new Set(g.memberIds)].sort((a, b) => a - b)
  const grant = await first<{ id: number }>(
    tx,
    sql`INSERT INTO point_grants (actor_id, amount, reason, expires_at, union_id, member_count)
        VALUES (${g.actorId}, ${g.amount}, ${g.reason}, ${g.expiresAt}, ${g.unionId ?? null}, ${ids.length})
        RETURNING id`,
  )
  if (!grant) throw new Error('grant not recorded')
  if (ids.length === 0) return { grantId: grant.id, granted: 0 }
  const idList = sql.param(ids)
  await tx.execute(
    sql`INSERT INTO point_accounts (member_id, balance)
        SELECT unnest(${idList}::int[]), 0 ON CONFLICT (member_id) DO NOTHING`,
  )
  await tx.execute(
    sql`SELECT member_id FROM point_accounts WHERE member_id = ANY(${idList}::int[])
        ORDER BY member_id FOR UPDATE`,
  )
  const done = await rows<{ n: number }>(
    tx,
    sql`WITH credited AS (
          UPDATE point_accounts SET balance = balance + ${g.amount}
          WHERE member_id = ANY(${idList}::int[])
          RETURNING member_id, balance
        ), lots AS (
          INSERT INTO point_lots (member_id, kind, grant_id, amount, remaining, expires_at, reason)
          SELECT member_id, 'grant', ${grant.id}, ${g.amount}, ${g.amount}, ${g.expiresAt}::timestamptz, ${g.reason}
          FROM credited ORDER BY member_id
          RETURNING id, member_id
        ), entries AS (
          INSERT INTO point_ledger (member_id, kind, amount, balance_after, reason, lot_id)
          SELECT c.member_id, 'grant', ${g.amount}, c.balance, ${g.reason}, l.id
          FROM credited c JOIN lots l ON l.member_id = c.member_id ORDER BY c.member_id
          RETURNING 1
        )
        SELECT count(*)::int AS n FROM entries`,
  )
  const granted = done[0]?.n ?? 0
  if (granted !== ids.length) throw new Error(`grant ${grant.id}: ${granted} of ${ids.length}`)
  return { grantId: grant.id, granted }
}
