import { sql } from 'drizzle-orm'
import type { Db } from '../../server/db/client'
import { first, rows } from '../../server/db/sql'

/** Ids by name and member number, read from the seeded database. */
export async function unionIdOf(db: Db, name: string): Promise<number> {
  const row = await first<{ id: number }>(db, sql`SELECT id FROM unions WHERE name = ${name}`)
  if (!row) throw new Error(`no union ${name}`)
  return row.id
}

export async function memberIdOf(db: Db, memberNo: string): Promise<number> {
  const row = await first<{ id: number }>(
    db,
    sql`SELECT id FROM members WHERE member_no = ${memberNo}`,
  )
  if (!row) throw new Error(`no member ${memberNo}`)
  return row.id
}

export async function balanceOf(db: Db, memberId: number): Promise<number> {
  const row = await first<{ balance: number }>(
    db,
    sql`SELECT balance FROM point_accounts WHERE member_id = ${memberId}`,
  )
  return row?.balance ?? 0
}

export async function stockOf(db: Db, itemId: number): Promise<number> {
  const row = await first<{ stock: number }>(
    db,
    sql`SELECT stock FROM mall_items WHERE id = ${itemId}`,
  )
  if (!row) throw new Error(`no item ${itemId}`)
  return row.stock
}

/**
 * The books of points and mall, checked in SQL. Returns every broken rule (empty when all hold):
 * each balance is its ledger's sum, its open lots' sum and its last entry's balance; nothing is
 * negative; every order's lot spends add up to its price, it has one redeem entry, and a refund
 * entry exactly when it was cancelled or expired; each lot expired at most once.
 */
export async function brokenInvariants(db: Db): Promise<string[]> {
  const checks: Array<[string, ReturnType<typeof sql>]> = [
    [
      'balance ≠ ledger sum',
      sql`SELECT a.member_id FROM point_accounts a
          WHERE a.balance <> (SELECT coalesce(sum(amount), 0) FROM point_ledger l WHERE l.member_id = a.member_id)`,
    ],
    [
      'balance ≠ open lots',
      sql`SELECT a.member_id FROM point_accounts a
          WHERE a.balance <> (SELECT coalesce(sum(remaining), 0) FROM point_lots l WHERE l.member_id = a.member_id)`,
    ],
    [
      'balance ≠ last balance_after',
      sql`SELECT a.member_id FROM point_accounts a
          JOIN LATERAL (SELECT balance_after FROM point_ledger l WHERE l.member_id = a.member_id
                        ORDER BY id DESC LIMIT 1) last ON true
          WHERE last.balance_after <> a.balance`,
    ],
    ['negative balance', sql`SELECT member_id FROM point_accounts WHERE balance < 0`],
    ['negative stock', sql`SELECT id FROM mall_items WHERE stock < 0`],
    [
      'lot spends ≠ points spent',
      sql`SELECT o.id FROM mall_orders o
          WHERE o.points_spent <> (SELECT coalesce(sum(amount), 0) FROM order_lot_spends s WHERE s.order_id = o.id)`,
    ],
    [
      'redeem entries ≠ 1',
      sql`SELECT o.id FROM mall_orders o
          WHERE (SELECT count(*) FROM point_ledger l WHERE l.order_id = o.id AND l.kind = 'redeem') <> 1`,
    ],
    [
      'refund entries wrong',
      sql`SELECT o.id FROM mall_orders o
          WHERE (SELECT count(*) FROM point_ledger l WHERE l.order_id = o.id AND l.kind = 'refund')
                <> CASE WHEN o.status IN ('cancelled', 'expired') THEN 1 ELSE 0 END`,
    ],
    [
      'lot expired twice',
      sql`SELECT lot_id FROM point_ledger WHERE kind = 'expire' GROUP BY lot_id HAVING count(*) > 1`,
    ],
    [
      // Migration 0020: the day totals against a recount of the ledger (members stay in their
      // union in these suites, so the union at entry time is the union now).
      'day totals ≠ ledger',
      sql`WITH counted AS (
            SELECT m.union_id, (l.created_at AT TIME ZONE 'Asia/Shanghai')::date AS day, l.kind,
                   sum(l.amount) AS amount, count(*) AS entries
            FROM point_ledger l JOIN members m ON m.id = l.member_id GROUP BY 1, 2, 3),
          kept AS (
            SELECT union_id, day, kind, sum(amount) AS amount, sum(entries) AS entries
            FROM point_day_totals GROUP BY 1, 2, 3)
          SELECT coalesce(k.union_id, c.union_id) AS union_id, coalesce(k.day, c.day) AS day
          FROM kept k FULL JOIN counted c USING (union_id, day, kind)
          WHERE k.amount IS DISTINCT FROM c.amount OR k.entries IS DISTINCT FROM c.entries`,
    ],
  ]
  const broken: string[] = []
  for (const [name, query] of checks) {
    const found = await rows<Record<string, unknown>>(db, query)
    if (found.length > 0) broken.push(`${name}: ${JSON.stringify(found.slice(0, 5))}`)
  }
  return broken
}
