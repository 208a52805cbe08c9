import { and, desc, eq, lt } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { routes } from '../../../src/contract/routes'
import type { LedgerKind } from '../../../src/contract/points'
import { pointAccounts, pointLedger } from '../../db/schema'
import { handle } from '../../lib/route'

export async function pointsRoutes(app: FastifyInstance) {
  handle(app, routes.points, {}, async ({ caller }) => {
    const [account] = await app.db.db
      .select({ balance: pointAccounts.balance })
      .from(pointAccounts)
      .where(eq(pointAccounts.memberId, caller.id))
    return { balance: account?.balance ?? 0, expiring: [] }
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
}
