import { sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import type {
  CloseDueCampaignsCounts,
  ExpiryCounts,
  PeriodicJob,
  PeriodicJobName,
  PruneOutboxCounts,
} from '../../../src/contract/admin'
import type { Db, Tx } from '../../db/client'
import { first, rows } from '../../db/sql'
import { AppError } from '../../lib/errors'
import {
  JobFailure,
  PERIODIC_JOBS,
  readProgress,
  saveProgress,
  type JobContext,
  type JobHandler,
  type JobProgress,
} from '../../lib/job-queue'
import { pruneSessions } from '../../lib/sessions'
import { closeCampaignStep, dueCampaignIds } from '../cooling/campaigns'
import { CLOSE_BATCH } from '../cooling/close'
import { closeOrder } from '../mall/orders'
import {
  countPrunable,
  OUTBOX_PRUNE_BATCH,
  outboxCutoff,
  pruneOutboxBatch,
} from '../notifications/prune'
import {
  countDueMembers,
  dueMembers,
  EXPIRY_BATCH,
  expireMembers,
  expirePoints,
} from '../points/expiry'

/** Overdue orders per transaction of the expiry job (each a refund of a few statements). */
export const ORDER_BATCH = 200

/**
 * Expires up to `limit` orders whose pickup deadline passed at `now`, in the caller's
 * transaction: their members' accounts are locked first, in member-id order (the lock order of
 * every points write, so a batch and a redemption never deadlock), then each order closes and
 * refunds once (`closeOrder`: an order a racing cancel or run closed first is left alone).
 * `seen` is how many due orders the batch took up; fewer than `limit`: none are left.
 */
export async function expireOrdersBatch(
  tx: Tx,
  now: Date,
  limit: number = ORDER_BATCH,
): Promise<{ expired: number; seen: number }> {
  const due = await rows<{ id: number; member_id: number }>(
    tx,
    sql`SELECT id, member_id FROM mall_orders
        WHERE status = 'awaiting_pickup' AND pickup_deadline <= ${now}
        ORDER BY pickup_deadline, id LIMIT ${limit}`,
  )
  if (due.length === 0) return { expired: 0, seen: 0 }
  const memberIds = [...new Set(due.map((o) => o.member_id))].sort((a, b) => a - b)
  await tx.execute(
    sql`SELECT member_id FROM point_accounts WHERE member_id = ANY(${sql.param(memberIds)}::int[])
        ORDER BY member_id FOR UPDATE`,
  )
  let expired = 0
  for (const o of [...due].sort((a, b) => a.member_id - b.member_id || a.id - b.id)) {
    if (await closeOrder(tx, { orderId: o.id, memberId: o.member_id, to: 'expired', now })) {
      expired++
    }
  }
  return { expired, seen: due.length }
}

export interface ExpiryRun {
  ordersExpired: number
  membersWithExpiredPoints: number
  pointsExpired: number
}

/**
 * The expiry at `now` without a job record (tests, scripts): the same batches as the `expiry`
 * job, each its own transaction. Orders first, so that points an expired order gives back to an
 * already expired lot leave again in the same run. Safe to run twice and from several processes
 * at once: each order and each lot is handled exactly once.
 */
export async function runExpiry(db: Db, now: Date): Promise<ExpiryRun> {
  const run: ExpiryRun = { ordersExpired: 0, membersWithExpiredPoints: 0, pointsExpired: 0 }
  for (;;) {
    const batch = await db.transaction((tx) => expireOrdersBatch(tx, now))
    run.ordersExpired += batch.expired
    if (batch.seen < ORDER_BATCH) break
  }
  const points = await expirePoints(db, now)
  run.membersWithExpiredPoints = points.members
  run.pointsExpired = points.points
  return run
}

/** The moment a periodic job works for, fixed when it was started (a resumed job keeps it). */
function jobMoment(ctx: JobContext): Date {
  const at = (ctx.job.payload as { at?: unknown }).at
  const date = typeof at === 'string' ? new Date(at) : new Date(NaN)
  if (Number.isNaN(date.getTime())) throw new JobFailure('任务缺少执行时间')
  return date
}

const zeroExpiry = (): ExpiryCounts => ({
  ordersExpired: 0,
  membersWithExpiredPoints: 0,
  pointsExpired: 0,
})

/**
 * The `expiry` job: overdue orders in batches of `ORDER_BATCH`, then the members with due lots
 * in batches of `EXPIRY_BATCH`, one statement each (`expireMembers`). Every batch commits its
 * progress with its work (`total`: orders and members due when the job started; `done`: those
 * handled), so a job resumed after a crash or on another process goes on from its last batch
 * with exact counts: what is expired is no longer due. The last batch also prunes old sessions.
 */
export const expiryJob: JobHandler = {
  async run(ctx) {
    const now = jobMoment(ctx)
    const db = ctx.app.db.db
    const p = await readProgress(db, ctx.job.id)
    const counts = { ...zeroExpiry(), ...p.counts } as ExpiryCounts & Record<string, number>
    const progress: JobProgress = { ...p, counts }
    if (progress.total === null) {
      await ctx.batch(async (tx) => {
        const orders = await first<{ n: number }>(
          tx,
          sql`SELECT count(*)::int AS n FROM mall_orders
              WHERE status = 'awaiting_pickup' AND pickup_deadline <= ${now}`,
        )
        progress.total = (orders?.n ?? 0) + (await countDueMembers(tx, now))
        await saveProgress(tx, ctx.job.id, progress)
      })
    }
    const advance = (n: number) => {
      progress.done += n
      progress.total = Math.max(progress.total ?? 0, progress.done)
    }
    for (;;) {
      const seen = await ctx.batch(async (tx) => {
        const batch = await expireOrdersBatch(tx, now)
        counts.ordersExpired += batch.expired
        advance(batch.expired)
        await saveProgress(tx, ctx.job.id, progress)
        return batch.seen
      })
      if (seen < ORDER_BATCH) break
      if (ctx.stopping()) return 'paused'
    }
    let after = 0
    for (;;) {
      const over = await ctx.batch(async (tx) => {
        const ids = await dueMembers(tx, now, after)
        const done = await expireMembers(tx, ids, now)
        after = ids[ids.length - 1] ?? after
        counts.membersWithExpiredPoints += done.members
        counts.pointsExpired += done.points
        advance(ids.length)
        const last = ids.length < EXPIRY_BATCH
        if (last) {
          progress.total = progress.done
          await pruneSessions(tx)
        }
        await saveProgress(tx, ctx.job.id, progress)
        if (last) await ctx.complete(tx)
        return last
      })
      if (over) return 'done'
      if (ctx.stopping()) return 'paused'
    }
  },
}

const zeroClose = (): CloseDueCampaignsCounts => ({
  campaignsClosed: 0,
  defaultPacksCreated: 0,
  notCovered: 0,
})

/**
 * The `close-due-campaigns` job: every cooling campaign past its closing time that nobody closed
 * (or whose close did not finish) is closed and its default packs handed out, in batches of
 * `CLOSE_BATCH` members (`closeCampaignStep`, which takes turns with staff closing the same
 * campaign). `total` and `done` count campaigns; each batch commits its counts with its work.
 */
export const closeDueCampaignsJob: JobHandler = {
  async run(ctx) {
    const now = jobMoment(ctx)
    const db = ctx.app.db.db
    const p = await readProgress(db, ctx.job.id)
    const counts = { ...zeroClose(), ...p.counts } as CloseDueCampaignsCounts &
      Record<string, number>
    const progress: JobProgress = { ...p, counts }
    const due = await dueCampaignIds(db, now)
    if (progress.total === null) progress.total = progress.done + due.length
    for (const campaignId of due) {
      for (;;) {
        const finished = await ctx.batch(async (tx) => {
          const step = await closeCampaignStep(tx, campaignId, now, CLOSE_BATCH)
          counts.defaultPacksCreated += step.created
          counts.notCovered += step.notCovered
          if (step.finished) {
            counts.campaignsClosed += 1
            progress.done += 1
            progress.total = Math.max(progress.total ?? 0, progress.done)
          }
          await saveProgress(tx, ctx.job.id, progress)
          return step.finished
        })
        if (finished) break
        if (ctx.stopping()) return 'paused'
      }
      if (ctx.stopping()) return 'paused'
    }
    await ctx.batch(async (tx) => {
      progress.total = progress.done
      await saveProgress(tx, ctx.job.id, progress)
      await ctx.complete(tx)
    })
    return 'done'
  },
}

const zeroPrune = (): PruneOutboxCounts => ({ messagesPruned: 0 })

/**
 * The `prune-outbox` job: subscribe messages settled (sent, skipped, failed) more than
 * `OUTBOX_KEEP_DAYS` before the job's moment are removed, `OUTBOX_PRUNE_BATCH` per transaction,
 * each batch committing its count with its work. Pending and sending messages stay.
 */
export const pruneOutboxJob: JobHandler = {
  async run(ctx) {
    const cutoff = outboxCutoff(jobMoment(ctx))
    const db = ctx.app.db.db
    const p = await readProgress(db, ctx.job.id)
    const counts = { ...zeroPrune(), ...p.counts } as PruneOutboxCounts & Record<string, number>
    const progress: JobProgress = { ...p, counts }
    if (progress.total === null) {
      await ctx.batch(async (tx) => {
        progress.total = progress.done + (await countPrunable(tx, cutoff))
        await saveProgress(tx, ctx.job.id, progress)
      })
    }
    for (;;) {
      const last = await ctx.batch(async (tx) => {
        const pruned = await pruneOutboxBatch(tx, cutoff)
        counts.messagesPruned += pruned
        progress.done += pruned
        const last = pruned < OUTBOX_PRUNE_BATCH
        progress.total = last ? progress.done : Math.max(progress.total ?? 0, progress.done)
        await saveProgress(tx, ctx.job.id, progress)
        if (last) await ctx.complete(tx)
        return last
      })
      if (last) return 'done'
      if (ctx.stopping()) return 'paused'
    }
  },
}

/** The periodic jobs, by the name their `jobs` rows carry (and the admin's route names them). */
export const periodicJobs: Record<PeriodicJobName, JobHandler> = {
  expiry: expiryJob,
  'close-due-campaigns': closeDueCampaignsJob,
  'prune-outbox': pruneOutboxJob,
}

/**
 * Starts the periodic job for `now`, unless one of that name is running (or started within
 * `recentSeconds`): then that one is the answer (`created: false`). Run it or kick the queue after.
 */
export function startPeriodicJob(
  app: FastifyInstance,
  name: PeriodicJobName,
  createdBy: number | null,
  now: Date = new Date(),
  recentSeconds = 0,
): Promise<{ id: number; created: boolean }> {
  return app.jobQueue.enqueueOnce(name, { at: now.toISOString() }, createdBy, recentSeconds)
}

const iso = (d: Date | string) => new Date(d).toISOString()

/** A periodic job as the admin follows it; 404 for no job or a job of another kind. */
export async function periodicJobView(tx: Tx, id: number): Promise<PeriodicJob> {
  const j = await first<{
    id: number
    name: string
    status: 'running' | 'done' | 'failed'
    total: number | null
    done: number
    counts: Record<string, number>
    error: string | null
    created_at: Date | string
    finished_at: Date | string | null
  }>(
    tx,
    sql`SELECT id, name, status, total, done, counts, error, created_at, finished_at
        FROM jobs WHERE id = ${id} AND name = ANY(${sql.param([...PERIODIC_JOBS])}::text[])`,
  )
  if (!j) throw new AppError('NOT_FOUND', '任务不存在')
  const base = {
    id: j.id,
    status: j.status,
    total: j.total,
    done: j.done,
    error: j.error,
    createdAt: iso(j.created_at),
    finishedAt: j.finished_at === null ? null : iso(j.finished_at),
  }
  const pick = <T extends object>(zero: T): T => {
    const out = { ...zero }
    for (const k of Object.keys(zero) as Array<keyof T & string>) {
      const v = j.counts[k]
      if (typeof v === 'number') (out as Record<string, number>)[k] = v
    }
    return out
  }
  if (j.name === 'expiry') return { ...base, name: 'expiry', counts: pick(zeroExpiry()) }
  if (j.name === 'prune-outbox') {
    return { ...base, name: 'prune-outbox', counts: pick(zeroPrune()) }
  }
  return { ...base, name: 'close-due-campaigns', counts: pick(zeroClose()) }
}
