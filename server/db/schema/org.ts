// The union tree, its members, the audit log, server settings and idempotency keys.
import { sql } from 'drizzle-orm'
import {
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  unique,
} from 'drizzle-orm/pg-core'
import { createdAt } from './columns'

/** Key/value settings the server keeps for itself (the session secret, the seed version). */
export const appSettings = pgTable('app_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
})

/** The union tree: city federation → district unions → enterprise unions. */
export const unions = pgTable(
  'unions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    parentId: integer('parent_id'),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({ columns: [t.parentId], foreignColumns: [t.id] }),
    unique('unions_parent_name_unique').on(t.parentId, t.name).nullsNotDistinct(),
    check('unions_name_not_blank', sql`length(trim(${t.name})) > 0`),
    check('unions_not_own_parent', sql`${t.parentId} IS NULL OR ${t.parentId} <> ${t.id}`),
  ],
)

export const members = pgTable(
  'members',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    memberNo: text('member_no').notNull().unique(),
    name: text('name').notNull(),
    unionId: integer('union_id')
      .notNull()
      .references(() => unions.id),
    roles: text('roles')
      .array()
      .notNull()
      .default(sql`ARRAY['member']::text[]`),
    staffUnionId: integer('staff_union_id').references(() => unions.id),
    wechatOpenid: text('wechat_openid').unique(),
    /** The roster phone (11 digits): a WeChat-verified phone number must match it to bind. */
    phone: text('phone'),
    createdAt: createdAt(),
  },
  (t) => [
    check('members_phone_digits', sql`${t.phone} IS NULL OR ${t.phone} ~ '^1[3-9][0-9]{9}$'`),
    index('members_phone_idx').on(t.phone),
    check(
      'members_roles_known',
      sql`${t.roles} <@ ARRAY['member','staff','lawyer','admin']::text[] AND cardinality(${t.roles}) > 0`,
    ),
    check(
      'members_staff_has_scope',
      sql`('staff' = ANY(${t.roles})) = (${t.staffUnionId} IS NOT NULL)`,
    ),
    index('members_union_idx').on(t.unionId),
    // The first members by number of each union: a grant preview's sample, whatever the count.
    // In the "C" collation, which only this index offers: ordered by plain member_no the planner
    // walked the unique index and filtered by union, reading 100k rows for 5 (migration 0019).
    index('members_union_member_no_c_idx').on(t.unionId, sql`(${t.memberNo} COLLATE "C")`),
    // Members (the role) per union in id order: cooling's coverage counts and close batches.
    index('members_role_member_union_idx')
      .on(t.unionId, t.id)
      .where(sql`'member' = ANY(${t.roles})`),
  ],
)

/** Who changed what, when: every staff and admin write, with the row before and after. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    actorId: integer('actor_id')
      .notNull()
      .references(() => members.id),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    createdAt: createdAt(),
  },
  (t) => [
    index('audit_log_entity_idx').on(t.entity, t.entityId),
    index('audit_log_actor_idx').on(t.actorId, t.id),
  ],
)

/**
 * Idempotency keys, unique per member: the first response of a creating request is stored and
 * replayed for every retry with the same key.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id),
    key: text('key').notNull(),
    route: text('route').notNull(),
    requestHash: text('request_hash').notNull(),
    status: integer('status'),
    response: jsonb('response'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.key] })],
)
