import { sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { saleWindowValid, type StaffMallItemResponse } from '../../../src/contract/mall'
import { routes } from '../../../src/contract/routes'
import { first, pgConstraint, pgErrorCode } from '../../db/sql'
import { audit } from '../../lib/audit'
import { AppError } from '../../lib/errors'
import { checkKey, claimKey, storeResponse } from '../../lib/idempotency'
import { handle } from '../../lib/route'
import { assertMayActOnUnion, staffScope } from '../org/union-tree'
import { lockItem, memberItems, staffItem, staffItems, type ItemRow } from './items'
import { closeOrder, findOrderByCode, findOrderById, listOrders } from './orders'
import { redeemItem } from './redeem'

const staffRoles = { roles: ['staff', 'admin'] as Array<'staff' | 'admin'> }

/** The stored columns of an item, for the audit log. */
function itemRecord(r: ItemRow) {
  const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString())
  return {
    unionId: r.union_id,
    name: r.name,
    description: r.description,
    imageUrl: r.image_url,
    pointsCost: r.points_cost,
    stock: r.stock,
    perMemberLimit: r.per_member_limit,
    saleStartsAt: iso(r.sale_starts_at),
    saleEndsAt: iso(r.sale_ends_at),
    pickupDays: r.pickup_days,
  }
}

