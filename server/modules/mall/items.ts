import { and, eq, gt, inArray, isNull, or, sql, type SQL } from 'drizzle-orm'
import type { MallItem, MemberMallItem, StaffMallItem } from '../../../src/contract/mall'
import type { Tx } from '../../db/client'
import { mallItems, mallOrders, unions } from '../../db/schema'
import { ancestorsOf } from '../org/union-tree'
import { saleState } from './rules'

/** An item as stored. */
export type ItemRow = typeof mallItems.$inferSelect

export function itemView(r: ItemRow & { unionName: string }, now: Date): MallItem {
  const { saleStartsAt, saleEndsAt } = r
  return {
    id: r.id,
    unionId: r.unionId,
    unionName: r.unionName,
    name: r.name,
    description: r.description,
    imageUrl: r.imageUrl,
    pointsCost: r.pointsCost,
    stock: r.stock,
    perMemberLimit: r.perMemberLimit,
    saleStartsAt: saleStartsAt?.toISOString() ?? null,
    saleEndsAt: saleEndsAt?.toISOString() ?? null,
    pickupDays: r.pickupDays,
    soldOut: r.stock === 0,
    onSale: saleState({ saleStartsAt, saleEndsAt }, now) === 'on_sale',
  }
}

/** An item's columns and its union's name. */
const itemColumns = { item: mallItems, unionName: unions.name }

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
  const mine = tx
    .select({
      itemId: mallOrders.itemId,
      redeemed: sql<number>`sum(${mallOrders.quantity})::int`.as('redeemed'),
    })
    .from(mallOrders)
    .where(
      and(
        eq(mallOrders.memberId, memberId),
        inArray(mallOrders.status, ['awaiting_pickup', 'fulfilled']),
      ),
    )
    .groupBy(mallOrders.itemId)
    .as('mine')
  const list = await tx
    .select({ ...itemColumns, redeemed: sql<number>`coalesce(${mine.redeemed}, 0)` })
    .from(mallItems)
    .innerJoin(unions, eq(unions.id, mallItems.unionId))
    .innerJoin(sql`${ancestorsOf(unionId)} up`, sql`up.id = ${mallItems.unionId}`)
    .leftJoin(mine, eq(mine.itemId, mallItems.id))
    .where(or(isNull(mallItems.saleEndsAt), gt(mallItems.saleEndsAt, now)))
    .orderBy(sql`up.depth`, mallItems.id)
  return list.map((r) => ({
    ...itemView({ ...r.item, unionName: r.unionName }, now),
    redeemedQuantity: r.redeemed,
  }))
}

/**
 * Items with the quantities their orders hold, for staff: per item listed, a sum over its awaiting
 * and fulfilled orders read from the index `(item_id, status, quantity)` alone (an index-only
 * scan), never a pass over every order of the mall.
 */
async function staffItemRows(tx: Tx, where: SQL, now: Date): Promise<StaffMallItem[]> {
  const quantity = (status: string) =>
    sql<number>`sum(${mallOrders.quantity}) FILTER (WHERE ${mallOrders.status} = ${status})::int`
  const held = tx
    .select({
      awaiting: quantity('awaiting_pickup').as('awaiting'),
      fulfilled: quantity('fulfilled').as('fulfilled'),
    })
    .from(mallOrders)
    .where(
      and(
        eq(mallOrders.itemId, mallItems.id),
        inArray(mallOrders.status, ['awaiting_pickup', 'fulfilled']),
      ),
    )
    .as('held')
  const list = await tx
    .select({
      ...itemColumns,
      awaiting: sql<number>`coalesce(${held.awaiting}, 0)`,
      fulfilled: sql<number>`coalesce(${held.fulfilled}, 0)`,
    })
    .from(mallItems)
    .innerJoin(unions, eq(unions.id, mallItems.unionId))
    .leftJoinLateral(held, sql`true`)
    .where(where)
    .orderBy(mallItems.unionId, mallItems.id)
  return list.map((r) => ({
    ...itemView({ ...r.item, unionName: r.unionName }, now),
    awaitingPickupQuantity: r.awaiting,
    fulfilledQuantity: r.fulfilled,
  }))
}

/** Every item of the given unions (a staff member's scope). */
export function staffItems(tx: Tx, unionIds: number[], now: Date): Promise<StaffMallItem[]> {
  return staffItemRows(tx, inArray(mallItems.unionId, unionIds), now)
}

export async function staffItem(tx: Tx, id: number, now: Date): Promise<StaffMallItem> {
  const [item] = await staffItemRows(tx, eq(mallItems.id, id), now)
  if (!item) throw new Error(`item ${id} vanished`)
  return item
}

/** The item row as stored, locked for an update in this transaction. */
export async function lockItem(tx: Tx, id: number): Promise<ItemRow | undefined> {
  const [row] = await tx.select().from(mallItems).where(eq(mallItems.id, id)).for('update')
  return row
}
