import { sql } from 'drizzle-orm'
import type { Db, Tx } from '../../db/client'
import { first, rows } from '../../db/sql'
import { expiryEntries, isDue, type ExpiringLot } from './lots'

/**
 * Empties the member's lots that are due at `now` and writes one `expire` entry per lot that still
 * held points. Takes the member's account lock first (the one lock order of every points write),
 * so a lot expires once even when job runs, refunds and redemptions race; the unique index
 * `point_ledger_expire_once` backs that up. Returns the number of points that expired.
 */
export async function expireDueLots(tx: Tx, memberId: number, now: Date): Promise<number> {
  const account = await first<{ balance: number }>(
    tx,
    sql`SELECT balance FROM point_accounts WHERE member_id = ${memberId} FOR UPDATE`,
  )
  if (!account) return 0
  const candidates = (
    await rows<{
      id: number
      remaining: number
      expires_at: Date | string
      expired_at: Date | string | null
    }>(
      tx,
      sql`SELECT id, remaining, expires_at, expired_at FROM point_lots
          WHERE member_id = ${memberId} AND expired_at IS NULL AND expires_at <= ${now}
          ORDER BY expires_at, id`,
    )
  ).map((l): ExpiringLot => ({
    id: l.id,
    remaining: l.remaining,
    expiresAt: new Date(l.expires_at),
    expiredAt: l.expired_at === null ? null : new Date(l.expired_at),
  }))
  const due = candidates.filter((l) => isDue(l, now))
  if (due.length === 0) return 0
  const entries = expiryEntries(account.balance, due)
  await tx.execute(
    sql`UPDATE point_lots SET remaining = 0, expired_at = ${now}
        WHERE id = ANY(${sql.param(due.map((l) => l.id))}::int[]) AND expired_at IS NULL`,
  )
  if (entries.length === 0) return 0
  const total = -entries.reduce((sum, e) => sum + e.amount, 0)
  await tx.execute(
    sql`UPDATE point_accounts SET balance = balance - ${total} WHERE member_id = ${memberId}`,
  )
  await tx.execute(
    sql`INSERT INTO point_ledger (member_id, kind, amount, balance_after, reason, lot_id)
        SELECT ${memberId}, 'expire', e.amount, e.balance_after, '积分到期', e.lot_id
        FROM unnest(${sql.param(entries.map((e) => e.lotId))}::int[],
                    ${sql.param(entries.map((e) => e.amount))}::int[],
                    ${sql.param(entries.map((e) => e.balanceAfter))}::int[])
             AS e(lot_id, amount, balance_after)
        ORDER BY e.balance_after DESC`,
  )
  return total
}

/**
 * The expiry job for points: every member with a lot due at `now`, one transaction each.
 * Running it twice, or from two processes at once, expires nothing twice.
 */
export async function expirePoints(
  db: Db,
  now: Date,
): Promise<{ members: number; points: number }> {
  const due = await rows<{ member_id: number }>(
    db,
    sql`SELECT DISTINCT member_id FROM point_lots
        WHERE expired_at IS NULL AND expires_at IS NOT NULL AND expires_at <= ${now}
        ORDER BY member_id`,
  )
  let points = 0
  for (const d of due) {
    points += await db.transaction((tx) => expireDueLots(tx, d.member_id, now))
  }
  return { members: due.length, points }
}
