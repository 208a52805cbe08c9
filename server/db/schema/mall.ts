// The points mall: items and orders.
import { sql } from 'drizzle-orm'
import { check, index, integer, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core'
import { orderStatuses } from '../../../src/contract/mall'
import { inList } from './checks'
import { createdAt } from './columns'
import { unions, members } from './org'

/** What the mall offers, per union: members see their union's items and their ancestors'. */
export const mallItems = pgTable(
  'mall_items',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    unionId: integer('union_id')
      .notNull()
      .references(() => unions.id),
    name: text('name').notNull(),
    description: text('description'),
    imageUrl: text('image_url'),
    pointsCost: integer('points_cost').notNull(),
    stock: integer('stock').notNull(),
    perMemberLimit: integer('per_member_limit').notNull(),
    saleStartsAt: timestamp('sale_starts_at', { withTimezone: true }),
    saleEndsAt: timestamp('sale_ends_at', { withTimezone: true }),
    pickupDays: integer('pickup_days').notNull().default(7),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('mall_items_stock_nonnegative', sql`${t.stock} >= 0`),
    check('mall_items_points_cost_positive', sql`${t.pointsCost} > 0`),
    check('mall_items_per_member_limit_positive', sql`${t.perMemberLimit} > 0`),
    check('mall_items_pickup_days_range', sql`${t.pickupDays} BETWEEN 1 AND 90`),
    check('mall_items_name_not_blank', sql`length(trim(${t.name})) > 0`),
    check(
      'mall_items_sale_window',
      sql`${t.saleStartsAt} IS NULL OR ${t.saleEndsAt} IS NULL OR ${t.saleEndsAt} > ${t.saleStartsAt}`,
    ),
    index('mall_items_union_idx').on(t.unionId),
  ],
)

/** A redemption: price snapshotted, a unique pickup code, one of four states. */
export const mallOrders = pgTable(
  'mall_orders',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id),
    itemId: integer('item_id')
      .notNull()
      .references(() => mallItems.id),
    quantity: integer('quantity').notNull(),
    unitCost: integer('unit_cost').notNull(),
    pointsSpent: integer('points_spent').notNull(),
    pickupCode: text('pickup_code').notNull(),
    status: text('status').notNull().default('awaiting_pickup'),
    pickupDeadline: timestamp('pickup_deadline', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
    /** When the order left `awaiting_pickup`. */
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /** The staff member who verified the pickup. */
    fulfilledBy: integer('fulfilled_by').references(() => members.id),
    /** Union staff who did this for the member (代办, migration 0015); null: the member did. */
    actedBy: integer('acted_by').references(() => members.id),
  },
  (t) => [
    unique('mall_orders_pickup_code_unique').on(t.pickupCode),
    check('mall_orders_quantity_positive', sql`${t.quantity} > 0`),
    check('mall_orders_unit_cost_positive', sql`${t.unitCost} > 0`),
    check('mall_orders_points_spent', sql`${t.pointsSpent} = ${t.quantity} * ${t.unitCost}`),
    check('mall_orders_status_known', sql`${t.status} IN ${inList(orderStatuses)}`),
    check(
      'mall_orders_closed_when_done',
      sql`(${t.status} = 'awaiting_pickup') = (${t.closedAt} IS NULL)`,
    ),
    check(
      'mall_orders_fulfilled_by_staff',
      sql`(${t.status} = 'fulfilled') = (${t.fulfilledBy} IS NOT NULL)`,
    ),
    check('mall_orders_pickup_code_format', sql`${t.pickupCode} ~ '^[2-9A-HJKMNP-Z]{8}$'`),
    index('mall_orders_member_idx').on(t.memberId, t.id),
    index('mall_orders_member_item_idx')
      .on(t.memberId, t.itemId)
      .where(sql`${t.status} IN ('awaiting_pickup','fulfilled')`),
    // The staff overview's held quantities per item, from the index alone (an index-only scan).
    index('mall_orders_item_idx').on(t.itemId, t.status, t.quantity),
    index('mall_orders_awaiting_deadline_idx')
      .on(t.pickupDeadline)
      .where(sql`${t.status} = 'awaiting_pickup'`),
  ],
)
