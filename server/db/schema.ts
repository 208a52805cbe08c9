import { sql } from 'drizzle-orm'
import {
  boolean,
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
} from 'drizzle-orm/pg-core'

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow()

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
  (t) => [index('audit_log_entity_idx').on(t.entity, t.entityId)],
)

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
    memberCount: integer('member_count').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    check('point_grants_amount_positive', sql`${t.amount} > 0`),
    check('point_grants_member_count_nonnegative', sql`${t.memberCount} >= 0`),
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
    index('point_lots_due_idx')
      .on(t.expiresAt)
      .where(sql`${t.expiredAt} IS NULL AND ${t.expiresAt} IS NOT NULL`),
  ],
)

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
  },
  (t) => [
    unique('mall_orders_pickup_code_unique').on(t.pickupCode),
    check('mall_orders_quantity_positive', sql`${t.quantity} > 0`),
    check('mall_orders_unit_cost_positive', sql`${t.unitCost} > 0`),
    check('mall_orders_points_spent', sql`${t.pointsSpent} = ${t.quantity} * ${t.unitCost}`),
    check(
      'mall_orders_status_known',
      sql`${t.status} IN ('awaiting_pickup','fulfilled','cancelled','expired')`,
    ),
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
    index('mall_orders_item_idx').on(t.itemId, t.status),
    index('mall_orders_awaiting_deadline_idx')
      .on(t.pickupDeadline)
      .where(sql`${t.status} = 'awaiting_pickup'`),
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
    createdAt: createdAt(),
  },
  (t) => [
    check(
      'point_ledger_kind_known',
      sql`${t.kind} IN ('grant','earn','redeem','refund','expire','adjust')`,
    ),
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

// Cooling pack

/**
 * A 夏送清凉 campaign of one union: every member of the union's subtree composes one pack within
 * `quota` units (and at most `max_items` pieces when set) until `closes_at`. Closing it
 * (`closed_at`, by staff or the job) hands the default pack to everyone who did not choose.
 */
export const coolingCampaigns = pgTable(
  'cooling_campaigns',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    unionId: integer('union_id')
      .notNull()
      .references(() => unions.id),
    title: text('title').notNull(),
    opensAt: timestamp('opens_at', { withTimezone: true }).notNull(),
    closesAt: timestamp('closes_at', { withTimezone: true }).notNull(),
    quota: integer('quota').notNull(),
    maxItems: integer('max_items'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /** Who closed it; null when the job closed it at `closes_at`. */
    closedBy: integer('closed_by').references(() => members.id),
    createdBy: integer('created_by')
      .notNull()
      .references(() => members.id),
    createdAt: createdAt(),
  },
  (t) => [
    check('cooling_campaigns_title_not_blank', sql`length(trim(${t.title})) > 0`),
    check('cooling_campaigns_window', sql`${t.closesAt} > ${t.opensAt}`),
    check('cooling_campaigns_quota_positive', sql`${t.quota} > 0`),
    check('cooling_campaigns_max_items_positive', sql`${t.maxItems} IS NULL OR ${t.maxItems} > 0`),
    check(
      'cooling_campaigns_closed_by_when_closed',
      sql`${t.closedBy} IS NULL OR ${t.closedAt} IS NOT NULL`,
    ),
    index('cooling_campaigns_union_idx').on(t.unionId),
    index('cooling_campaigns_due_idx')
      .on(t.closesAt)
      .where(sql`${t.closedAt} IS NULL`),
  ],
)

/**
 * A supply of a campaign. `stock_left` is what packs have not reserved: each pack's quantity is
 * taken from it with a conditional update and given back when the pack changes.
 */
export const coolingItems = pgTable(
  'cooling_items',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => coolingCampaigns.id),
    /** Order within the campaign (the `itemIndex` of the default pack). */
    position: integer('position').notNull(),
    name: text('name').notNull(),
    imageUrl: text('image_url'),
    quotaCost: integer('quota_cost').notNull(),
    maxPerPack: integer('max_per_pack').notNull(),
    stock: integer('stock').notNull(),
    stockLeft: integer('stock_left').notNull(),
    /** How many of it the default pack holds. */
    defaultQuantity: integer('default_quantity').notNull().default(0),
  },
  (t) => [
    unique('cooling_items_position_unique').on(t.campaignId, t.position),
    check('cooling_items_name_not_blank', sql`length(trim(${t.name})) > 0`),
    check('cooling_items_quota_cost_nonnegative', sql`${t.quotaCost} >= 0`),
    check('cooling_items_max_per_pack_positive', sql`${t.maxPerPack} > 0`),
    check(
      'cooling_items_stock_left_range',
      sql`${t.stockLeft} >= 0 AND ${t.stockLeft} <= ${t.stock}`,
    ),
    check(
      'cooling_items_default_quantity_range',
      sql`${t.defaultQuantity} >= 0 AND ${t.defaultQuantity} <= ${t.maxPerPack}`,
    ),
  ],
)

