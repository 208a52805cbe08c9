import { sql } from 'drizzle-orm'
import type { CampaignClose, CloseCampaignResponse, MemberRef } from '../../../src/contract/cooling'
import { quotaUsed } from '../../../src/contract/cooling-pack'
import type { Db, Tx } from '../../db/client'
import { first, rows } from '../../db/sql'
import { audit } from '../../lib/audit'
import { AppError } from '../../lib/errors'
import { JobFailure, type JobContext, type JobHandler, type JobQueue } from '../../lib/job-queue'
import { subtreeOf } from '../org/union-tree'
import { lockCampaign } from './locks'
import { allocateDefaultPacks } from './rules'

// Closing a campaign: the default pack, for pickup at the union, to every member of the union's
// subtree without a pack, within stock, in member id order. It runs in batches (`closeCampaignStep`),
// each its own transaction; the campaign row keeps the run's cursor and counts, so a run stopped
// anywhere resumes where its last batch committed, and the outcome is the one of a single pass.

type When = Date | string
const iso = (d: When) => new Date(d).toISOString()

/** Members handled per transaction of a close run as a job (and of the background close). */
export const CLOSE_BATCH = 1000
/** Up to this many members without a pack, a staff close runs in its request (one transaction). */
export const CLOSE_INLINE_MAX = 2000
/** At most this many uncovered members are named in a close answer. */
const NOT_COVERED_LISTED = 500
/** The durable job that closes a campaign in batches. */
export const CLOSE_JOB = 'cooling-close'

interface CloseState {
  id: number
  union_id: number
  closed_at: When | null
  close_cursor: number
  close_total: number
  close_created: number
  close_not_covered: number
  close_done_at: When | null
  close_job_id: number | null
}

const stateColumns = sql`id, union_id, closed_at, close_cursor, close_total, close_created,
  close_not_covered, close_done_at, close_job_id`

/**
 * Members (the role) of the subtree of `unionId` without a pack of the campaign, above member id
 * `after`: the `FROM … WHERE` of a query over `m`.
 */
const uncovered = (campaignId: number, unionId: number, after: number) =>
  sql`FROM members m
      WHERE m.union_id IN (SELECT id FROM ${subtreeOf(unionId)} down) AND 'member' = ANY(m.roles)
        AND m.id > ${after}
        AND NOT EXISTS (SELECT 1 FROM cooling_packs p
                        WHERE p.campaign_id = ${campaignId} AND p.member_id = m.id
                          AND p.member_id > ${after})`

/** How many members of the campaign's union subtree have no pack. */
async function countUncovered(tx: Tx, campaignId: number, unionId: number): Promise<number> {
  // Members less those holding a pack: two counts, no anti-join (see `runBatch`).
  const row = await first<{ n: number }>(
    tx,
    sql`WITH sub AS (SELECT id FROM ${subtreeOf(unionId)} down)
        SELECT ((SELECT count(*) FROM members m
                 WHERE m.union_id IN (SELECT id FROM sub) AND 'member' = ANY(m.roles))
              - (SELECT count(*) FROM cooling_packs p JOIN members m ON m.id = p.member_id
                 WHERE p.campaign_id = ${campaignId}
                   AND m.union_id IN (SELECT id FROM sub) AND 'member' = ANY(m.roles)))::int AS n`,
  )
  return row?.n ?? 0
}

/** The campaign's close state, locked for this transaction; 404 when there is none. */
async function lockedState(tx: Tx, campaignId: number): Promise<CloseState> {
  await lockCampaign(tx, campaignId, 'exclusive')
  const c = await first<CloseState>(
    tx,
    sql`SELECT ${stateColumns} FROM cooling_campaigns WHERE id = ${campaignId} FOR UPDATE`,
  )
  if (!c) throw new AppError('NOT_FOUND', '活动不存在')
  return c
}

