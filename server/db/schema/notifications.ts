// Subscribe messages (订阅消息): what each member accepted, and the outbox of messages to send.
import { sql } from 'drizzle-orm'
import {
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core'
import { createdAt } from './columns'
import { members } from './org'

const KEYS = sql.raw(
  `('pickup_expiring','legal_reminder','waitlist_promoted','flowers_result','pack_shipped')`,
)

/**
 * How many messages of a template a member may still receive: each accept in
 * `requestSubscribeMessage` allows one, each message sent uses one.
 */
export const subscriptions = pgTable(
  'subscriptions',
  {
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id),
    key: text('key').notNull(),
    remaining: integer('remaining').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.memberId, t.key] }),
    check('subscriptions_key_known', sql`${t.key} IN ${KEYS}`),
    check('subscriptions_remaining_nonnegative', sql`${t.remaining} >= 0`),
  ],
)

/**
 * A message to a member, written in the transaction of the change that causes it (once per
 * event: `dedupe_key`). The sender claims due `pending` rows with `FOR UPDATE SKIP LOCKED`, marks
 * them `sending` before calling WeChat and `sent` / `skipped` / `pending` (retry) / `failed` after.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id),
    key: text('key').notNull(),
    /** The app page the message opens, with its query. */
    page: text('page').notNull(),
    /** The in-app title and text (the H5 reminders list). */
    title: text('title').notNull(),
    body: text('body').notNull(),
    /** The template's fields as WeChat takes them (`{thing1: {value}}`…). */
    data: jsonb('data').$type<Record<string, { value: string }>>().notNull(),
    dedupeKey: text('dedupe_key').notNull().unique(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull().defaultNow(),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    check('outbox_key_known', sql`${t.key} IN ${KEYS}`),
    check(
      'outbox_status_known',
      sql`${t.status} IN ('pending','sending','sent','skipped','failed')`,
    ),
    check('outbox_attempts_nonnegative', sql`${t.attempts} >= 0`),
    check('outbox_sent_when_sent', sql`(${t.status} = 'sent') = (${t.sentAt} IS NOT NULL)`),
    index('outbox_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
    index('outbox_member_idx').on(t.memberId, t.createdAt),
    // The settled messages, for pruning those past their keeping time (migration 0014).
    index('outbox_settled_idx')
      .on(t.dueAt)
      .where(sql`${t.status} IN ('sent', 'skipped', 'failed')`),
  ],
)