/** A place an enterprise union's packs can be shipped to (a project site in 若羌, one overseas …). */
export const coolingSites = pgTable(
  'cooling_sites',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    unionId: integer('union_id')
      .notNull()
      .references(() => unions.id),
    name: text('name').notNull(),
    address: text('address').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    unique('cooling_sites_union_name_unique').on(t.unionId, t.name),
    check('cooling_sites_name_not_blank', sql`length(trim(${t.name})) > 0`),
    check('cooling_sites_address_not_blank', sql`length(trim(${t.address})) > 0`),
  ],
)

/**
 * One pack per member and campaign. Delivery is pickup at the union or a site with recipient
 * and phone; status only moves forward (submitted → shipped → received).
 */
export const coolingPacks = pgTable(
  'cooling_packs',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => coolingCampaigns.id),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id),
    quotaUsed: integer('quota_used').notNull(),
    deliveryKind: text('delivery_kind').notNull(),
    siteId: integer('site_id').references(() => coolingSites.id),
    recipient: text('recipient'),
    phone: text('phone'),
    status: text('status').notNull().default('submitted'),
    /** Handed out at closing to a member who had not chosen. */
    isDefault: boolean('is_default').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    shippedAt: timestamp('shipped_at', { withTimezone: true }),
    shippedBy: integer('shipped_by').references(() => members.id),
    receivedAt: timestamp('received_at', { withTimezone: true }),
  },
  (t) => [
    unique('cooling_packs_one_per_member').on(t.campaignId, t.memberId),
    check('cooling_packs_quota_used_nonnegative', sql`${t.quotaUsed} >= 0`),
    check(
      'cooling_packs_delivery',
      sql`(${t.deliveryKind} = 'pickup' AND ${t.siteId} IS NULL AND ${t.recipient} IS NULL AND ${t.phone} IS NULL)
       OR (${t.deliveryKind} = 'site' AND ${t.siteId} IS NOT NULL AND ${t.recipient} IS NOT NULL AND ${t.phone} IS NOT NULL)`,
    ),
    check(
      'cooling_packs_recipient_length',
      sql`${t.recipient} IS NULL OR char_length(trim(${t.recipient})) BETWEEN 1 AND 20`,
    ),
    check('cooling_packs_phone_format', sql`${t.phone} IS NULL OR ${t.phone} ~ '^1[3-9][0-9]{9}$'`),
    check('cooling_packs_status_known', sql`${t.status} IN ('submitted','shipped','received')`),
    check(
      'cooling_packs_shipped_when',
      sql`(${t.status} = 'submitted') = (${t.shippedAt} IS NULL)`,
    ),
    check(
      'cooling_packs_received_when',
      sql`(${t.status} = 'received') = (${t.receivedAt} IS NOT NULL)`,
    ),
    index('cooling_packs_member_idx').on(t.memberId),
    index('cooling_packs_site_idx').on(t.campaignId, t.siteId),
  ],
)

/** What a pack holds: one line per item, the quantity reserved from the item's stock. */
export const coolingPackItems = pgTable(
  'cooling_pack_items',
  {
    packId: integer('pack_id')
      .notNull()
      .references(() => coolingPacks.id),
    itemId: integer('item_id')
      .notNull()
      .references(() => coolingItems.id),
    quantity: integer('quantity').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.packId, t.itemId] }),
    check('cooling_pack_items_quantity_positive', sql`${t.quantity} > 0`),
    index('cooling_pack_items_item_idx').on(t.itemId),
  ],
)

// Events and flowers

/**
 * A mixer (联谊活动), co-hosted by one or more unions (`event_hosts`). The confirmed counters are
 * kept with the registrations in the same transaction, under this row's lock; their CHECKs are
 * the database's own guard that capacity is never exceeded. `signup_seq` numbers sign-ups in
 * order (the waitlist is FIFO by it).
 */
