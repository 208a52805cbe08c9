import { sql } from 'drizzle-orm'
import type { Tx } from '../../db/client'
import { first, rows } from '../../db/sql'
import { AppError } from '../../lib/errors'
import type { Caller } from '../../lib/route'
import {
  JobFailure,
  type ClaimedJob,
  type JobContext,
  type JobHandler,
  type JobQueue,
} from '../../lib/job-queue'
import { assertMayActOnUnion, staffScope, subtreeIds, subtreeOf } from '../org/union-tree'

/**
 * Members of these unions, from the counts the database maintains (`union_member_counts`,
 * migration 0013): one row per union, whatever their size.
 */
async function membersUnder(tx: Tx, unionIds: number[]): Promise<number> {
  const counted = await first<{ n: number }>(
    tx,
    sql`SELECT coalesce(sum(members), 0)::int AS n FROM union_member_counts
        WHERE union_id = ANY(${sql.param(unionIds)}::int[])`,
  )
  return counted?.n ?? 0
}

export interface GrantTarget {
  memberIds?: number[]
  /** Member numbers (upper-cased by the contract); see `membersByNumber`. */
  memberNos?: string[]
  unionId?: number
}

/**
 * The members with these numbers in the caller's unions (ids sorted), and the numbers that are
 * not (not found, or a member of a union outside the caller's scope: both answered alike, so
 * numbers say nothing about other unions' members), deduplicated, in the order given.
 */
export async function membersByNumber(
  tx: Tx,
  caller: Caller,
  memberNos: string[],
): Promise<{ memberIds: number[]; unknown: string[] }> {
  const nos = [...new Set(memberNos)]
  const found = await rows<{ id: number; member_no: string; union_id: number }>(
    tx,
    sql`SELECT id, member_no, union_id FROM members
        WHERE member_no = ANY(${sql.param(nos)}::text[])`,
  )
  const scope = new Set(await staffScope(tx, caller))
  const mine = new Map(found.filter((m) => scope.has(m.union_id)).map((m) => [m.member_no, m.id]))
  return {
    memberIds: [...mine.values()].sort((a, b) => a - b),
    unknown: nos.filter((no) => !mine.has(no)),
  }
}

/**
 * The members a grant reaches, checked against the caller's scope: listed members must all exist
 * (404) and belong to the caller's union subtree (403); a union must lie in it (403) and reaches
 * every member of its own subtree. Sorted by id; with `idsUpTo`, a union reaching more members
 * than that answers only their count (`memberIds: null`).
 */
