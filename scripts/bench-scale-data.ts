/**
 * The data side of `npm run bench:scale`, straight on the database (the benchmark's own
 * connection): the roster CSV, a points history in SQL that keeps the books, lots that are due
 * (through the server's own `grantBatch`), ~1,000 legal availability rules, and a set-based check
 * of the points books. Bench members are numbered `Z0000001`…
 */
import { sql } from 'drizzle-orm'
import type { Db } from '../server/db/client'
import { demoUnions } from '../server/db/seed'
import { first, rows } from '../server/db/sql'
import { grantBatch, recordGrant } from '../server/modules/points/grants'

/** The member number of bench member `i` (from 1). */
export const benchMemberNo = (i: number) => `Z${String(i).padStart(7, '0')}`

/** Full paths (`北京市总工会/朝阳区总工会/帕克国际工会`) of the enterprise unions under `root`. */
export function leafUnionPaths(root: string): string[] {
  type Node = { name: string; children?: Node[] }
  const walk = (u: Node, prefix: string): string[] => {
    const path = prefix ? `${prefix}/${u.name}` : u.name
    return u.children?.length ? u.children.flatMap((c) => walk(c, path)) : [path]
  }
  const top = demoUnions.find((u) => u.name === root)
  if (!top) throw new Error(`no union ${root} in the demo data`)
  return walk(top, '')
}

/** A roster CSV of bench members `from`…`from + count - 1`, spread over `unions` in turn. */
export function rosterCsv(from: number, count: number, unions: string[]): Buffer {
  const lines = ['会员号,姓名,手机号,工会']
  for (let i = from; i < from + count; i++) {
    lines.push(
      `${benchMemberNo(i)},规模${i},1${String(3_000_000_000 + i)},${unions[i % unions.length]}`,
    )
  }
  return Buffer.from(lines.join('\r\n') + '\r\n')
}

/** Historic grants per member: each lot expired in full before the next; then one open lot. */
const HISTORY_EXPIRED = 9
const OPEN_LOT = 100
/** Members per transaction of the history. */
const HISTORY_BATCH = 10_000

/**
 * Gives every bench member with an id above `afterId` a points history, in SQL that keeps the
 * books: 9 past grants (10 point_grants rows, one lot per member each) whose lots expired in full
 * (a `grant` and an `expire` entry each, the balance back to 0), then an open lot of 100 without
 * expiry (a `grant` entry, balance 100): 19 ledger entries and 10 lots per member, in date order.
 * Returns the members given a history and the highest id.
 */