export const events = pgTable(
  'events',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    title: text('title').notNull(),
    venue: text('venue').notNull(),
    description: text('description').notNull().default(''),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    signupOpensAt: timestamp('signup_opens_at', { withTimezone: true }).notNull(),
    signupClosesAt: timestamp('signup_closes_at', { withTimezone: true }).notNull(),
    capacity: integer('capacity').notNull(),
    capacityMale: integer('capacity_male'),
    capacityFemale: integer('capacity_female'),
    minBirthYear: integer('min_birth_year'),
    maxBirthYear: integer('max_birth_year'),
    confirmedMale: integer('confirmed_male').notNull().default(0),
    confirmedFemale: integer('confirmed_female').notNull().default(0),
    signupSeq: integer('signup_seq').notNull().default(0),
    /** The event's own check-in code: attendees scan it at the venue. */
    checkinCode: text('checkin_code').notNull(),
    flowerPhase: text('flower_phase').notNull().default('not_open'),
    groupCount: integer('group_count'),
    rounds: integer('rounds'),
    rotatingGender: text('rotating_gender'),
    createdBy: integer('created_by')
      .notNull()
      .references(() => members.id),
    createdAt: createdAt(),
  },
  (t) => [
    unique('events_checkin_code_unique').on(t.checkinCode),
    check('events_title_not_blank', sql`length(trim(${t.title})) > 0`),
    check(
      'events_windows_in_order',
      sql`${t.signupOpensAt} < ${t.signupClosesAt} AND ${t.signupClosesAt} <= ${t.startsAt} AND ${t.startsAt} < ${t.endsAt}`,
    ),
    check('events_capacity_positive', sql`${t.capacity} > 0`),
    check(
      'events_capacity_per_gender',
      sql`(${t.capacityMale} IS NULL) = (${t.capacityFemale} IS NULL) AND (${t.capacityMale} IS NULL OR (${t.capacityMale} BETWEEN 0 AND ${t.capacity} AND ${t.capacityFemale} BETWEEN 0 AND ${t.capacity} AND ${t.capacityMale} + ${t.capacityFemale} >= ${t.capacity}))`,
    ),
    check(
      'events_birth_years',
      sql`${t.minBirthYear} IS NULL OR ${t.maxBirthYear} IS NULL OR ${t.minBirthYear} <= ${t.maxBirthYear}`,
    ),
    check(
      'events_confirmed_within_capacity',
      sql`${t.confirmedMale} >= 0 AND ${t.confirmedFemale} >= 0 AND ${t.confirmedMale} + ${t.confirmedFemale} <= ${t.capacity}`,
    ),
    check(
      'events_confirmed_within_gender_capacity',
      sql`(${t.capacityMale} IS NULL OR ${t.confirmedMale} <= ${t.capacityMale}) AND (${t.capacityFemale} IS NULL OR ${t.confirmedFemale} <= ${t.capacityFemale})`,
    ),
    check('events_flower_phase_known', sql`${t.flowerPhase} IN ('not_open','open','closed')`),
    check(
      'events_groups_complete',
      sql`(${t.groupCount} IS NULL) = (${t.rounds} IS NULL) AND (${t.groupCount} IS NULL) = (${t.rotatingGender} IS NULL) AND (${t.groupCount} IS NULL OR (${t.groupCount} > 0 AND ${t.rounds} BETWEEN 1 AND ${t.groupCount} AND ${t.rotatingGender} IN ('male','female')))`,
    ),
  ],
)

/** The co-host unions of an event (they may lie in different cities). */
export const eventHosts = pgTable(
  'event_hosts',
  {
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id),
    unionId: integer('union_id')
      .notNull()
      .references(() => unions.id),
  },
  (t) => [
    primaryKey({ columns: [t.eventId, t.unionId] }),
    index('event_hosts_union_idx').on(t.unionId),
  ],
)

/**
 * One registration per member and event (a cancelled one is reused when the member signs up
 * again, at the back of the line). `public_id` is the attendee id other attendees see.
 */