export async function resolveGrantTarget(
  tx: Tx,
  caller: Caller,
  target: GrantTarget,
  opts: { idsUpTo?: number } = {},
): Promise<{ total: number; memberIds: number[] | null }> {
  if (target.unionId !== undefined) {
    const union = await first<{ id: number }>(
      tx,
      sql`SELECT id FROM unions WHERE id = ${target.unionId}`,
    )
    if (!union) throw new AppError('UNION_NOT_FOUND')
    await assertMayActOnUnion(tx, caller, target.unionId)
    const unions = await subtreeIds(tx, target.unionId)
    if (opts.idsUpTo !== undefined) {
      // A count over the union index first: a grant to a whole federation goes to a job, which
      // reads its members batch by batch, so their ids are not loaded here.
      const total = await membersUnder(tx, unions)
      if (total > opts.idsUpTo) return { total, memberIds: null }
    }
    const list = await rows<{ id: number }>(
      tx,
      sql`SELECT id FROM members WHERE union_id = ANY(${sql.param(unions)}::int[]) ORDER BY id`,
    )
    return { total: list.length, memberIds: list.map((m) => m.id) }
  }
  if (target.memberNos !== undefined) {
    const { memberIds, unknown } = await membersByNumber(tx, caller, target.memberNos)
    if (unknown.length > 0) {
      const shown = unknown.slice(0, 10).join('、')
      throw new AppError(
        'UNKNOWN_MEMBER_NOS',
        `有 ${unknown.length} 个会员号不存在或不在管理范围内：${shown}${unknown.length > 10 ? ' 等' : ''}。请核对后再发放`,
      )
    }
    return { total: memberIds.length, memberIds }
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
  return { total: ids.length, memberIds: ids }
}

/** Members a grant preview names, at most. */
export const PREVIEW_SAMPLE = 5

export interface GrantPreview {
  memberCount: number
  sample: Array<{ id: number; memberNo: string; name: string; unionName: string }>
  unknownMemberNos: string[]
}

/**
 * Whom a grant would reach, checked as `resolveGrantTarget` checks it, at the cost of what it
 * shows: for a union, the count is the sum of the maintained counts of its subtree's unions
 * (`union_member_counts`) and the sample the first members by number of each union
 * (`members_union_member_no_c_idx`, in the "C" collation), merged — no member row is loaded
 * beyond the sample. A list of members is bounded by the request.
 */
export async function previewGrantTarget(
  tx: Tx,
  caller: Caller,
  target: GrantTarget,
): Promise<GrantPreview> {
  type Row = { id: number; member_no: string; name: string; union_name: string }
  let memberCount: number
  let sample: Row[]
  let unknownMemberNos: string[] = []
  if (target.unionId !== undefined) {
    const union = await first<{ id: number }>(
      tx,
      sql`SELECT id FROM unions WHERE id = ${target.unionId}`,
    )
    if (!union) throw new AppError('UNION_NOT_FOUND')
    await assertMayActOnUnion(tx, caller, target.unionId)
    const down = subtreeOf(target.unionId)
    memberCount = await membersUnder(tx, await subtreeIds(tx, target.unionId))
    sample = await rows<Row>(
      tx,
      sql`SELECT s.id, s.member_no, s.name, u.name AS union_name
          FROM ${down} d JOIN unions u ON u.id = d.id
          CROSS JOIN LATERAL (SELECT m.id, m.member_no, m.name FROM members m
                              WHERE m.union_id = d.id
                              ORDER BY m.member_no COLLATE "C" LIMIT ${PREVIEW_SAMPLE}) s
          ORDER BY s.member_no COLLATE "C" LIMIT ${PREVIEW_SAMPLE}`,
    )
  } else {
    let ids: number[]
    if (target.memberNos !== undefined) {
      // Unknown numbers are listed, not refused: the page shows them before confirming.
      const byNumber = await membersByNumber(tx, caller, target.memberNos)
      ids = byNumber.memberIds
      unknownMemberNos = byNumber.unknown
    } else {
      ids = (await resolveGrantTarget(tx, caller, target)).memberIds ?? []
    }
    memberCount = ids.length
    sample = await rows<Row>(
      tx,
      sql`SELECT m.id, m.member_no, m.name, u.name AS union_name
          FROM members m JOIN unions u ON u.id = m.union_id
          WHERE m.id = ANY(${sql.param(ids)}::int[]) ORDER BY m.member_no LIMIT ${PREVIEW_SAMPLE}`,
    )
  }
  return {
    memberCount,
    sample: sample.map((m) => ({
      id: m.id,
      memberNo: m.member_no,
      name: m.name,
      unionName: m.union_name,
    })),
    unknownMemberNos,
  }
}

/** The job that grants to many members in batches. */
export const GRANT_JOB = 'points-grant'
/** Members per transaction of a grant job. */
export const GRANT_BATCH = 1000

export interface GrantInput {
  actorId: number
  amount: number
  reason: string
  expiresAt: Date | null
  unionId?: number
}

interface GrantRow {
  id: number
  amount: number
  reason: string
  expiresAt: Date | null
}

/** Records a grant (its members are credited by `grantBatch`, at once or by a job). */
export async function recordGrant(
  tx: Tx,
  g: GrantInput,
  memberCount: number,
  job: { status: 'running' | 'done'; jobId: number | null } = { status: 'done', jobId: null },
): Promise<number> {
  const grant = await first<{ id: number }>(
    tx,
    sql`INSERT INTO point_grants (actor_id, amount, reason, expires_at, union_id, member_count,
                                  status, job_id)
        VALUES (${g.actorId}, ${g.amount}, ${g.reason}, ${g.expiresAt}, ${g.unionId ?? null},
                ${memberCount}, ${job.status}, ${job.jobId})
        RETURNING id`,
  )
  if (!grant) throw new Error('grant not recorded')
  return grant.id
}

/**
 * Credits the grant to these members (sorted ids) who do not hold its lot yet: per member a lot,
 * the balance and a `grant` ledger entry, and the grant's `granted` count. The accounts are locked
 * in member-id order first, so concurrent grants and single-member writes never deadlock; a member
 * who already has the grant's lot (a batch re-run) is skipped, and the unique index
 * `point_lots_grant_member_once` backs that up. Returns how many members it credited.
 */
export async function grantBatch(tx: Tx, grant: GrantRow, memberIds: number[]): Promise<number> {
  if (memberIds.length === 0) return 0
  const idList = sql.param(memberIds)
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
          UPDATE point_accounts a SET balance = balance + ${grant.amount}
          WHERE a.member_id = ANY(${idList}::int[])
            AND NOT EXISTS (SELECT 1 FROM point_lots l
                            WHERE l.grant_id = ${grant.id} AND l.member_id = a.member_id)
          RETURNING a.member_id, a.balance
        ), lots AS (
          INSERT INTO point_lots (member_id, kind, grant_id, amount, remaining, expires_at, reason)
          SELECT member_id, 'grant', ${grant.id}, ${grant.amount}, ${grant.amount},
                 ${grant.expiresAt}::timestamptz, ${grant.reason}
          FROM credited ORDER BY member_id
          RETURNING id, member_id
        ), entries AS (
          INSERT INTO point_ledger (member_id, kind, amount, balance_after, reason, lot_id)
          SELECT c.member_id, 'grant', ${grant.amount}, c.balance, ${grant.reason}, l.id
          FROM credited c JOIN lots l ON l.member_id = c.member_id ORDER BY c.member_id
          RETURNING 1
        )
        SELECT count(*)::int AS n FROM entries`,
  )
  const n = done[0]?.n ?? 0
  if (n > 0) {
    await tx.execute(sql`UPDATE point_grants SET granted = granted + ${n} WHERE id = ${grant.id}`)
  }
  return n
}

/**
 * Grants `amount` points to each member in the caller's transaction: a grant record, then per
 * member a lot (with the optional expiry), the balance and a `grant` ledger entry.
 */
export async function grantPoints(
  tx: Tx,
  g: GrantInput & { memberIds: number[] },
): Promise<{ grantId: number; granted: number }> {
  const ids = [...new Set(g.memberIds)].sort((a, b) => a - b)
  const grantId = await recordGrant(tx, g, ids.length)
  const granted = await grantBatch(tx, { id: grantId, ...g }, ids)
  if (granted !== ids.length) throw new Error(`grant ${grantId}: ${granted} of ${ids.length}`)
  return { grantId, granted }
}

/**
 * Starts a grant to many members as a durable job (in the caller's transaction; kick the queue
 * once it commits): a union's grant reaches its subtree's members as they are when each batch
 * runs; listed members are kept in the job. The grant's `member_count` is the count now and
 * becomes exact when the job ends.
 */
export async function startGrantJob(
  tx: Tx,
  queue: JobQueue,
  g: GrantInput & ({ unionId: number; total: number } | { memberIds: number[] }),
): Promise<{ grantId: number; total: number }> {
  const ids = 'memberIds' in g ? [...new Set(g.memberIds)].sort((a, b) => a - b) : null
  const total = ids ? ids.length : 'total' in g ? g.total : 0
  const jobId = await queue.enqueue(tx, GRANT_JOB, {}, g.actorId)
  const grantId = await recordGrant(tx, g, total, { status: 'running', jobId })
  const payload = ids === null ? { grantId } : { grantId, memberIds: ids }
  await tx.execute(
    sql`UPDATE jobs SET payload = ${JSON.stringify(payload)}::jsonb, total = ${total}
        WHERE id = ${jobId}`,
  )
  return { grantId, total }
}

/**
 * The grant job: batches of `GRANT_BATCH` members in id order, each one transaction that resumes
 * after the last member holding the grant's lot, so a job re-run after a crash or a lost lease
 * grants nobody twice. The last batch fixes the grant's total to the members it reached.
 */
export const grantJob: JobHandler = {
  async run(ctx: JobContext) {
    const db = ctx.app.db.db
    const payload = ctx.job.payload as { grantId?: number; memberIds?: number[] }
    const grant = await first<{
      id: number
      amount: number
      reason: string
      expires_at: Date | string | null
      union_id: number | null
    }>(
      db,
      sql`SELECT id, amount, reason, expires_at, union_id FROM point_grants
          WHERE id = ${payload.grantId ?? 0}`,
    )
    if (!grant) throw new JobFailure('发放记录不存在')
    const row: GrantRow = {
      id: grant.id,
      amount: grant.amount,
      reason: grant.reason,
      expiresAt: grant.expires_at === null ? null : new Date(grant.expires_at),
    }
    const listed = payload.memberIds
    const unions = grant.union_id === null ? null : await subtreeIds(db, grant.union_id)
    if (!listed && !unions) throw new JobFailure('发放对象不明')
    for (;;) {
      const over = await ctx.batch(async (tx) => {
        const last =
          (
            await first<{ m: number | null }>(
              tx,
              sql`SELECT max(member_id) AS m FROM point_lots WHERE grant_id = ${grant.id}`,
            )
          )?.m ?? 0
        const ids = listed
          ? listed.filter((id) => id > last).slice(0, GRANT_BATCH)
          : (
              await rows<{ id: number }>(
                tx,
                sql`SELECT id FROM members WHERE union_id = ANY(${sql.param(unions!)}::int[])
                      AND id > ${last} ORDER BY id LIMIT ${GRANT_BATCH}`,
              )
            ).map((m) => m.id)
        await grantBatch(tx, row, ids)
        const counts = await first<{ granted: number }>(
          tx,
          sql`SELECT granted FROM point_grants WHERE id = ${grant.id}`,
        )
        const granted = counts?.granted ?? 0
        if (ids.length < GRANT_BATCH) {
          await tx.execute(
            sql`UPDATE point_grants SET status = 'done', member_count = granted
                WHERE id = ${grant.id}`,
          )
          await tx.execute(
            sql`UPDATE jobs SET total = ${granted}, done = ${granted} WHERE id = ${ctx.job.id}`,
          )
          await ctx.complete(tx)
          return true
        }
        await tx.execute(sql`UPDATE jobs SET done = ${granted} WHERE id = ${ctx.job.id}`)
        return false
      })
      if (over) return 'done'
      if (ctx.stopping()) return 'paused'
    }
  },
  async failed(tx: Tx, job: ClaimedJob) {
    const grantId = (job.payload as { grantId?: number }).grantId ?? 0
    await tx.execute(
      sql`UPDATE point_grants SET status = 'failed', member_count = granted WHERE id = ${grantId}`,
    )
  },
}
