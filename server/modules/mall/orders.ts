import { and, desc, eq, sql, type SQL } from 'drizzle-orm'
import type { MallOrder, OrderStatus, PickupOrder } from '../../../src/contract/mall'
import type { Db, Tx } from '../../db/client'
import { mallItems, mallOrders, members, unions } from '../../db/schema'
import { first, rows } from '../../db/sql'
import { expireDueLots } from '../points/expiry'
import { planRefund, type SpentLot } from '../points/lots'

/** Orders with their item, the item's union and the member. */
const selectOrders = (tx: Tx) =>
  tx
    .select({
      order: mallOrders,
      itemName: mallItems.name,
      itemImageUrl: mallItems.imageUrl,
      unionId: mallItems.unionId,
      unionName: unions.name,
      memberNo: members.memberNo,
      memberName: members.name,
    })
    .from(mallOrders)
    .innerJoin(mallItems, eq(mallItems.id, mallOrders.itemId))
    .innerJoin(unions, eq(unions.id, mallItems.unionId))
    .innerJoin(members, eq(members.id, mallOrders.memberId))

type OrderRow = Awaited<ReturnType<typeof selectOrders>>[number]

function orderView({ order: o, ...r }: OrderRow): MallOrder {
  return {
    id: o.id,
    itemId: o.itemId,
    itemName: r.itemName,
    itemImageUrl: r.itemImageUrl,
    unionName: r.unionName,
    quantity: o.quantity,
    unitCost: o.unitCost,
    pointsSpent: o.pointsSpent,
    pickupCode: o.pickupCode,
    // The CHECK `mall_orders_status_known` holds it to the contract's values.
    status: o.status as OrderStatus,
    createdAt: o.createdAt.toISOString(),
    pickupDeadline: o.pickupDeadline.toISOString(),
    closedAt: o.closedAt?.toISOString() ?? null,
    ...(o.actedBy !== null ? { actedByStaff: true } : {}),
  }
}

function pickupView(r: OrderRow): PickupOrder {
  return {
    ...orderView(r),
    memberId: r.order.memberId,
    memberNo: r.memberNo,
    memberName: r.memberName,
  }
}

/** The member's orders, newest first. */
export async function listOrders(
  tx: Tx,
  memberId: number,
  status?: OrderStatus,
): Promise<MallOrder[]> {
  const list = await selectOrders(tx)
    .where(
      and(eq(mallOrders.memberId, memberId), status ? eq(mallOrders.status, status) : undefined),
    )
    .orderBy(desc(mallOrders.id))
    .limit(200)
  return list.map(orderView)
}

async function findOrder(tx: Tx, where: SQL) {
  const [r] = await selectOrders(tx).where(where)
  return (
    r && { row: { ...r.order, unionId: r.unionId }, order: orderView(r), pickup: pickupView(r) }
  )
}

export function findOrderById(tx: Tx, id: number) {
  return findOrder(tx, eq(mallOrders.id, id))
}

export function findOrderByCode(tx: Tx, pickupCode: string) {
  return findOrder(tx, eq(mallOrders.pickupCode, pickupCode))
}

/**
 * Takes an awaiting order out of play — cancelled by its member or expired past its deadline —
 * and gives points and stock back, exactly once: the conditional UPDATE on `status` lets only one
 * of a racing cancel and expiry through. Locks in the one order: the member's account, the order,
 * the item, the lots. Returns false when the order was not awaiting pickup (any more).
 */