/**
 * Starts a close run in the caller's transaction (after `lockedState`): the first one closes the
 * campaign (`closed_at` keeps that first time); on a campaign whose last run is over a new run
 * starts from the first member (closing again covers members who joined since). A run in
 * progress is left as it is. Returns the state after.
 */
async function beginRun(
  tx: Tx,
  c: CloseState,
  actorId: number | null,
  now: Date,
  jobId: number | null = null,
): Promise<CloseState> {
  if (c.closed_at !== null && c.close_done_at === null) return c
  const total = await countUncovered(tx, c.id, c.union_id)
  const row = await first<CloseState>(
    tx,
    sql`UPDATE cooling_campaigns
        SET closed_at = coalesce(closed_at, ${now}),
            closed_by = CASE WHEN closed_at IS NULL THEN ${actorId}::int ELSE closed_by END,
            close_cursor = 0, close_total = ${total}, close_created = 0, close_not_covered = 0,
            close_done_at = NULL, close_job_id = ${jobId}
        WHERE id = ${c.id}
        RETURNING ${stateColumns}`,
  )
  if (!row) throw new Error(`campaign ${c.id} vanished`)
  return row
}

export interface CloseStep {
  /** Default packs this batch created. */
  created: number
  /** Members of this batch left without one (stock ran short). */
  notCovered: number
  /** No member without a pack remains after this batch: the run is over. */
  finished: boolean
}

/**
 * One batch of `state`'s run in the caller's transaction (which holds the campaign's exclusive
 * lock): of the next `limit` members above the cursor, those without a pack get the default pack
 * while stock lasts, the items locked in id order as every pack edit does; the cursor and counts
 * move on, and the run is over when fewer than `limit` members were left.
 */
