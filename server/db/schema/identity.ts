// Sign-in: sessions, activation codes, bind attempts, web QR tickets.
import { sql } from 'drizzle-orm'
import { check, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { createdAt } from './columns'
import { members } from './org'

/**
 * A signed-in session. The bearer token is random; only its SHA-256 is kept, so a database dump
 * yields no usable token. Revoking (logout, unbinding, a removed role, sign out everywhere) is
 * setting `revoked_at`: the next request with that token is 401.
 */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id),
    /** How it was signed in: the mini-program (`wechat`), a web page by QR (`web`), the demo (`dev`). */
    kind: text('kind').notNull(),
    /** The browser or device, as the client described itself (shown to the member). */
    client: text('client').notNull().default(''),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    check('sessions_kind_known', sql`${t.kind} IN ('wechat','web','dev')`),
    index('sessions_member_idx').on(t.memberId),
  ],
)

/**
 * A one-time activation code staff issue to a member whose phone is not on file: only its hash is
 * kept; at most one live (unused, unrevoked) code per member.
 */
export const activationCodes = pgTable(
  'activation_codes',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id),
    codeHash: text('code_hash').notNull(),
    issuedBy: integer('issued_by')
      .notNull()
      .references(() => members.id),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('activation_codes_one_live')
      .on(t.memberId)
      .where(sql`${t.usedAt} IS NULL AND ${t.revokedAt} IS NULL`),
    check('activation_codes_used_or_revoked', sql`${t.usedAt} IS NULL OR ${t.revokedAt} IS NULL`),
  ],
)

/**
 * Wrong activation codes per member (whatever address they come from): after 5 the binding is
 * locked until `locked_until`. The row is also the lock that serialises attempts for one member.
 */
export const bindAttempts = pgTable(
  'bind_attempts',
  {
    memberId: integer('member_id')
      .primaryKey()
      .references(() => members.id),
    failures: integer('failures').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
  },
  (t) => [check('bind_attempts_failures_range', sql`${t.failures} BETWEEN 0 AND 5`)],
)

/**
 * A web page's sign-in ticket: shown as a QR, approved by a member on the mini-program, exchanged
 * for a session once. Only the ticket's hash is kept.
 */
export const qrTickets = pgTable(
  'qr_tickets',
  {
    ticketHash: text('ticket_hash').primaryKey(),
    browser: text('browser').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    approvedBy: integer('approved_by').references(() => members.id),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    usedAt: timestamp('used_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
  },
  (t) => [
    check(
      'qr_tickets_approval',
      sql`(${t.approvedBy} IS NULL) = (${t.approvedAt} IS NULL) AND (${t.usedAt} IS NULL OR ${t.approvedAt} IS NOT NULL)`,
    ),
    index('qr_tickets_expires_idx').on(t.expiresAt),
  ],
)