export async function seedHistory(
  db: Db,
  opts: { afterId: number; actorId: number; unionId: number },
): Promise<{ members: number; entries: number; lastId: number }> {
  const span = await first<{ n: number; last: number | null }>(
    db,
    sql`SELECT count(*)::int AS n, max(id) AS last FROM members
        WHERE member_no LIKE 'Z%' AND id > ${opts.afterId}`,
  )
  const n = span?.n ?? 0
  const last = span?.last ?? null
  if (n === 0 || last === null) return { members: 0, entries: 0, lastId: opts.afterId }
  const day = 86_400_000
  const now = Date.now()
  const grants: Array<{ id: number; amount: number; created: Date; expires: Date | null }> = []
  for (let k = 1; k <= HISTORY_EXPIRED + 1; k++) {
    const open = k > HISTORY_EXPIRED
    const created = new Date(now - (open ? 10 : 400 - 40 * k) * day)
    const expires = open ? null : new Date(created.getTime() + 30 * day)
    const amount = open ? OPEN_LOT : 10 + k
    const g = await first<{ id: number }>(
      db,
      sql`INSERT INTO point_grants (actor_id, amount, reason, expires_at, union_id, member_count,
                                    status, granted, created_at)
          VALUES (${opts.actorId}, ${amount}, ${`历史发放 ${k}`}, ${expires}, ${opts.unionId}, ${n},
                  'done', ${n}, ${created})
          RETURNING id`,
    )
    if (!g) throw new Error('history grant not recorded')
    grants.push({ id: g.id, amount, created, expires })
  }
  const ids = sql.param(grants.map((g) => g.id))
  let entries = 0
  const batch = async (lo: number, hi: number) =>
    db.transaction(async (tx) => {
      await tx.execute(
        sql`INSERT INTO point_lots (member_id, kind, grant_id, amount, remaining, expires_at,
                                    expired_at, reason, created_at)
            SELECT m.id, 'grant', g.id, g.amount,
                   CASE WHEN g.expires IS NULL THEN g.amount ELSE 0 END,
                   g.expires, g.expires, '历史发放 ' || g.k, g.created
            FROM members m
            CROSS JOIN unnest(${ids}::int[],
                              ${sql.param(grants.map((g) => g.amount))}::int[],
                              ${sql.param(grants.map((g) => g.created.toISOString()))}::timestamptz[],
                              ${sql.param(grants.map((g) => g.expires?.toISOString() ?? null))}::timestamptz[])
                 WITH ORDINALITY AS g(id, amount, created, expires, k)
            WHERE m.id BETWEEN ${lo} AND ${hi} AND m.member_no LIKE 'Z%'
            ORDER BY m.id, g.k`,
      )
      const [written] = await rows<{ n: number }>(
        tx,
        sql`WITH e AS (
              INSERT INTO point_ledger (member_id, kind, amount, balance_after, reason, lot_id,
                                        created_at)
              SELECT l.member_id, e.kind, e.amount, e.after, e.reason, l.id, e.at
              FROM point_lots l
              CROSS JOIN LATERAL (VALUES ('grant', l.amount, l.amount, l.reason, l.created_at, 0),
                                         ('expire', -l.amount, 0, '积分到期', l.expired_at, 1))
                   AS e(kind, amount, after, reason, at, o)
              WHERE l.member_id BETWEEN ${lo} AND ${hi} AND l.grant_id = ANY(${ids}::int[])
                AND (e.o = 0 OR l.expired_at IS NOT NULL)
              ORDER BY l.member_id, l.created_at, e.o
              RETURNING 1
            )
            SELECT count(*)::int AS n FROM e`,
      )
      entries += written?.n ?? 0
      await tx.execute(
        sql`INSERT INTO point_accounts (member_id, balance)
            SELECT id, ${OPEN_LOT} FROM members
            WHERE id BETWEEN ${lo} AND ${hi} AND member_no LIKE 'Z%'
            ON CONFLICT (member_id) DO UPDATE SET balance = point_accounts.balance + excluded.balance`,
      )
    })
  // Two batches at a time (their members differ, so they never wait for each other).
  const starts: number[] = []
  for (let lo = opts.afterId + 1; lo <= last; lo += HISTORY_BATCH) starts.push(lo)
  const worker = async () => {
    for (let lo = starts.shift(); lo !== undefined; lo = starts.shift()) {
      await batch(lo, Math.min(last, lo + HISTORY_BATCH - 1))
    }
  }
  await Promise.all([worker(), worker()])
  return { members: n, entries, lastId: last }
}

/**
 * A lot of `amount` points that is already due for every bench member, through the server's own
 * grant code (`recordGrant` + `grantBatch`: lot, balance and ledger together, accounts locked in
 * id order), in transactions of 2,000 members. Returns how many members got one.
 */
export async function seedDueLots(
  db: Db,
  opts: { actorId: number; unionId: number; amount: number },
): Promise<number> {
  const ids = (
    await rows<{ id: number }>(
      db,
      sql`SELECT id FROM members WHERE member_no LIKE 'Z%' ORDER BY id`,
    )
  ).map((m) => m.id)
  const g = {
    actorId: opts.actorId,
    amount: opts.amount,
    reason: '规模测试：到期积分',
    expiresAt: new Date(Date.now() - 60_000),
    unionId: opts.unionId,
  }
  const grantId = await db.transaction((tx) => recordGrant(tx, g, ids.length))
  let granted = 0
  for (let i = 0; i < ids.length; i += 2000) {
    granted += await db.transaction((tx) =>
      grantBatch(tx, { id: grantId, ...g }, ids.slice(i, i + 2000)),
    )
  }
  return granted
}

/**
 * ~`count` weekly availability rules at service points of `unionId`: `lawyers` lawyer members,
 * each with 2-hour blocks (08–10, 10–12, 13–15, 15–17 on each weekday) that never overlap for one
 * lawyer, spread over `points` workstations; 30-minute slots. Returns the service points' ids
 * (the first has about count ÷ points rules).
 */