export const eventRegistrations = pgTable(
  'event_registrations',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id),
    publicId: text('public_id').notNull(),
    /** The member's personal check-in code, for staff to scan. */
    checkinCode: text('checkin_code').notNull(),
    nickname: text('nickname').notNull(),
    gender: text('gender').notNull(),
    birthYear: integer('birth_year').notNull(),
    intro: text('intro').notNull().default(''),
    /** Whether other attendees may see this attendee's gender and birth year (off unless chosen). */
    showDetails: boolean('show_details').notNull().default(false),
    status: text('status').notNull(),
    /** The event's `signup_seq` when the member (last) signed up: the waitlist order. */
    queueSeq: integer('queue_seq').notNull(),
    signedUpAt: timestamp('signed_up_at', { withTimezone: true }).notNull().defaultNow(),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    checkedInAt: timestamp('checked_in_at', { withTimezone: true }),
    /** Group of round 1 (0-based) and cohort, once the organiser made the groups. */
    startGroup: integer('start_group'),
    cohort: text('cohort'),
    createdAt: createdAt(),
  },
  (t) => [
    unique('event_registrations_one_per_member').on(t.eventId, t.memberId),
    unique('event_registrations_event_id').on(t.eventId, t.id),
    unique('event_registrations_public_id_unique').on(t.publicId),
    unique('event_registrations_checkin_code_unique').on(t.checkinCode),
    unique('event_registrations_queue_unique').on(t.eventId, t.queueSeq),
    check('event_registrations_gender_known', sql`${t.gender} IN ('male','female')`),
    check(
      'event_registrations_status_known',
      sql`${t.status} IN ('confirmed','waitlisted','cancelled')`,
    ),
    check(
      'event_registrations_cancelled_at',
      sql`(${t.status} = 'cancelled') = (${t.cancelledAt} IS NOT NULL)`,
    ),
    check(
      'event_registrations_checkin_confirmed',
      sql`${t.checkedInAt} IS NULL OR ${t.status} = 'confirmed'`,
    ),
    check(
      'event_registrations_cohort_known',
      sql`(${t.cohort} IS NULL) = (${t.startGroup} IS NULL) AND (${t.cohort} IS NULL OR (${t.cohort} IN ('stationary','rotating') AND ${t.startGroup} >= 0))`,
    ),
    index('event_registrations_queue_idx').on(t.eventId, t.status, t.queueSeq),
    index('event_registrations_member_idx').on(t.memberId),
  ],
)

/**
 * A sent flower: final, at most one per sender and recipient, never to oneself; both ends are
 * registrations of the same event (composite foreign keys).
 */
export const flowers = pgTable(
  'flowers',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    eventId: integer('event_id').notNull(),
    senderId: integer('sender_id').notNull(),
    recipientId: integer('recipient_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({
      name: 'flowers_sender_fk',
      columns: [t.eventId, t.senderId],
      foreignColumns: [eventRegistrations.eventId, eventRegistrations.id],
    }),
    foreignKey({
      name: 'flowers_recipient_fk',
      columns: [t.eventId, t.recipientId],
      foreignColumns: [eventRegistrations.eventId, eventRegistrations.id],
    }),
    unique('flowers_once_per_pair').on(t.eventId, t.senderId, t.recipientId),
    check('flowers_not_to_self', sql`${t.senderId} <> ${t.recipientId}`),
    index('flowers_recipient_idx').on(t.eventId, t.recipientId),
  ],
)

/**
 * A checked-in attendee's flowers still to send: the per-sender counter that caps flowers at 3
 * (decremented in the statement that inserts the flower; CHECK 0..3). `closed` is set for the
 * whole event by the transaction that closes the flower phase: a send locks its sender's row
 * here, so it either commits before the close or sees `closed`. A table of its own, so that these
 * locks never meet the KEY SHARE locks that flowers' foreign keys take on registrations.
 */
export const flowerAllowances = pgTable(
  'flower_allowances',
  {
    registrationId: integer('registration_id')
      .primaryKey()
      .references(() => eventRegistrations.id),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id),
    flowersLeft: integer('flowers_left').notNull().default(3),
    closed: boolean('closed').notNull().default(false),
  },
  (t) => [
    check('flower_allowances_flowers_left', sql`${t.flowersLeft} BETWEEN 0 AND 3`),
    index('flower_allowances_event_idx').on(t.eventId),
  ],
)

// Legal consultation

/** A union lawyer: the profile of a member who holds the `lawyer` role. */
export const legalLawyers = pgTable(
  'legal_lawyers',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    memberId: integer('member_id')
      .notNull()
      .unique()
      .references(() => members.id),
    firm: text('firm').notNull(),
    specialties: text('specialties')
      .array()
      .notNull()
      .default(sql`ARRAY[]::text[]`),
    bio: text('bio').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [check('legal_lawyers_firm_not_blank', sql`length(trim(${t.firm})) > 0`)],
)

/** Where consultations take place: a workstation (an address) or online (by phone or video). */
export const legalServicePoints = pgTable(
  'legal_service_points',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    unionId: integer('union_id')
      .notNull()
      .references(() => unions.id),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    address: text('address'),
    channel: text('channel'),
    createdAt: createdAt(),
  },
  (t) => [
    unique('legal_service_points_union_name_unique').on(t.unionId, t.name),
    check(
      'legal_service_points_kind',
      sql`(${t.kind} = 'workstation' AND ${t.address} IS NOT NULL AND ${t.channel} IS NULL)
       OR (${t.kind} = 'online' AND ${t.channel} IN ('phone','video'))`,
    ),
  ],
)

