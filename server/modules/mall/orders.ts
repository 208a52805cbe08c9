import { sql, type SQL } from 'drizzle-orm'
import type { MallOrder, OrderStatus, PickupOrder } from '../../../src/contract/mall'
import type { Db, Tx } from '../../db/client'
import { first, rows } from '../../db/sql'
import { expireDueLots } from '../points/expiry'
import { planRefund, type SpentLot } from '../points/lots'

interface OrderRow {
  id: number
  item_id: number
  item_name: string
  item_image_url: string | null
  union_id: number
  union_name: string
  quantity: number
  unit_cost: number
  points_spent: number
  pickup_code: string
  status: OrderStatus
  created_at: Date | string
  pickup_deadline: Date | string
  closed_at: Date | string | null
  member_id: number
  member_no: string
  member_name: string
}

const iso = (d: Date | string) => new Date(d).toISOString()

const selectOrders = sql`
  SELECT o.id, o.item_id, i.name AS item_name, i.image_url AS item_image_url, i.union_id,
         un.name AS union_name, o.quantity, o.unit_cost, o.points_spent, o.pickup_code, o.status,
         o.created_at, o.pickup_deadline, o.closed_at, o.member_id, m.member_no, m.name AS member_name
  FROM mall_orders o
  JOIN mall_items i ON i.id = o.item_id
  JOIN unions un ON un.id = i.union_id
  JOIN members m ON m.id = o.member_id`

function orderView(r: OrderRow): MallOrder {
  return {
    id: r.id,
    itemId: r.item_id,
    itemName: r.item_name,
    itemImageUrl: r.item_image_url,
    unionName: r.union_name,
    quantity: r.quantity,
    unitCost: r.unit_cost,
    pointsSpent: r.points_spent,
    pickupCode: r.pickup_code,
    status: r.status,
    createdAt: iso(r.created_at),
    pickupDeadline: iso(r.pickup_deadline),
    closedAt: r.closed_at === null ? null : iso(r.closed_at),
  }
}

function pickupView(r: OrderRow): PickupOrder {
  return {
    ...orderView(r),
    memberId: r.member_id,
    memberNo: r.member_no,
    memberName: r.member_name,
  }
}

/** The member's orders, newest first. */
export async function listOrders(
  tx: Tx,
  memberId: number,
  status?: OrderStatus,
): Promise<MallOrder[]> {
  const filter = status ? sql` AND o.status = ${status}` : sql``
  const list = await rows<OrderRow>(
    tx,
    sql`${selectOrders} WHERE o.member_id = ${memberId}${filter} ORDER BY o.id DESC LIMIT 200`,
  )
  return list.map(orderView)
}

async function findOrder(tx: Tx, where: SQL): Promise<OrderRow | undefined> {
  return first<OrderRow>(tx, sql`${selectOrders} WHERE ${where}`)
}

export async function findOrderById(tx: Tx, id: number) {
  const row = await findOrder(tx, sql`o.id = ${id}`)
  return row && { row, order: orderView(row), pickup: pickupView(row) }
}

export async function findOrderByCode(tx: Tx, pickupCode: string) {
  const row = await findOrder(tx, sql`o.pickup_code = ${pickupCode}`)
  return row && { row, order: orderView(row), pickup: pickupView(row) }
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
