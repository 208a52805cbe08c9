import { eq, sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { routes } from '../../../src/contract/routes'
import { statsMaxDays, type StatsResponse } from '../../../src/contract/stats'
import type { Tx } from '../../db/client'
import { unions } from '../../db/schema'
import { rows } from '../../db/sql'
import { AppError } from '../../lib/errors'
import { handle, type Caller } from '../../lib/route'
import { daysBetween, shanghaiDate, shanghaiDayBounds } from '../../lib/time'
import { XLSX_TYPE } from '../../lib/xlsx'
import { attachmentDisposition } from '../cooling/csv'
import { assertMayActOnUnion, subtreeIds } from '../org/union-tree'
import {
  coolingFigures,
  eventFigures,
  legalFigures,
  mallFigures,
  memberFigures,
  pointFigures,
  type StatsScope,
} from './figures'
import { statsXlsx } from './workbook'

const staffRoles = { roles: ['staff', 'admin'] as Array<'staff' | 'admin'> }

/**
 * The union the figures are of and its subtree: `unionId` when given (404 when there is none,
 * 403 outside the caller's subtree), else the staff member's own union, or every union for an
 * admin.
 */
async function statsScope(
  tx: Tx,
  caller: Caller,
  unionId: number | undefined,
): Promise<{ union: StatsResponse['union']; scope: StatsScope }> {
  const top =
    unionId ?? (caller.roles.includes('admin') ? undefined : (caller.staffUnionId ?? undefined))
  if (top === undefined) {
    if (!caller.roles.includes('admin')) throw new AppError('FORBIDDEN')
    return { union: { id: null, name: '全部工会' }, scope: null }
  }
  const [union] = await tx
    .select({ id: unions.id, name: unions.name })
    .from(unions)
    .where(eq(unions.id, top))
  if (!union) throw new AppError('UNION_NOT_FOUND')
  await assertMayActOnUnion(tx, caller, union.id)
  const ids = await subtreeIds(tx, union.id)
  // A subtree that is the whole tree (the federation) is counted as every union: no member's
  // union needs looking up.
  const [all] = await rows<{ n: number }>(tx, sql`SELECT count(*)::int AS n FROM unions`)
  return { union, scope: ids.length === all?.n ? null : ids }
}

/** The period's days: this year up to today unless given; at most `statsMaxDays`. */
function statsDays(query: { from?: string; to?: string }, now: Date): { from: string; to: string } {
  const today = shanghaiDate(now)
  const to = query.to ?? (query.from !== undefined && query.from > today ? query.from : today)
  const from = query.from ?? `${to.slice(0, 4)}-01-01`
  if (from > to) throw new AppError('BAD_REQUEST', '开始日期不能晚于结束日期')
  if (daysBetween(from, to) + 1 > statsMaxDays) {
    throw new AppError('BAD_REQUEST', `统计期间最长 ${statsMaxDays} 天，请缩短后再试`)
  }
  return { from, to }
}

/** 数据看板: the figures of a union's subtree over a period, as JSON or an .xlsx. */
export async function statsRoutes(app: FastifyInstance) {
  const db = () => app.db.db

  handle(app, routes.staffStats, staffRoles, async ({ caller, query, reply }) => {
    const days = statsDays(query, new Date())
    const { union, scope } = await statsScope(db(), caller, query.unionId)
    const period = { from: shanghaiDayBounds(days.from)[0], to: shanghaiDayBounds(days.to)[1] }
    // One snapshot for every figure: read-only, repeatable read, so the sections agree.
    const figures = await db().transaction(
      async (tx) => {
        const members = await memberFigures(tx, scope)
        const points = await pointFigures(tx, scope, period)
        const mall = await mallFigures(tx, scope, period)
        const campaigns = await coolingFigures(tx, scope, period)
        const events = await eventFigures(tx, scope, period)
        const legal = await legalFigures(tx, scope, period)
        return { members, points, mall, cooling: { campaigns }, events, legal }
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    )
    const answer: StatsResponse = { union, ...days, ...figures }
    if (query.format === 'xlsx') {
      const name = `${union.name}-数据看板-${days.from}至${days.to}.xlsx`
      reply
        .header('content-type', XLSX_TYPE)
        .header(
          'content-disposition',
          attachmentDisposition(`stats-${days.from}-${days.to}.xlsx`, name),
        )
        .header('cache-control', 'no-store')
      return statsXlsx(answer) as never
    }
    return answer
  })
}