export async function seedLegalRules(
  db: Db,
  opts: { unionId: number; count: number; lawyers: number; points: number },
): Promise<number[]> {
  return db.transaction(async (tx) => {
    const points = await rows<{ id: number }>(
      tx,
      sql`INSERT INTO legal_service_points (union_id, name, kind, address)
          SELECT ${opts.unionId}, '规模测试工作站 ' || g, 'workstation', '北京市测试路 ' || g || ' 号'
          FROM generate_series(1, ${opts.points}) g ORDER BY g
          RETURNING id`,
    )
    const lawyers = await rows<{ id: number }>(
      tx,
      sql`WITH m AS (
            INSERT INTO members (member_no, name, union_id, roles)
            SELECT 'L' || (1000 + g), '规模律师' || g, ${opts.unionId},
                   ARRAY['member', 'lawyer']::text[]
            FROM generate_series(1, ${opts.lawyers}) g ORDER BY g
            RETURNING id
          )
          INSERT INTO legal_lawyers (member_id, firm) SELECT id, '规模测试律所' FROM m ORDER BY id
          RETURNING id`,
    )
    const blocks = [
      ['08:00', '10:00'],
      ['10:00', '12:00'],
      ['13:00', '15:00'],
      ['15:00', '17:00'],
    ]
    const perLawyer = Math.ceil(opts.count / lawyers.length)
    const rule = { lawyer: [] as number[], point: [] as number[], weekday: [] as number[] }
    const times = { start: [] as string[], end: [] as string[] }
    lawyers.forEach((l, li) => {
      for (let k = 0; k < perLawyer && k < 28 && rule.lawyer.length < opts.count; k++) {
        const weekday = (k % 7) + 1
        const block = blocks[Math.floor(k / 7)]
        rule.lawyer.push(l.id)
        rule.point.push(points[(li + k) % points.length].id)
        rule.weekday.push(weekday)
        times.start.push(block[0])
        times.end.push(block[1])
      }
    })
    await tx.execute(
      sql`INSERT INTO legal_availability_rules (lawyer_id, service_point_id, weekday, start_time,
                                                end_time, slot_minutes, valid_from)
          SELECT r.lawyer, r.point, r.weekday, r.s, r.e, 30, current_date - 30
          FROM unnest(${sql.param(rule.lawyer)}::int[], ${sql.param(rule.point)}::int[],
                      ${sql.param(rule.weekday)}::int[], ${sql.param(times.start)}::text[],
                      ${sql.param(times.end)}::text[]) AS r(lawyer, point, weekday, s, e)`,
    )
    return points.map((p) => p.id)
  })
}

/**
 * The points books, set-based (the tests' correlated checks are too slow for millions of rows):
 * per account, balance = ledger sum = open lots' remaining = last entry's balance; nothing negative;
 * no lot expired twice. Returns the broken rules with how many rows break each.
 */
export async function brokenBooks(db: Db): Promise<string[]> {
  const [r] = await rows<Record<string, number>>(
    db,
    sql`WITH led AS (SELECT member_id, sum(amount)::bigint AS s FROM point_ledger GROUP BY member_id),
             lot AS (SELECT member_id, sum(remaining)::bigint AS s FROM point_lots GROUP BY member_id),
             last AS (SELECT DISTINCT ON (member_id) member_id, balance_after FROM point_ledger
                      ORDER BY member_id, id DESC)
        SELECT
          count(*) FILTER (WHERE a.balance <> coalesce(led.s, 0))::int AS "balance ≠ ledger sum",
          count(*) FILTER (WHERE a.balance <> coalesce(lot.s, 0))::int AS "balance ≠ open lots",
          count(*) FILTER (WHERE a.balance <> coalesce(last.balance_after, 0))::int
            AS "balance ≠ last balance_after",
          count(*) FILTER (WHERE a.balance < 0)::int AS "negative balance",
          (SELECT count(*)::int FROM point_ledger WHERE balance_after < 0) AS "negative balance_after",
          (SELECT count(*)::int FROM (SELECT lot_id FROM point_ledger WHERE kind = 'expire'
                                      GROUP BY lot_id HAVING count(*) > 1) x) AS "lot expired twice",
          (SELECT count(*)::int FROM led WHERE NOT EXISTS
             (SELECT 1 FROM point_accounts a2 WHERE a2.member_id = led.member_id))
            AS "ledger without account"
        FROM point_accounts a
        LEFT JOIN led ON led.member_id = a.member_id
        LEFT JOIN lot ON lot.member_id = a.member_id
        LEFT JOIN last ON last.member_id = a.member_id`,
  )
  return Object.entries(r ?? {})
    .filter(([, n]) => n > 0)
    .map(([rule, n]) => `${rule}: ${n}`)
}
