// 夏送清凉 (cooling pack): campaigns, their items, delivery sites, packs.
import { sql } from 'drizzle-orm'
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core'
import { packStatuses } from '../../../src/contract/cooling'
import { inList } from './checks'
import { createdAt } from './columns'
import { jobs } from './jobs'
import { unions, members } from './org'

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
    // The close in batches (`closeCampaignStep`): default packs go out in member id order.
    /** The last member id the current close run has handled. */
    closeCursor: integer('close_cursor').notNull().default(0),
    /** Members without a pack when the current close run began (its progress' total). */
    closeTotal: integer('close_total').notNull().default(0),
    /** Default packs the current close run created so far. */
    closeCreated: integer('close_created').notNull().default(0),
    /** Members the current close run could not cover (stock ran short). */
    closeNotCovered: integer('close_not_covered').notNull().default(0),
    /** When the close run handed out its last default pack; null while closing (or still open). */
    closeDoneAt: timestamp('close_done_at', { withTimezone: true }),
    /** The durable job running the close, when it runs as one. */
    closeJobId: integer('close_job_id').references(() => jobs.id),
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
    // The target of the packs' (campaign_id, quota_limit) key: a pack's limit is its campaign's quota.
    unique('cooling_campaigns_id_quota').on(t.id, t.quota),
    index('cooling_campaigns_union_idx').on(t.unionId),
    index('cooling_campaigns_due_idx')
      .on(t.closesAt)
      .where(sql`${t.closedAt} IS NULL`),
    check(
      'cooling_campaigns_close_counts_nonnegative',
      sql`${t.closeCursor} >= 0 AND ${t.closeTotal} >= 0 AND ${t.closeCreated} >= 0 AND ${t.closeNotCovered} >= 0`,
    ),
    check(
      'cooling_campaigns_close_done_when_closed',
      sql`${t.closeDoneAt} IS NULL OR ${t.closedAt} IS NOT NULL`,
    ),
    index('cooling_campaigns_closing_idx')
      .on(t.id)
      .where(sql`${t.closedAt} IS NOT NULL AND ${t.closeDoneAt} IS NULL`),
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
    /** Who receives the packs at the site (optional, migration 0021). */
    recipient: text('recipient'),
    createdAt: createdAt(),
  },
  (t) => [
    unique('cooling_sites_union_name_unique').on(t.unionId, t.name),
    check('cooling_sites_name_not_blank', sql`length(trim(${t.name})) > 0`),
    check('cooling_sites_address_not_blank', sql`length(trim(${t.address})) > 0`),
    check(
      'cooling_sites_recipient_length',
      sql`${t.recipient} IS NULL OR (length(trim(${t.recipient})) > 0 AND length(${t.recipient}) <= 20)`,
    ),
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
    /** Quota units the pack's lines use (`quotaUsed` in src/contract/cooling-pack.ts). */
    quotaUsed: integer('quota_used').notNull(),
    /** The campaign's quota, kept with the pack so the database can hold the limit. */
    quotaLimit: integer('quota_limit').notNull(),
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
    /** Union staff who did this for the member (代办, migration 0015); null: the member did. */
    actedBy: integer('acted_by').references(() => members.id),
    /** The site's name and address when the pack shipped (a later edit of the site keeps these). */
    shippedSiteName: text('shipped_site_name'),
    shippedAddress: text('shipped_address'),
    /** The site's contact when the pack shipped (migration 0021). */
    shippedRecipient: text('shipped_recipient'),
    receivedAt: timestamp('received_at', { withTimezone: true }),
  },
  (t) => [
    unique('cooling_packs_one_per_member').on(t.campaignId, t.memberId),
    check('cooling_packs_quota_used_nonnegative', sql`${t.quotaUsed} >= 0`),
    // The backstop of checkPack's OVER_QUOTA (src/contract/cooling-pack.ts).
    check('cooling_packs_quota_within_limit', sql`${t.quotaUsed} <= ${t.quotaLimit}`),
    foreignKey({
      name: 'cooling_packs_quota_limit_fk',
      columns: [t.campaignId, t.quotaLimit],
      foreignColumns: [coolingCampaigns.id, coolingCampaigns.quota],
    }),
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
    check('cooling_packs_status_known', sql`${t.status} IN ${inList(packStatuses)}`),
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
    // The staff overview's counts per campaign, from the index alone.
    index('cooling_packs_counts_idx').on(t.campaignId, t.isDefault, t.status),
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