async function runBatch(tx: Tx, state: CloseState, now: Date, limit: number): Promise<CloseStep> {
  const campaignId = state.id
  const items = await rows<{
    id: number
    stock_left: number
    quota_cost: number
    default_quantity: number
  }>(
    tx,
    sql`SELECT id, stock_left, quota_cost, default_quantity FROM cooling_items
        WHERE campaign_id = ${campaignId} ORDER BY id FOR UPDATE`,
  )
  // The next `limit` members above the cursor, then those of them that hold a pack, by the
  // (campaign, member) key: two index walks whose cost does not hang on the planner's idea of how
  // many packs the campaign has (an anti-join planned on stale statistics rescans the campaign's
  // packs for every member).
  const candidates = await rows<{ id: number }>(
    tx,
    sql`SELECT m.id FROM members m
        WHERE m.union_id IN (SELECT id FROM ${subtreeOf(state.union_id)} down)
          AND 'member' = ANY(m.roles) AND m.id > ${state.close_cursor}
        ORDER BY m.id LIMIT ${limit}`,
  )
  const packed = new Set(
    (
      await rows<{ member_id: number }>(
        tx,
        sql`SELECT member_id FROM cooling_packs
            WHERE campaign_id = ${campaignId}
              AND member_id = ANY(${sql.param(candidates.map((m) => m.id))}::int[])`,
      )
    ).map((p) => p.member_id),
  )
  const batch = candidates.filter((m) => !packed.has(m.id))
  const defaultPack = items
    .filter((i) => i.default_quantity > 0)
    .map((i) => ({ itemId: i.id, quantity: i.default_quantity }))
  const allocation = allocateDefaultPacks(
    batch.map((m) => m.id),
    defaultPack,
    new Map(items.map((i) => [i.id, i.stock_left])),
  )
  if (allocation.covered.length > 0) {
    const used = quotaUsed(
      items.map((i) => ({ id: i.id, quotaCost: i.quota_cost })),
      defaultPack,
    )
    const packs = await rows<{ id: number }>(
      tx,
      sql`INSERT INTO cooling_packs (campaign_id, member_id, quota_used, quota_limit,
                                     delivery_kind, is_default, created_at, updated_at)
          SELECT ${campaignId}, m.id, ${used}, c.quota, 'pickup', true, ${now}, ${now}
          FROM unnest(${sql.param(allocation.covered)}::int[]) AS m(id)
          JOIN cooling_campaigns c ON c.id = ${campaignId}
          ON CONFLICT (campaign_id, member_id) DO NOTHING
          RETURNING id`,
    )
    if (packs.length !== allocation.covered.length) {
      throw new Error(`campaign ${campaignId}: a member got a pack while it was being closed`)
    }
    await tx.execute(
      sql`INSERT INTO cooling_pack_items (pack_id, item_id, quantity)
          SELECT p.id, d.item_id, d.quantity
          FROM unnest(${sql.param(packs.map((p) => p.id))}::int[]) AS p(id)
          CROSS JOIN unnest(${sql.param(defaultPack.map((l) => l.itemId))}::int[],
                            ${sql.param(defaultPack.map((l) => l.quantity))}::int[])
               AS d(item_id, quantity)`,
    )
    const taken = await rows<{ id: number }>(
      tx,
      sql`UPDATE cooling_items i SET stock_left = i.stock_left - t.quantity
          FROM unnest(${sql.param(allocation.taken.map((t) => t.itemId))}::int[],
                      ${sql.param(allocation.taken.map((t) => t.quantity))}::int[])
               AS t(id, quantity)
          WHERE i.id = t.id AND i.stock_left >= t.quantity
          RETURNING i.id`,
    )
    if (taken.length !== allocation.taken.length) {
      throw new Error(`campaign ${campaignId}: stock changed while it was being closed`)
    }
  }
  const finished = candidates.length < limit
  const cursor = candidates.length > 0 ? candidates[candidates.length - 1]!.id : state.close_cursor
  const created = allocation.covered.length
  const notCovered = allocation.notCovered.length
  await tx.execute(
    sql`UPDATE cooling_campaigns
        SET close_cursor = ${cursor}, close_created = close_created + ${created},
            close_not_covered = close_not_covered + ${notCovered},
            close_total = greatest(close_total, close_created + close_not_covered + ${created + notCovered}),
            close_done_at = ${finished ? now : null}
        WHERE id = ${campaignId}`,
  )
  Object.assign(state, {
    close_cursor: cursor,
    close_created: state.close_created + created,
    close_not_covered: state.close_not_covered + notCovered,
    close_done_at: finished ? now : null,
  })
  return { created, notCovered, finished }
}

/**
 * One batch of closing the campaign, in the caller's transaction: the first step closes it (when
 * nobody had), every step hands the default pack to the next `limit` members without one (member
 * id order, while stock lasts). Takes the campaign's advisory lock exclusively first, so pack
 * edits in flight finish before and later ones find the campaign closed, and concurrent steps
 * (another process, staff's close) run one after the other from the cursor the last one
 * committed: nobody gets a pack twice (the unique (campaign_id, member_id) backs it up).
 * `finished` when no member without a pack remains; a finished campaign's step does nothing.
 */
export async function closeCampaignStep(
  tx: Tx,
  campaignId: number,
  now: Date,
  limit: number,
): Promise<CloseStep> {
  let c = await lockedState(tx, campaignId)
  if (c.closed_at !== null && c.close_done_at !== null) {
    return { created: 0, notCovered: 0, finished: true }
  }
  c = await beginRun(tx, c, null, now)
  return runBatch(tx, c, now, limit)
}

/**
 * The campaigns to close now: past their closing time and not closed by anybody, or closed with
 * a run of default packs not finished (a process stopped mid-way). Oldest first.
 */
export async function dueCampaignIds(db: Db, now: Date): Promise<number[]> {
  const due = await rows<{ id: number }>(
    db,
    sql`SELECT id FROM (
          SELECT id, closes_at FROM cooling_campaigns
          WHERE closed_at IS NULL AND closes_at <= ${now}
          UNION
          SELECT id, closes_at FROM cooling_campaigns
          WHERE closed_at IS NOT NULL AND close_done_at IS NULL
        ) due ORDER BY closes_at, id`,
  )
  return due.map((c) => c.id)
}

