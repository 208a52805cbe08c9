import { sql, type SQL } from 'drizzle-orm'
import type { MallItem, MemberMallItem, StaffMallItem } from '../../../src/contract/mall'
import type { Tx } from '../../db/client'
import { first, rows } from '../../db/sql'
import { saleState } from './rules'

export interface ItemRow {
  id: number
  union_id: number
  union_name: string
  name: string
  description: string | null
  image_url: string | null
  points_cost: number
  stock: number
  per_member_limit: number
  sale_starts_at: Date | string | null
  sale_ends_at: Date | string | null
  pickup_days: number
}

const date = (d: Date | string | null) => (d === null ? null : new Date(d))

export function itemView(r: ItemRow, now: Date): MallItem {
  const saleStartsAt = date(r.sale_starts_at)
  const saleEndsAt = date(r.sale_ends_at)
  return {
    id: r.id,
    unionId: r.union_id,
    unionName: r.union_name,
    name: r.name,
    description: r.description,
    imageUrl: r.image_url,
    pointsCost: r.points_cost,
    stock: r.stock,
    perMemberLimit: r.per_member_limit,
    saleStartsAt: saleStartsAt?.toISOString() ?? null,
    saleEndsAt: saleEndsAt?.toISOString() ?? null,
    pickupDays: r.pickup_days,
    soldOut: r.stock === 0,
    onSale: saleState({ saleStartsAt, saleEndsAt }, now) === 'on_sale',
  }
}

const selectItems = sql`
  SELECT i.id, i.union_id, un.name AS union_name, i.name, i.description, i.image_url,
         i.points_cost, i.stock, i.per_member_limit, i.sale_starts_at, i.sale_ends_at, i.pickup_days
  FROM mall_items i JOIN unions un ON un.id = i.union_id`

/**
 * The member's mall: items of their union and its ancestors whose sale has not ended, with how
 * many of each the member holds (awaiting pickup or fulfilled).
 */
export async function memberItems(
  tx: Tx,
  memberId: number,
  unionId: number,
  now: Date,
): Promise<MemberMallItem[]> {
  const list = await rows<ItemRow & { redeemed: number }>(
    tx,
    sql`WITH RECURSIVE up(id, parent_id, depth) AS (
          SELECT id, parent_id, 0 FROM unions WHERE id = ${unionId}
          UNION ALL
          SELECT u.id, u.parent_id, up.depth + 1 FROM unions u JOIN up ON u.id = up.parent_id
          WHERE up.depth < 64
        ), mine AS (
          SELECT item_id, sum(quantity)::int AS redeemed FROM mall_orders
          WHERE member_id = ${memberId} AND status IN ('awaiting_pickup', 'fulfilled')
          GROUP BY item_id
        ), items AS (${selectItems})
        SELECT items.*, coalesce(mine.redeemed, 0) AS redeemed
        FROM items JOIN up ON up.id = items.union_id
        LEFT JOIN mine ON mine.item_id = items.id
        WHERE items.sale_ends_at IS NULL OR items.sale_ends_at > ${now}
        ORDER BY up.depth, items.id`,
  )
  return list.map((r) => ({ ...itemView(r, now), redeemedQuantity: r.redeemed }))
}

/** Items with the quantities their orders hold, for staff. */
async function staffItemRows(tx: Tx, where: SQL, now: Date): Promise<StaffMallItem[]> {
  const list = await rows<ItemRow & { awaiting: number; fulfilled: number }>(
    tx,
    sql`WITH held AS (
          SELECT item_id,
                 sum(quantity) FILTER (WHERE status = 'awaiting_pickup')::int AS awaiting,
                 sum(quantity) FILTER (WHERE status = 'fulfilled')::int AS fulfilled
          FROM mall_orders GROUP BY item_id
        ), items AS (${selectItems})
        SELECT items.*, coalesce(held.awaiting, 0) AS awaiting, coalesce(held.fulfilled, 0) AS fulfilled
        FROM items LEFT JOIN held ON held.item_id = items.id
        WHERE ${where}
        ORDER BY items.union_id, items.id`,
  )
  return list.map((r) => ({
    ...itemView(r, now),
    awaitingPickupQuantity: r.awaiting,
    fulfilledQuantity: r.fulfilled,
  }))
}

/** Every item of the given unions (a staff member's scope). */
export function staffItems(tx: Tx, unionIds: number[], now: Date): Promise<StaffMallItem[]> {
  return staffItemRows(tx, sql`items.union_id = ANY(${sql.param(unionIds)}::int[])`, now)
}

export async function staffItem(tx: Tx, id: number, now: Date): Promise<StaffMallItem> {
  const [item] = await staffItemRows(tx, sql`items.id = ${id}`, now)
  if (!item) throw new Error(`item ${id} vanished`)
  return item
}

/** The item row as stored, locked for an update in this transaction. */
export async function lockItem(tx: Tx, id: number): Promise<ItemRow | undefined> {
  return first<ItemRow>(
    tx,
    sql`SELECT i.id, i.union_id, '' AS union_name, i.name, i.description, i.image_url,
               i.points_cost, i.stock, i.per_member_limit, i.sale_starts_at, i.sale_ends_at,
               i.pickup_days
        FROM mall_items i WHERE i.id = ${id} FOR UPDATE`,
  )
}
