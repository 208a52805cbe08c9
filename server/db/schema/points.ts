// Points: accounts, grants, lots, the ledger and which lots an order spent.
import { sql } from 'drizzle-orm'
import {
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core'
import { ledgerKinds } from '../../../src/contract/points'
import { inList } from './checks'
import { createdAt } from './columns'
import { unions, members } from './org'
import { mallOrders } from './mall'
import { jobs } from './jobs'
import { eventRegistrations } from './events'

/** One row per member: the balance the ledger adds up to (held ≥ 0 by the database). */
export const pointAccounts = pgTable(
  'point_accounts',
  {
    memberId: integer('member_id')
      .primaryKey()
      .references(() => members.id),
    balance: integer('balance').notNull().default(0),
  },
  (t) => [check('point_accounts_balance_nonnegative', sql`${t.balance} >= 0`)],
)

/**
 * A staff grant (one member, a list, or a whole union's subtree): each member reached gets a lot.
 */
export const pointGrants = pgTable(
  'point_grants',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    actorId: integer('actor_id')
      .notNull()
      .references(() => members.id),
    amount: integer('amount').notNull(),
    reason: text('reason').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    /** Set when the grant went to a union's subtree; null when to listed members. */
    unionId: integer('union_id').references(() => unions.id),
    /** Members the grant reaches: counted when it starts, exact once it is `done`. */
    memberCount: integer('member_count').notNull(),
    /** `running` while a job grants in batches (a large grant), then `done` (or `failed`). */
    status: text('status').notNull().default('done'),
    /** Members who received the points so far (each exactly once: one lot per grant and member). */
    granted: integer('granted').notNull().default(0),
    /** The durable job of a large grant; null for a grant made in one transaction. */
    jobId: integer('job_id')
      .unique()
      .references(() => jobs.id),
    createdAt: createdAt(),
  },
  (t) => [
    check('point_grants_amount_positive', sql`${t.amount} > 0`),
    check('point_grants_member_count_nonnegative', sql`${t.memberCount} >= 0`),
    check('point_grants_status_known', sql`${t.status} IN ('running','done','failed')`),
    check('point_grants_granted_nonnegative', sql`${t.granted} >= 0`),
  ],
)

/**
 * Points a member received in one go, with an optional expiry. Redemption spends the lots that
 * expire first; the expiry job empties a due lot once (`expired_at`). The open lots' `remaining`
 * adds up to the account balance.
 */
export const pointLots = pgTable(
  'point_lots',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id),
    /** grant | earn | refund (points of an order whose lot had expired meanwhile) | adjust */
    kind: text('kind').notNull(),
    grantId: integer('grant_id').references(() => pointGrants.id),
    amount: integer('amount').notNull(),
    remaining: integer('remaining').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    /** When the expiry job emptied the lot; a lot expires once. */
    expiredAt: timestamp('expired_at', { withTimezone: true }),
    reason: text('reason').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    check('point_lots_kind_known', sql`${t.kind} IN ('grant','earn','refund','adjust')`),
    check('point_lots_amount_positive', sql`${t.amount} > 0`),
    check('point_lots_remaining_range', sql`${t.remaining} >= 0 AND ${t.remaining} <= ${t.amount}`),
    check('point_lots_expired_empty', sql`${t.expiredAt} IS NULL OR ${t.remaining} = 0`),
    index('point_lots_member_open_idx')
      .on(t.memberId, t.expiresAt)
      .where(sql`${t.remaining} > 0`),
    // A grant reaches a member once: a grant job re-run after a crash cannot grant twice.
    uniqueIndex('point_lots_grant_member_once').on(t.grantId, t.memberId),
    index('point_lots_due_idx')
      .on(t.expiresAt)
      .where(sql`${t.expiredAt} IS NULL AND ${t.expiresAt} IS NOT NULL`),
    // The expiry job's batches: members with open expiring lots, in id order.
    index('point_lots_expiring_member_idx')
      .on(t.memberId, t.expiresAt)
      .where(sql`${t.expiredAt} IS NULL AND ${t.expiresAt} IS NOT NULL`),
  ],
)

/** Which lots an order spent, so that a refund restores the same lots. */
export const orderLotSpends = pgTable(
  'order_lot_spends',
  {
    orderId: integer('order_id')
      .notNull()
      .references(() => mallOrders.id),
    lotId: integer('lot_id')
      .notNull()
      .references(() => pointLots.id),
    amount: integer('amount').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orderId, t.lotId] }),
    check('order_lot_spends_amount_positive', sql`${t.amount} > 0`),
  ],
)

/**
 * The append-only points ledger; each entry carries the balance after it. Unique partial indexes
 * back the "exactly once" rules: one expire entry per lot, one redeem and one refund per order.
 */
export const pointLedger = pgTable(
  'point_ledger',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id),
    kind: text('kind').notNull(),
    amount: integer('amount').notNull(),
    balanceAfter: integer('balance_after').notNull(),
    reason: text('reason').notNull(),
    /** The lot a grant created or an expiry emptied. */
    lotId: integer('lot_id').references(() => pointLots.id),
    /** The order a redeem or refund belongs to. */
    orderId: integer('order_id').references(() => mallOrders.id),
    /** The event registration whose check-in earned an `earn` entry (migration 0016). */
    registrationId: integer('registration_id').references(() => eventRegistrations.id),
    createdAt: createdAt(),
  },
  (t) => [
    check('point_ledger_kind_known', sql`${t.kind} IN ${inList(ledgerKinds)}`),
    check('point_ledger_balance_after_nonnegative', sql`${t.balanceAfter} >= 0`),
    check('point_ledger_amount_nonzero', sql`${t.amount} <> 0`),
    index('point_ledger_member_idx').on(t.memberId, t.id),
    uniqueIndex('point_ledger_expire_once')
      .on(t.lotId)
      .where(sql`${t.kind} = 'expire'`),
    uniqueIndex('point_ledger_redeem_once')
      .on(t.orderId)
      .where(sql`${t.kind} = 'redeem'`),
    uniqueIndex('point_ledger_refund_once')
      .on(t.orderId)
      .where(sql`${t.kind} = 'refund'`),
    // Checking in at an event earns its points once per attendee.
    check(
      'point_ledger_earn_has_source',
      sql`${t.kind} <> 'earn' OR ${t.registrationId} IS NOT NULL`,
    ),
    uniqueIndex('point_ledger_earn_once')
      .on(t.registrationId)
      .where(sql`${t.kind} = 'earn'`),
  ],
)