export const legalTopics = pgTable('legal_topics', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  name: text('name').notNull().unique(),
  sortOrder: integer('sort_order').notNull().default(0),
})

/** Weekly availability of a lawyer at a service point; slots are derived from these. */
export const legalAvailabilityRules = pgTable(
  'legal_availability_rules',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    lawyerId: integer('lawyer_id')
      .notNull()
      .references(() => legalLawyers.id),
    servicePointId: integer('service_point_id')
      .notNull()
      .references(() => legalServicePoints.id),
    /** 1 Monday … 7 Sunday (Asia/Shanghai). */
    weekday: integer('weekday').notNull(),
    /** `HH:mm`, Asia/Shanghai. */
    startTime: text('start_time').notNull(),
    endTime: text('end_time').notNull(),
    slotMinutes: integer('slot_minutes').notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validTo: date('valid_to', { mode: 'string' }),
    createdBy: integer('created_by').references(() => members.id),
    createdAt: createdAt(),
  },
  (t) => [
    check('legal_rules_weekday', sql`${t.weekday} BETWEEN 1 AND 7`),
    check(
      'legal_rules_times',
      sql`${t.startTime} ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' AND ${t.endTime} ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' AND ${t.endTime} > ${t.startTime}`,
    ),
    check('legal_rules_slot_minutes', sql`${t.slotMinutes} BETWEEN 10 AND 240`),
    check('legal_rules_validity', sql`${t.validTo} IS NULL OR ${t.validTo} >= ${t.validFrom}`),
    index('legal_rules_lawyer_idx').on(t.lawyerId),
    index('legal_rules_point_idx').on(t.servicePointId),
  ],
)

/** A day without consultations: at every service point (null) or at one. */
export const legalClosures = pgTable(
  'legal_closures',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    date: date('date', { mode: 'string' }).notNull(),
    reason: text('reason').notNull(),
    servicePointId: integer('service_point_id').references(() => legalServicePoints.id),
    createdBy: integer('created_by').references(() => members.id),
    createdAt: createdAt(),
  },
  (t) => [
    unique('legal_closures_date_point_unique').on(t.date, t.servicePointId).nullsNotDistinct(),
  ],
)

/**
 * A booked slot: the slot is (lawyer, start). The description and the notes are confidential
 * (member + lawyer, notes the lawyer only).
 */
export const legalBookings = pgTable(
  'legal_bookings',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id),
    lawyerId: integer('lawyer_id')
      .notNull()
      .references(() => legalLawyers.id),
    servicePointId: integer('service_point_id')
      .notNull()
      .references(() => legalServicePoints.id),
    topicId: integer('topic_id')
      .notNull()
      .references(() => legalTopics.id),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    phone: text('phone').notNull(),
    description: text('description').notNull(),
    status: text('status').notNull().default('booked'),
    notes: text('notes'),
    ratingStars: integer('rating_stars'),
    ratingComment: text('rating_comment'),
    ratedAt: timestamp('rated_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    outcomeAt: timestamp('outcome_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    // One active booking per slot; a cancelled booking frees the slot again.
    uniqueIndex('legal_bookings_slot_active_unique')
      .on(t.lawyerId, t.startsAt)
      .where(sql`status <> 'cancelled'`),
    check(
      'legal_bookings_status_known',
      sql`${t.status} IN ('booked','cancelled','completed','no_show')`,
    ),
    check('legal_bookings_times', sql`${t.endsAt} > ${t.startsAt}`),
    check('legal_bookings_phone_format', sql`${t.phone} ~ '^1[3-9][0-9]{9}$'`),
    // The description's length (10–500) is checked by the contract on the plain text: the column
    // holds it sealed (AES-256-GCM, server/lib/crypto.ts), which is longer.
    check(
      'legal_bookings_cancelled_when',
      sql`(${t.status} = 'cancelled') = (${t.cancelledAt} IS NOT NULL)`,
    ),
    check(
      'legal_bookings_rating',
      sql`(${t.ratingStars} IS NULL AND ${t.ratedAt} IS NULL)
       OR (${t.ratingStars} BETWEEN 1 AND 5 AND ${t.ratedAt} IS NOT NULL AND ${t.status} = 'completed')`,
    ),
    index('legal_bookings_member_idx').on(t.memberId, t.status),
    index('legal_bookings_point_idx').on(t.servicePointId, t.startsAt),
  ],
)

// ---------------------------------------------------------------- identity

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