/**
 * Closes every due campaign (`dueCampaignIds`) in batches of `CLOSE_BATCH`, each its own
 * transaction: default packs appear without waiting for staff. A concurrent close by staff or
 * another process takes turns on the campaign lock and creates nothing twice. Returns how many
 * campaigns it closed.
 */
export async function closeDueCampaigns(db: Db, now: Date): Promise<number> {
  const due = await dueCampaignIds(db, now)
  for (const id of due) {
    for (;;) {
      const step = await db.transaction((tx) => closeCampaignStep(tx, id, now, CLOSE_BATCH))
      if (step.finished) break
    }
  }
  return due.length
}

/** Members of the campaign's union subtree still without a pack, for staff to follow up. */
async function notCoveredMembers(tx: Tx, c: CloseState): Promise<MemberRef[]> {
  if (c.close_not_covered === 0) return []
  const list = await rows<{ id: number; member_no: string; name: string; union_name: string }>(
    tx,
    sql`SELECT m.id, m.member_no, m.name, u.name AS union_name
        FROM (SELECT m.id ${uncovered(c.id, c.union_id, 0)}
              ORDER BY m.id LIMIT ${NOT_COVERED_LISTED}) nc
        JOIN members m ON m.id = nc.id JOIN unions u ON u.id = m.union_id
        ORDER BY m.id`,
  )
  return list.map((m) => ({
    memberId: m.id,
    memberNo: m.member_no,
    name: m.name,
    unionName: m.union_name,
  }))
}

/** A close run's progress as staff follow it. */
async function closeView(tx: Tx, c: CloseState): Promise<CampaignClose> {
  const job =
    c.close_job_id === null
      ? undefined
      : await first<{ status: string; error: string | null }>(
          tx,
          sql`SELECT status, error FROM jobs WHERE id = ${c.close_job_id}`,
        )
  const status =
    c.closed_at === null
      ? ('none' as const)
      : c.close_done_at !== null
        ? ('done' as const)
        : job?.status === 'failed'
          ? ('failed' as const)
          : ('running' as const)
  return {
    id: c.id,
    status,
    total: c.close_total,
    done: c.close_created + c.close_not_covered,
    defaultPacksCreated: c.close_created,
    notCovered: c.close_not_covered,
    notCoveredMembers: status === 'done' ? await notCoveredMembers(tx, c) : [],
    closedAt: c.closed_at === null ? null : iso(c.closed_at),
    error: status === 'failed' ? (job?.error ?? null) : null,
  }
}

/** The close of a campaign as it stands (`GET …/close`). */
export async function campaignCloseView(tx: Tx, campaignId: number): Promise<CampaignClose> {
  const c = await first<CloseState>(
    tx,
    sql`SELECT ${stateColumns} FROM cooling_campaigns WHERE id = ${campaignId}`,
  )
  if (!c) throw new AppError('NOT_FOUND', '活动不存在')
  return closeView(tx, c)
}

export type CloseOutcome =
  | { kind: 'done'; response: CloseCampaignResponse }
  | { kind: 'job'; close: CampaignClose; started: boolean }

/**
 * Staff close a campaign. With at most `CLOSE_INLINE_MAX` members without a pack the whole run
 * goes in this one transaction and the answer says what it did; with more, the campaign is
 * closed now and a durable job (`CLOSE_JOB`) hands out the default packs in batches — the answer
 * is the run's progress (kick the queue when `started`). While a run is in progress, closing
 * again answers its progress and starts nothing.
 */