export async function mallRoutes(app: FastifyInstance) {
  handle(app, routes.mallItems, {}, async ({ caller }) => ({
    items: await memberItems(app.db.db, caller.id, caller.unionId, new Date()),
  }))

  handle(app, routes.createOrder, {}, async ({ caller, body, idempotencyKey }) => {
    const key = checkKey(idempotencyKey, true) as string
    return redeemItem(app.db, {
      memberId: caller.id,
      unionId: caller.unionId,
      itemId: body.itemId,
      quantity: body.quantity,
      idempotencyKey: key,
    })
  })

  handle(app, routes.orders, {}, async ({ caller, query }) => ({
    orders: await listOrders(app.db.db, caller.id, query.status),
  }))

  handle(app, routes.cancelOrder, {}, async ({ caller, params }) => {
    const found = await findOrderById(app.db.db, params.id)
    // Someone else's order does not exist, as far as this caller can tell.
    if (!found || found.row.member_id !== caller.id) {
      throw new AppError('NOT_FOUND', 404, '订单不存在')
    }
    const cancelled = await app.db.db.transaction((tx) =>
      closeOrder(tx, { orderId: params.id, memberId: caller.id, to: 'cancelled', now: new Date() }),
    )
    const after = await findOrderById(app.db.db, params.id)
    if (!after) throw new AppError('INTERNAL', 500)
    if (!cancelled) {
      const why = {
        fulfilled: '该订单已领取，不能取消',
        cancelled: '该订单已取消',
        expired: '该订单已过期，积分已退回',
        awaiting_pickup: '该订单已不能取消',
      }[after.order.status]
      throw new AppError('NOT_CANCELLABLE', 409, why)
    }
    return { order: after.order }
  })

  handle(app, routes.staffItems, staffRoles, async ({ caller }) => {
    const scope = await staffScope(app.db.db, caller)
    return { items: await staffItems(app.db.db, scope, new Date()) }
  })

  handle(app, routes.createItem, staffRoles, async ({ caller, body, idempotencyKey }) => {
    const key = checkKey(idempotencyKey, false)
    try {
      return await app.db.db.transaction(async (tx) => {
        if (key) {
          const prior = await claimKey<StaffMallItemResponse>(
            tx,
            caller.id,
            key,
            'createItem',
            body,
          )
          if (prior.replayed) return prior.response
        }
        const union = await first<{ id: number }>(
          tx,
          sql`SELECT id FROM unions WHERE id = ${body.unionId}`,
        )
        if (!union) throw new AppError('UNION_NOT_FOUND', 404)
        await assertMayActOnUnion(tx, caller, body.unionId)
        const created = await first<ItemRow>(
          tx,
          sql`INSERT INTO mall_items (union_id, name, description, image_url, points_cost, stock,
                                      per_member_limit, sale_starts_at, sale_ends_at, pickup_days)
              VALUES (${body.unionId}, ${body.name}, ${body.description ?? null},
                      ${body.imageUrl ?? null}, ${body.pointsCost}, ${body.stock},
                      ${body.perMemberLimit}, ${body.saleStartsAt ?? null}::timestamptz,
                      ${body.saleEndsAt ?? null}::timestamptz, ${body.pickupDays ?? 7})
              RETURNING id, union_id, '' AS union_name, name, description, image_url, points_cost,
                        stock, per_member_limit, sale_starts_at, sale_ends_at, pickup_days`,
        )
        if (!created) throw new AppError('INTERNAL', 500)
        await audit(tx, {
          actorId: caller.id,
          action: 'mall_item.create',
          entity: 'mall_item',
          entityId: created.id,
          after: itemRecord(created),
        })
        const response = { item: await staffItem(tx, created.id, new Date()) }
        if (key) await storeResponse(tx, caller.id, key, 201, response)
        return response
      })
    } catch (err) {
      throw translateItemError(err)
    }
  })

  handle(app, routes.patchItem, staffRoles, async ({ caller, params, body }) => {
    try {
      return await app.db.db.transaction(async (tx) => {
        const before = await lockItem(tx, params.id)
        if (!before) throw new AppError('NOT_FOUND', 404, '商品不存在')
        await assertMayActOnUnion(tx, caller, before.union_id)
        if (body.unionId !== undefined && body.unionId !== before.union_id) {
          const union = await first<{ id: number }>(
            tx,
            sql`SELECT id FROM unions WHERE id = ${body.unionId}`,
          )
          if (!union) throw new AppError('UNION_NOT_FOUND', 404)
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
          throw new AppError('BAD_REQUEST', 400, '停售时间必须晚于开售时间')
        }
        await tx.execute(
          sql`UPDATE mall_items SET union_id = ${next.unionId}, name = ${next.name},
                description = ${next.description}, image_url = ${next.imageUrl},
                points_cost = ${next.pointsCost}, stock = ${next.stock},
                per_member_limit = ${next.perMemberLimit},
                sale_starts_at = ${next.saleStartsAt}::timestamptz,
                sale_ends_at = ${next.saleEndsAt}::timestamptz,
                pickup_days = ${next.pickupDays}, updated_at = now()
              WHERE id = ${params.id}`,
        )
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
    if (!found) throw new AppError('UNKNOWN_CODE', 404)
    await assertPickupScope(app, caller, found.row.union_id)
    return { order: found.pickup }
  })

  handle(app, routes.fulfilPickup, staffRoles, async ({ caller, body }) => {
    const found = await findOrderByCode(app.db.db, body.pickupCode)
    if (!found) throw new AppError('UNKNOWN_CODE', 404)
    await assertPickupScope(app, caller, found.row.union_id)
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
        after: { status: 'fulfilled', pickupCode: found.row.pickup_code },
      })
      return true
    })
    const after = await findOrderById(app.db.db, found.row.id)
    if (!after) throw new AppError('INTERNAL', 500)
    if (!fulfilled) {
      const status = after.order.status
      if (status === 'fulfilled') {
        throw new AppError('ALREADY_FULFILLED', 409)
      }
      if (status === 'cancelled') throw new AppError('ORDER_CANCELLED', 409)
      throw new AppError(
        'ORDER_EXPIRED',
        409,
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
      throw new AppError('FORBIDDEN', 403, '该商品不属于你管理的工会，不能在这里核销')
    }
    throw err
  }
}

function translateItemError(err: unknown): unknown {
  if (pgErrorCode(err) === '23514' && pgConstraint(err) === 'mall_items_stock_nonnegative') {
    return new AppError('BAD_REQUEST', 400, '库存不能为负数')
  }
  return err
}
