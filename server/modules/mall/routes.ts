import { eq, sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { saleWindowValid } from '../../../src/contract/mall'
import { routes } from '../../../src/contract/routes'
import { mallItems, unions } from '../../db/schema'
import { first, pgConstraint, pgErrorCode } from '../../db/sql'
import { audit } from '../../lib/audit'
import { AppError } from '../../lib/errors'
import { handle } from '../../lib/route'
import { assertMayActOnUnion, staffScope } from '../org/union-tree'
import { lockItem, memberItems, staffItem, staffItems, type ItemRow } from './items'
import { closeOrder, findOrderByCode, findOrderById, listOrders } from './orders'
import { redeemForSession } from './redeem'

const staffRoles = { roles: ['staff', 'admin'] as Array<'staff' | 'admin'> }

/** The stored columns of an item, for the audit log. */
function itemRecord(r: ItemRow) {
  return {
    unionId: r.unionId,
    name: r.name,
    description: r.description,
    imageUrl: r.imageUrl,
    pointsCost: r.pointsCost,
    stock: r.stock,
    perMemberLimit: r.perMemberLimit,
    saleStartsAt: r.saleStartsAt?.toISOString() ?? null,
    saleEndsAt: r.saleEndsAt?.toISOString() ?? null,
    pickupDays: r.pickupDays,
  }
}

/** A union that exists, or undefined. */
async function findUnion(tx: Parameters<typeof lockItem>[0], id: number) {
  const [union] = await tx.select({ id: unions.id }).from(unions).where(eq(unions.id, id))
  return union
}

// Times as the client sent them (any sub-millisecond digits kept), cast by PostgreSQL.
const timestamptz = (iso: string | null | undefined) => sql`${iso ?? null}::timestamptz`

export async function mallRoutes(app: FastifyInstance) {
  handle(app, routes.mallItems, {}, async ({ caller }) => ({
    items: await memberItems(app.db.db, caller.id, caller.unionId, new Date()),
  }))

  // The redemption is one call of a database function (see redeemForSession): the session
  // lookup, the key's claim and every write in one round trip, so the route signs in itself.
  handle(
    app,
    routes.createOrder,
    { ownIdempotency: true, signsInItself: true },
    async ({ tokenHash, body, idempotencyKey }) =>
      redeemForSession(app.db, {
        tokenHash: tokenHash as string,
        itemId: body.itemId,
        quantity: body.quantity,
        // The contract requires the key: the helper refused a request without one.
        idempotencyKey: idempotencyKey as string,
      }),
  )

  handle(app, routes.orders, {}, async ({ caller, query }) => ({
    orders: await listOrders(app.db.db, caller.id, query.status),
  }))

  handle(app, routes.cancelOrder, {}, async ({ caller, params }) => {
    const found = await findOrderById(app.db.db, params.id)
    // Someone else's order does not exist, as far as this caller can tell.
    if (!found || found.row.memberId !== caller.id) {
      throw new AppError('NOT_FOUND', '订单不存在')
    }
    const cancelled = await app.db.db.transaction((tx) =>
      closeOrder(tx, { orderId: params.id, memberId: caller.id, to: 'cancelled', now: new Date() }),
    )
    const after = await findOrderById(app.db.db, params.id)
    if (!after) throw new AppError('INTERNAL')
    if (!cancelled) {
      const why = {
        fulfilled: '该订单已领取，不能取消',
        cancelled: '该订单已取消',
        expired: '该订单已过期，积分已退回',
        awaiting_pickup: '该订单已不能取消',
      }[after.order.status]
      throw new AppError('NOT_CANCELLABLE', why)
    }
    return { order: after.order }
  })

  handle(app, routes.staffItems, staffRoles, async ({ caller }) => {
    const scope = await staffScope(app.db.db, caller)
    return { items: await staffItems(app.db.db, scope, new Date()) }
  })

  handle(app, routes.createItem, staffRoles, async ({ caller, body, tx }) => {
    try {
      if (!(await findUnion(tx, body.unionId))) throw new AppError('UNION_NOT_FOUND')
      await assertMayActOnUnion(tx, caller, body.unionId)
      const [created] = await tx
        .insert(mallItems)
        .values({
          unionId: body.unionId,
          name: body.name,
          description: body.description ?? null,
          imageUrl: body.imageUrl ?? null,
          pointsCost: body.pointsCost,
          stock: body.stock,
          perMemberLimit: body.perMemberLimit,
          saleStartsAt: timestamptz(body.saleStartsAt),
          saleEndsAt: timestamptz(body.saleEndsAt),
          pickupDays: body.pickupDays ?? 7,
        })
        .returning()
      if (!created) throw new AppError('INTERNAL')
      await audit(tx, {
        actorId: caller.id,
        action: 'mall_item.create',
        entity: 'mall_item',
        entityId: created.id,
        after: itemRecord(created),
      })
      return { item: await staffItem(tx, created.id, new Date()) }
    } catch (err) {
      throw translateItemError(err)
    }
  })

  handle(app, routes.patchItem, staffRoles, async ({ caller, params, body }) => {
    try {
      return await app.db.db.transaction(async (tx) => {
        const before = await lockItem(tx, params.id)
        if (!before) throw new AppError('NOT_FOUND', '商品不存在')
        await assertMayActOnUnion(tx, caller, before.unionId)
        if (body.unionId !== undefined && body.unionId !== before.unionId) {
          if (!(await findUnion(tx, body.unionId))) throw new AppError('UNION_NOT_FOUND')
          await assertMayActOnUnion(tx, caller, body.unionId)
        }
        const old = itemRecord(before)
        const next = {
          unionId: body.unionId ?? old.unionId,
          name: body.name ?? old.name,
          description: body.description === undefined ? old.description : body.description,
          imageUrl: body.imageUrl === undefined ? old.imageUrl : body.imageUrl,
          pointsCost: body.pointsCost ?? old.pointsCost,
          stock: body.stock ?? old.stock,
          perMemberLimit: body.perMemberLimit ?? old.perMemberLimit,
          saleStartsAt: body.saleStartsAt === undefined ? old.saleStartsAt : body.saleStartsAt,
          saleEndsAt: body.saleEndsAt === undefined ? old.saleEndsAt : body.saleEndsAt,
          pickupDays: body.pickupDays ?? old.pickupDays,
        }
        if (!saleWindowValid(next)) {
          throw new AppError('BAD_REQUEST', '停售时间必须晚于开售时间')
        }
        await tx
          .update(mallItems)
          .set({
            ...next,
            saleStartsAt: timestamptz(next.saleStartsAt),
            saleEndsAt: timestamptz(next.saleEndsAt),
            updatedAt: sql`now()`,
          })
          .where(eq(mallItems.id, params.id))
        await audit(tx, {
          actorId: caller.id,
          action: 'mall_item.update',
          entity: 'mall_item',
          entityId: params.id,
          before: old,
          after: next,
        })
        return { item: await staffItem(tx, params.id, new Date()) }
      })
    } catch (err) {
      throw translateItemError(err)
    }
  })

  handle(app, routes.pickupLookup, staffRoles, async ({ caller, params }) => {
    const found = await findOrderByCode(app.db.db, params.code)
    if (!found) throw new AppError('UNKNOWN_CODE')
    await assertPickupScope(app, caller, found.row.unionId)
    return { order: found.pickup }
  })

  handle(app, routes.fulfilPickup, staffRoles, async ({ caller, body }) => {
    const found = await findOrderByCode(app.db.db, body.pickupCode)
    if (!found) throw new AppError('UNKNOWN_CODE')
    await assertPickupScope(app, caller, found.row.unionId)
    const now = new Date()
    const fulfilled = await app.db.db.transaction(async (tx) => {
      // Conditional on the status: a pickup, a cancel and the expiry job cannot both win.
      const done = await first<{ id: number }>(
        tx,
        sql`UPDATE mall_orders SET status = 'fulfilled', closed_at = ${now}, fulfilled_by = ${caller.id}
            WHERE id = ${found.row.id} AND status = 'awaiting_pickup' AND pickup_deadline > ${now}
            RETURNING id`,
      )
      if (!done) return false
      await audit(tx, {
        actorId: caller.id,
        action: 'mall_order.fulfil',
        entity: 'mall_order',
        entityId: found.row.id,
        before: { status: 'awaiting_pickup' },
        after: { status: 'fulfilled', pickupCode: found.row.pickupCode },
      })
      return true
    })
    const after = await findOrderById(app.db.db, found.row.id)
    if (!after) throw new AppError('INTERNAL')
    if (!fulfilled) {
      const status = after.order.status
      if (status === 'fulfilled') {
        throw new AppError('ALREADY_FULFILLED')
      }
      if (status === 'cancelled') throw new AppError('ORDER_CANCELLED')
      throw new AppError(
        'ORDER_EXPIRED',
        status === 'expired'
          ? '该订单已超过领取期限，积分和库存已退回'
          : '该订单已超过领取期限，不能领取；积分和库存会自动退回',
      )
    }
    return { order: after.pickup }
  })
}

/** Staff verify pickups only for items of their own union subtree. */
async function assertPickupScope(
  app: FastifyInstance,
  caller: Parameters<typeof assertMayActOnUnion>[1],
  unionId: number,
) {
  try {
    await assertMayActOnUnion(app.db.db, caller, unionId)
  } catch (err) {
    if (err instanceof AppError) {
      throw new AppError('FORBIDDEN', '该商品不属于你管理的工会，不能在这里核销')
    }
    throw err
  }
}

function translateItemError(err: unknown): unknown {
  if (pgErrorCode(err) === '23514' && pgConstraint(err) === 'mall_items_stock_nonnegative') {
    return new AppError('BAD_REQUEST', '库存不能为负数')
  }
  return err
}