export async function closeCampaign(
  db: Db,
  queue: JobQueue | null,
  args: { campaignId: number; actorId: number | null; now: Date },
): Promise<CloseOutcome> {
  const { campaignId, actorId, now } = args
  return db.transaction(async (tx): Promise<CloseOutcome> => {
    const before = await lockedState(tx, campaignId)
    const alreadyClosed = before.closed_at !== null
    const running = alreadyClosed && before.close_done_at === null
    if (running && before.close_job_id !== null) {
      const job = await first<{ status: string }>(
        tx,
        sql`SELECT status FROM jobs WHERE id = ${before.close_job_id}`,
      )
      // A job that failed leaves the run to a new one (below); a running one is followed.
      if (job?.status === 'running') {
        return { kind: 'job', close: await closeView(tx, before), started: false }
      }
    }
    let c = await beginRun(tx, before, actorId, now)
    const closedAt = iso(c.closed_at ?? now)
    if (queue && c.close_total - c.close_created - c.close_not_covered > CLOSE_INLINE_MAX) {
      const jobId = await queue.enqueue(tx, CLOSE_JOB, { campaignId }, actorId)
      await tx.execute(
        sql`UPDATE cooling_campaigns SET close_job_id = ${jobId} WHERE id = ${campaignId}`,
      )
      await tx.execute(sql`UPDATE jobs SET total = ${c.close_total} WHERE id = ${jobId}`)
      c = { ...c, close_job_id: jobId }
      if (actorId !== null) {
        await audit(tx, {
          actorId,
          action: 'cooling_campaign.close',
          entity: 'cooling_campaign',
          entityId: campaignId,
          before: { closedAt: before.closed_at === null ? null : iso(before.closed_at) },
          after: { closedAt, job: jobId, total: c.close_total },
        })
      }
      return { kind: 'job', close: await closeView(tx, c), started: true }
    }
    const createdBefore = c.close_created
    const notCoveredBefore = c.close_not_covered
    for (;;) {
      const step = await runBatch(tx, c, now, CLOSE_INLINE_MAX + 1)
      if (step.finished) break
    }
    const response: CloseCampaignResponse = {
      defaultPacksCreated: c.close_created - createdBefore,
      notCovered: c.close_not_covered - notCoveredBefore,
      notCoveredMembers: await notCoveredMembers(tx, c),
      closedAt,
      alreadyClosed,
    }
    if (actorId !== null) {
      await audit(tx, {
        actorId,
        action: 'cooling_campaign.close',
        entity: 'cooling_campaign',
        entityId: campaignId,
        before: { closedAt: before.closed_at === null ? null : iso(before.closed_at) },
        after: {
          closedAt: response.closedAt,
          defaultPacksCreated: response.defaultPacksCreated,
          notCovered: response.notCovered,
        },
      })
    }
    return { kind: 'done', response }
  })
}

/**
 * The close job: batches of `CLOSE_BATCH` members, each one transaction (`closeCampaignStep`)
 * that also records the progress on the job; a restart resumes from the campaign's cursor.
 */
export const closeJob: JobHandler = {
  async run(ctx: JobContext) {
    const campaignId = (ctx.job.payload as { campaignId?: number }).campaignId
    if (typeof campaignId !== 'number') throw new JobFailure('活动不明')
    for (;;) {
      const over = await ctx.batch(async (tx) => {
        const step = await closeCampaignStep(tx, campaignId, new Date(), CLOSE_BATCH)
        const c = await first<{ total: number; done: number }>(
          tx,
          sql`SELECT close_total AS total, close_created + close_not_covered AS done
              FROM cooling_campaigns WHERE id = ${campaignId}`,
        )
        await tx.execute(
          sql`UPDATE jobs SET total = ${c?.total ?? 0}, done = ${c?.done ?? 0}
              WHERE id = ${ctx.job.id}`,
        )
        if (step.finished) await ctx.complete(tx)
        return step.finished
      })
      if (over) return 'done'
      if (ctx.stopping()) return 'paused'
    }
  },
}
