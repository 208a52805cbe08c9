import { and, desc, eq, lt, sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { routes } from '../../../src/contract/routes'
import { pointsJobRoutes } from '../../../src/contract/routes/points'
import type { LedgerKind } from '../../../src/contract/points'
import { pointAccounts, pointLedger } from '../../db/schema'
import { first, rows } from '../../db/sql'
import { audit } from '../../lib/audit'
import { AppError } from '../../lib/errors'
import { Accepted, handle, type Caller } from '../../lib/route'
import type { Tx } from '../../db/client'
import { assertMayActOnUnion } from '../org/union-tree'
import { grantPoints, previewGrantTarget, resolveGrantTarget, startGrantJob } from './grants'
import { groupByExpiry } from './lots'

/** How far ahead "expiring soon" looks. */
const EXPIRING_WINDOW_DAYS = 30
const staffRoles = { roles: ['staff', 'admin'] as Array<'staff' | 'admin'> }

/** A grant as its job answers it: `total` and `granted` counts, `status`. */
async function grantView(tx: Tx, grantId: number) {
  const g = await first<{
    id: number
    status: 'running' | 'done' | 'failed'
    total: number
    granted: number
  }>(
    tx,
    sql`SELECT id, status, member_count AS total, granted FROM point_grants WHERE id = ${grantId}`,
  )
  if (!g) throw new AppError('NOT_FOUND', '发放记录不存在')
  return { grant: g }
}

/** Whether the caller may follow the grant: an admin, staff over its union, or whoever made it. */
async function assertMayFollowGrant(tx: Tx, caller: Caller, grantId: number): Promise<void> {
  const g = await first<{ actor_id: number; union_id: number | null }>(
    tx,
    sql`SELECT actor_id, union_id FROM point_grants WHERE id = ${grantId}`,
  )
  if (!g) throw new AppError('NOT_FOUND', '发放记录不存在')
  if (caller.roles.includes('admin')) return
  if (g.union_id !== null) return assertMayActOnUnion(tx, caller, g.union_id)
  if (g.actor_id !== caller.id) throw new AppError('FORBIDDEN', '只能查看自己发起的积分发放')
}

export async function pointsRoutes(app: FastifyInstance) {
  // A grant job starts once its request's transaction has committed and the answer is out.
  const startsJob = new WeakSet<object>()
  app.addHook('onResponse', async (req) => {
    if (startsJob.has(req)) void app.jobQueue.kick()
  })

  handle(app, routes.points, {}, async ({ caller }) => {
    const now = new Date()
    const horizon = new Date(now.getTime() + EXPIRING_WINDOW_DAYS * 86_400_000)
    const [account] = await app.db.db
      .select({ balance: pointAccounts.balance })
      .from(pointAccounts)
      .where(eq(pointAccounts.memberId, caller.id))
    const lots = await rows<{ remaining: number; expires_at: Date | string }>(
      app.db.db,
      sql`SELECT remaining, expires_at FROM point_lots
          WHERE member_id = ${caller.id} AND remaining > 0 AND expires_at IS NOT NULL
            AND expires_at <= ${horizon}
          ORDER BY expires_at`,
    )
    const expiring = groupByExpiry(
      lots.map((l) => ({ remaining: l.remaining, expiresAt: new Date(l.expires_at) })),
    ).map((g) => ({ amount: g.amount, expiresAt: g.expiresAt.toISOString() }))
    return { balance: account?.balance ?? 0, expiring }
  })

  handle(app, routes.ledger, {}, async ({ caller, query }) => {
    const conditions = [eq(pointLedger.memberId, caller.id)]
    if (query.cursor) conditions.push(lt(pointLedger.id, Number(query.cursor)))
    const list = await app.db.db
      .select()
      .from(pointLedger)
      .where(and(...conditions))
      .orderBy(desc(pointLedger.id))
      .limit(query.limit + 1)
    const page = list.slice(0, query.limit)
    return {
      entries: page.map((e) => ({
        id: e.id,
        kind: e.kind as LedgerKind,
        amount: e.amount,
        balanceAfter: e.balanceAfter,
        reason: e.reason,
        createdAt: e.createdAt.toISOString(),
      })),
      nextCursor: list.length > query.limit ? String(page[page.length - 1].id) : null,
    }
  })

  handle(app, routes.previewGrant, staffRoles, ({ caller, body }) =>
    previewGrantTarget(app.db.db, caller, body),
  )

  handle(app, routes.grantPoints, staffRoles, async ({ caller, body, tx, req }) => {
    const expiresAt = body.expiresAt ? new Date(body.expiresAt) : null
    if (expiresAt && expiresAt <= new Date()) {
      throw new AppError('BAD_REQUEST', '积分的过期时间必须晚于现在')
    }
    const threshold = app.config.grantJobThreshold
    const target = await resolveGrantTarget(tx, caller, body, { idsUpTo: threshold })
    if (target.total === 0) {
      throw new AppError('NO_GRANT_RECIPIENTS')
    }
    const memberIds = target.memberIds
    const input = {
      actorId: caller.id,
      amount: body.amount,
      reason: body.reason,
      expiresAt,
      unionId: body.unionId,
    }
    const recorded = (grantId: number, counts: Record<string, number | boolean>) =>
      audit(tx, {
        actorId: caller.id,
        action: 'points.grant',
        entity: 'point_grant',
        entityId: grantId,
        after: {
          amount: body.amount,
          reason: body.reason,
          expiresAt: body.expiresAt ?? null,
          ...(body.unionId !== undefined ? { unionId: body.unionId } : { memberIds }),
          ...counts,
        },
      })
    if (memberIds === null || memberIds.length > threshold) {
      // Many members: a durable job grants them in batches (see startGrantJob).
      const job = await startGrantJob(
        tx,
        app.jobQueue,
        body.unionId !== undefined
          ? { ...input, unionId: body.unionId, total: target.total }
          : { ...input, memberIds: memberIds ?? [] },
      )
      await recorded(job.grantId, { total: job.total, job: true })
      startsJob.add(req)
      return new Accepted({
        grant: { id: job.grantId, status: 'running' as const, total: job.total, granted: 0 },
      })
    }
    const result = await grantPoints(tx, { ...input, memberIds })
    await recorded(result.grantId, { granted: result.granted })
    return { granted: result.granted, grantId: result.grantId }
  })

  handle(app, pointsJobRoutes.grantJob, staffRoles, async ({ caller, params }) => {
    await assertMayFollowGrant(app.db.db, caller, params.id)
    return grantView(app.db.db, params.id)
  })
}
