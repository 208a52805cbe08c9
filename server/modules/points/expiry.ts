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

/** Members per transaction of the expiry job (each with its due lots: about as many lots). */
export const EXPIRY_BATCH = 2000

/** Lots due at `now` that no expiry has emptied yet (`l`: point_lots). */
const dueAt = (now: Date) =>
  sql`l.expired_at IS NULL AND l.expires_at IS NOT NULL AND l.expires_at <= ${now}`

/**
 * The next `limit` members (by id, after `after`) holding a lot due at `now`: a range scan of the
 * index of open expiring lots by member (`point_lots_expiring_member_idx`).
 */
export async function dueMembers(
  tx: Tx,
  now: Date,
  after: number,
  limit: number = EXPIRY_BATCH,
): Promise<number[]> {
  const list = await rows<{ member_id: number }>(
    tx,
    sql`SELECT DISTINCT l.member_id FROM point_lots l
        WHERE ${dueAt(now)} AND l.member_id > ${after}
        ORDER BY l.member_id LIMIT ${limit}`,
  )
  return list.map((m) => m.member_id)
}

/** How many members hold a lot due at `now` (the expiry job's total). */
export async function countDueMembers(tx: Tx, now: Date): Promise<number> {
  const row = await first<{ n: number }>(
    tx,
    sql`SELECT count(DISTINCT l.member_id)::int AS n FROM point_lots l WHERE ${dueAt(now)}`,
  )
  return row?.n ?? 0
}

/**
 * Expires the due lots of these members (sorted ids) in the caller's transaction, in two
 * statements: their accounts are locked in member-id order (the lock order of every points write;
 * every write to a lot holds its member's account, so the next statement's snapshot sees each lot
 * as it now is), then one statement empties the lots, writes one `expire` entry per lot that
 * still held points (in spending order, each with the balance after it, as `expireDueLots` does)
 * and lowers the balances. Every lookup goes by member id through an index: a batch costs its own
 * lots, whatever the table holds.
 */
export async function expireMembers(
  tx: Tx,
  memberIds: number[],
  now: Date,
): Promise<{ members: number; points: number }> {
  if (memberIds.length === 0) return { members: 0, points: 0 }
  const ids = sql.param(memberIds)
  await tx.execute(
    sql`SELECT member_id FROM point_accounts WHERE member_id = ANY(${ids}::int[])
        ORDER BY member_id FOR UPDATE`,
  )
  const [done] = await rows<{ members: number; points: number }>(
    tx,
    sql`WITH due AS (
          SELECT l.id, l.member_id, l.remaining, l.expires_at, a.balance
          FROM point_lots l JOIN point_accounts a ON a.member_id = l.member_id
          WHERE l.member_id = ANY(${ids}::int[]) AND ${dueAt(now)}
        ), emptied AS (
          UPDATE point_lots l SET remaining = 0, expired_at = ${now}
          WHERE l.id IN (SELECT id FROM due)
        ), entries AS (
          SELECT member_id, id AS lot_id, -remaining AS amount,
                 balance - sum(remaining) OVER (PARTITION BY member_id
                                                ORDER BY expires_at, id) AS balance_after
          FROM due WHERE remaining > 0
        ), written AS (
          INSERT INTO point_ledger (member_id, kind, amount, balance_after, reason, lot_id)
          SELECT member_id, 'expire', amount, balance_after, '积分到期', lot_id FROM entries
          ORDER BY member_id, balance_after DESC
        ), totals AS (
          SELECT member_id, -sum(amount)::int AS total FROM entries GROUP BY member_id
        ), lowered AS (
          UPDATE point_accounts a SET balance = a.balance - t.total FROM totals t
          WHERE a.member_id = ANY(${ids}::int[]) AND a.member_id = t.member_id
          RETURNING t.total
        )
        SELECT (SELECT count(DISTINCT member_id)::int FROM due) AS members,
               (SELECT coalesce(sum(total), 0)::int FROM lowered) AS points`,
  )
  return done ?? { members: 0, points: 0 }
}

/**
 * The expiry job for points, set-based: the members with a lot due at `now` in batches of
 * `EXPIRY_BATCH`, each batch one transaction (see `expireMembers`). Running it twice, or from two
 * processes at once, expires nothing twice: the account locks serialise the batches that share a
 * member, and a lot already expired is no longer due.
 */
export async function expirePoints(
  db: Db,
  now: Date,
): Promise<{ members: number; points: number }> {
  let members = 0
  let points = 0
  let after = 0
  for (;;) {
    const ids = await dueMembers(db, now, after)
    if (ids.length === 0) break
    after = ids[ids.length - 1]!
    const done = await db.transaction((tx) => expireMembers(tx, ids, now))
    members += done.members
    points += done.points
    if (ids.length < EXPIRY_BATCH) break
  }
  return { members, points }
}

/** The expiry job as it was before `expirePoints` went set-based: one transaction per member (benchmarks compare them). */
export async function expirePointsPerMember(
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