export async function closeOrder(
  tx: Tx,
  args: { orderId: number; memberId: number; to: 'cancelled' | 'expired'; now: Date },
): Promise<boolean> {
  const { orderId, memberId, to, now } = args
  await tx.execute(sql`SELECT 1 FROM point_accounts WHERE member_id = ${memberId} FOR UPDATE`)
  const dueOnly = to === 'expired' ? sql` AND pickup_deadline <= ${now}` : sql``
  const closed = await first<{ item_id: number; quantity: number; points_spent: number }>(
    tx,
    sql`UPDATE mall_orders SET status = ${to}, closed_at = ${now}
        WHERE id = ${orderId} AND member_id = ${memberId} AND status = 'awaiting_pickup'${dueOnly}
        RETURNING item_id, quantity, points_spent`,
  )
  if (!closed) return false

  await tx.execute(
    sql`UPDATE mall_items SET stock = stock + ${closed.quantity} WHERE id = ${closed.item_id}`,
  )
  const spent = (
    await rows<{
      lot_id: number
      amount: number
      expires_at: Date | string | null
      expired_at: Date | string | null
    }>(
      tx,
      sql`SELECT s.lot_id, s.amount, l.expires_at, l.expired_at
          FROM order_lot_spends s JOIN point_lots l ON l.id = s.lot_id
          WHERE s.order_id = ${orderId} ORDER BY s.lot_id`,
    )
  ).map((s): SpentLot => ({
    lotId: s.lot_id,
    amount: s.amount,
    expiresAt: s.expires_at === null ? null : new Date(s.expires_at),
    expiredAt: s.expired_at === null ? null : new Date(s.expired_at),
  }))
  const plan = planRefund(spent)
  if (plan.total !== closed.points_spent) {
    throw new Error(`order ${orderId}: spent ${closed.points_spent}, lots say ${plan.total}`)
  }
  const reason = to === 'cancelled' ? '取消兑换，积分退回' : '超期未领取，积分退回'
  if (plan.restore.length > 0) {
    const restored = await rows<{ id: number }>(
      tx,
      sql`UPDATE point_lots l SET remaining = l.remaining + p.amount
          FROM unnest(${sql.param(plan.restore.map((r) => r.lotId))}::int[],
                      ${sql.param(plan.restore.map((r) => r.amount))}::int[]) AS p(lot_id, amount)
          WHERE l.id = p.lot_id AND l.expired_at IS NULL
          RETURNING l.id`,
    )
    if (restored.length !== plan.restore.length) throw new Error(`order ${orderId}: lots changed`)
  }
  for (const r of plan.reissue) {
    await tx.execute(
      sql`INSERT INTO point_lots (member_id, kind, amount, remaining, expires_at, reason)
          VALUES (${memberId}, 'refund', ${r.amount}, ${r.amount}, ${r.expiresAt}, ${reason})`,
    )
  }
  const account = await first<{ balance: number }>(
    tx,
    sql`UPDATE point_accounts SET balance = balance + ${closed.points_spent}
        WHERE member_id = ${memberId} RETURNING balance`,
  )
  if (!account) throw new Error(`member ${memberId} has no points account`)
  await tx.execute(
    sql`INSERT INTO point_ledger (member_id, kind, amount, balance_after, reason, order_id)
        VALUES (${memberId}, 'refund', ${closed.points_spent}, ${account.balance}, ${reason}, ${orderId})`,
  )
  // Points whose lot had expired meanwhile came back in a new lot that is already due.
  if (plan.reissue.length > 0) await expireDueLots(tx, memberId, now)
  return true
}

/**
 * Expires every awaiting order whose pickup deadline has passed at `now`, one transaction per
 * order; each refunds once (a concurrent cancel or another job run finds it closed).
 */
export async function expireOverdueOrders(db: Db, now: Date): Promise<number> {
  const batch = 500
  let expired = 0
  for (;;) {
    const due = await rows<{ id: number; member_id: number }>(
      db,
      sql`SELECT id, member_id FROM mall_orders
          WHERE status = 'awaiting_pickup' AND pickup_deadline <= ${now}
          ORDER BY pickup_deadline, id LIMIT ${batch}`,
    )
    // Each order leaves `awaiting_pickup` here or in a racing cancel: the next batch is new.
    for (const o of due) {
      const done = await db.transaction((tx) =>
        closeOrder(tx, { orderId: o.id, memberId: o.member_id, to: 'expired', now }),
      )
      if (done) expired++
    }
    if (due.length < batch) return expired
  }
}
