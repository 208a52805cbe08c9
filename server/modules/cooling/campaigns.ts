import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm'
import type {
  CloseCampaignResponse,
  CoolingCampaign,
  CreateCampaignBody,
  StaffCoolingCampaign,
} from '../../../src/contract/cooling'
import type { Db, Tx } from '../../db/client'
import { coolingCampaigns, coolingPacks, unions } from '../../db/schema'
import { first, rows } from '../../db/sql'
import { audit } from '../../lib/audit'
import { AppError } from '../../lib/errors'
import type { Caller } from '../../lib/route'
import { ancestorsOf, assertMayActOnUnion, subtreeOf } from '../org/union-tree'
import { lockCampaign } from './locks'
import { checkPack, problemCode, quotaUsed } from '../../../src/contract/cooling-pack'
import { allocateDefaultPacks, campaignStatus } from './rules'

type When = Date | string
const iso = (d: When) => new Date(d).toISOString()

interface CampaignItemRow {
  id: number
  name: string
  imageUrl: string | null
  quotaCost: number
  maxPerPack: number
  stock: number
  stockLeft: number
  defaultQuantity: number
}

/** A campaign with its union's name and its items (in position order). */
const campaignColumns = {
  campaign: coolingCampaigns,
  unionName: unions.name,
  items: sql<CampaignItemRow[]>`coalesce((SELECT json_agg(json_build_object(
      'id', i.id, 'name', i.name, 'imageUrl', i.image_url, 'quotaCost', i.quota_cost,
      'maxPerPack', i.max_per_pack, 'stock', i.stock, 'stockLeft', i.stock_left,
      'defaultQuantity', i.default_quantity) ORDER BY i.position)
    FROM cooling_items i WHERE i.campaign_id = ${coolingCampaigns.id}), '[]'::json)`,
}

function campaignBase(
  { campaign: c, unionName }: { campaign: typeof coolingCampaigns.$inferSelect; unionName: string },
  now: Date,
) {
  return {
    id: c.id,
    unionId: c.unionId,
    unionName,
    title: c.title,
    opensAt: c.opensAt.toISOString(),
    closesAt: c.closesAt.toISOString(),
    quota: c.quota,
    maxItems: c.maxItems,
    status: campaignStatus(c, now),
    closedAt: c.closedAt?.toISOString() ?? null,
  }
}

const statusRank = { open: 0, upcoming: 1, closed: 2 } as const

/**
 * The campaigns a member is offered — of their union and its ancestors — with the status of
 * their own pack: open ones first (closing soonest first), then upcoming, then the closed ones
 * (latest first; their packs are still followed up).
 */
export async function memberCampaigns(
  tx: Tx,
  member: { id: number; unionId: number },
  now: Date,
): Promise<CoolingCampaign[]> {
  const list = await tx
    .select({ ...campaignColumns, packStatus: coolingPacks.status })
    .from(coolingCampaigns)
    .innerJoin(unions, eq(unions.id, coolingCampaigns.unionId))
    .innerJoin(sql`${ancestorsOf(member.unionId)} up`, sql`up.id = ${coolingCampaigns.unionId}`)
    .leftJoin(
      coolingPacks,
      and(eq(coolingPacks.campaignId, coolingCampaigns.id), eq(coolingPacks.memberId, member.id)),
    )
    .orderBy(desc(coolingCampaigns.closesAt), desc(coolingCampaigns.id))
    .limit(50)
  return list
    .map((r) => ({
      ...campaignBase(r, now),
      items: r.items.map(({ stock: _stock, ...item }) => item),
      // The CHECK `cooling_packs_status_known` holds it to the contract's values.
      packStatus: (r.packStatus ?? null) as CoolingCampaign['packStatus'],
    }))
    .sort((a, b) => {
      const rank = statusRank[a.status] - statusRank[b.status]
      if (rank !== 0) return rank
      const byClose = Date.parse(a.closesAt) - Date.parse(b.closesAt)
      return a.status === 'closed' ? -byClose : byClose
    })
}

/**
 * Campaigns with their progress, for staff. Members covered are those of the campaign union's
 * subtree holding the `member` role.
 */
async function staffCampaignRows(tx: Tx, where: SQL, now: Date): Promise<StaffCoolingCampaign[]> {
  const count = (filter: SQL) => sql<number>`count(*) FILTER (WHERE ${filter})::int`
  const p = coolingPacks
  const packs = tx
    .select({
      campaignId: p.campaignId,
      chosen: count(sql`NOT ${p.isDefault}`).as('chosen'),
      defaulted: count(sql`${p.isDefault}`).as('defaulted'),
      shipped: count(inArray(p.status, ['shipped', 'received'])).as('shipped'),
      received: count(eq(p.status, 'received')).as('received'),
    })
    .from(p)
    .groupBy(p.campaignId)
    .as('packs')
  const list = await tx
    .select({
      ...campaignColumns,
      members: sql<number>`(SELECT count(*)::int FROM ${subtreeOf(coolingCampaigns.unionId)} down
        JOIN members m ON m.union_id = down.id WHERE 'member' = ANY(m.roles))`,
      chosen: sql<number>`coalesce(${packs.chosen}, 0)`,
      defaulted: sql<number>`coalesce(${packs.defaulted}, 0)`,
      shipped: sql<number>`coalesce(${packs.shipped}, 0)`,
      received: sql<number>`coalesce(${packs.received}, 0)`,
    })
    .from(coolingCampaigns)
    .innerJoin(unions, eq(unions.id, coolingCampaigns.unionId))
    .leftJoin(packs, eq(packs.campaignId, coolingCampaigns.id))
    .where(where)
    .orderBy(desc(coolingCampaigns.closesAt), desc(coolingCampaigns.id))
  return list.map((r) => ({
    ...campaignBase(r, now),
    items: r.items,
    counts: {
      members: r.members,
      chosen: r.chosen,
      default: r.defaulted,
      notChosen: Math.max(0, r.members - r.chosen - r.defaulted),
      shipped: r.shipped,
      received: r.received,
    },
  }))
}

export function staffCampaigns(
  tx: Tx,
  unionIds: number[],
  now: Date,
): Promise<StaffCoolingCampaign[]> {
  return staffCampaignRows(tx, inArray(coolingCampaigns.unionId, unionIds), now)
}

export async function staffCampaign(tx: Tx, id: number, now: Date): Promise<StaffCoolingCampaign> {
  const [c] = await staffCampaignRows(tx, eq(coolingCampaigns.id, id), now)
  if (!c) throw new Error(`campaign ${id} vanished`)
  return c
}

export type CampaignHead = typeof coolingCampaigns.$inferSelect

/**
 * The campaign a staff member names: 404 when there is none, 403 unless it belongs to their
 * union's subtree (admins: any).
 */
export async function campaignForStaff(tx: Tx, caller: Caller, id: number): Promise<CampaignHead> {
  const [c] = await tx.select().from(coolingCampaigns).where(eq(coolingCampaigns.id, id))
  if (!c) throw new AppError('NOT_FOUND', '活动不存在')
  await assertMayActOnUnion(tx, caller, c.unionId)
  return c
}

/** Whether packs may be shipped: staff closed the campaign or its closing time has passed. */
export function isClosed(c: CampaignHead, now: Date): boolean {
  return c.closedAt !== null || now >= c.closesAt
}

/**
 * Creates a campaign with its items. The default pack must itself be a valid pack (quota, piece
 * limit, per-item maximum); it need not fit the stock — closing reports who it could not cover.
 */
export async function createCampaign(
  tx: Tx,
  caller: Caller,
  body: CreateCampaignBody,
  now: Date,
): Promise<StaffCoolingCampaign> {
  const [union] = await tx.select({ id: unions.id }).from(unions).where(eq(unions.id, body.unionId))
  if (!union) throw new AppError('UNION_NOT_FOUND')
  await assertMayActOnUnion(tx, caller, body.unionId)
  if (Date.parse(body.closesAt) <= now.getTime()) {
    throw new AppError('BAD_REQUEST', '截止时间已过，请重新选择')
  }
  // Items are numbered by position until they have ids.
  const check = checkPack(
    {
      quota: body.quota,
      maxItems: body.maxItems ?? null,
      items: body.items.map((i, index) => ({ ...i, id: index + 1 })),
    },
    body.defaultPack.map((l) => ({ itemId: l.itemIndex + 1, quantity: l.quantity })),
  )
  if (!check.ok) {
    const code = problemCode(check.problem)
    throw new AppError(code, `默认礼包：${check.message}`)
  }
  const created = await first<{ id: number }>(
    tx,
    sql`INSERT INTO cooling_campaigns (union_id, title, opens_at, closes_at, quota, max_items, created_by)
        VALUES (${body.unionId}, ${body.title}, ${body.opensAt}::timestamptz,
                ${body.closesAt}::timestamptz, ${body.quota}, ${body.maxItems ?? null}, ${caller.id})
        RETURNING id`,
  )
  if (!created) throw new AppError('INTERNAL')
  const defaults = new Map(body.defaultPack.map((l) => [l.itemIndex, l.quantity]))
  await tx.execute(
    sql`INSERT INTO cooling_items (campaign_id, position, name, image_url, quota_cost, max_per_pack,
                                   stock, stock_left, default_quantity)
        SELECT ${created.id}, i.position, i.name, i.image_url, i.quota_cost, i.max_per_pack,
               i.stock, i.stock, i.default_quantity
        FROM unnest(${sql.param(body.items.map((_, index) => index))}::int[],
                    ${sql.param(body.items.map((i) => i.name))}::text[],
                    ${sql.param(body.items.map((i) => i.imageUrl ?? null))}::text[],
                    ${sql.param(body.items.map((i) => i.quotaCost))}::int[],
                    ${sql.param(body.items.map((i) => i.maxPerPack))}::int[],
                    ${sql.param(body.items.map((i) => i.stock))}::int[],
                    ${sql.param(body.items.map((_, index) => defaults.get(index) ?? 0))}::int[])
             AS i(position, name, image_url, quota_cost, max_per_pack, stock, default_quantity)`,
  )
  await audit(tx, {
    actorId: caller.id,
    action: 'cooling_campaign.create',
    entity: 'cooling_campaign',
    entityId: created.id,
    after: body,
  })
  return staffCampaign(tx, created.id, now)
}

/** At most this many uncovered members are named in a close answer. */
const NOT_COVERED_LISTED = 500

/**
 * Closes a campaign (once; `closed_at` keeps the first time) and hands the default pack, for
 * pickup at the union, to every member of the union's subtree without a pack, within stock
 * (`allocateDefaultPacks`). Safe to repeat: a second run finds nothing new to create unless a
 * member joined meanwhile. One transaction; the campaign's advisory lock is taken exclusively
 * first, so pack edits in flight (they hold it shared) finish before and those after it find the
 * campaign closed; then the items in id order, as every edit does.
 */
export async function closeCampaign(
  db: Db,
  args: { campaignId: number; actorId: number | null; now: Date },
): Promise<CloseCampaignResponse> {
  const { campaignId, actorId, now } = args
  return db.transaction(async (tx) => {
    await lockCampaign(tx, campaignId, 'exclusive')
    const c = await first<{ id: number; union_id: number; closed_at: When | null }>(
      tx,
      sql`SELECT id, union_id, closed_at FROM cooling_campaigns WHERE id = ${campaignId} FOR UPDATE`,
    )
    if (!c) throw new AppError('NOT_FOUND', '活动不存在')
    const alreadyClosed = c.closed_at !== null
    if (!alreadyClosed) {
      await tx.execute(
        sql`UPDATE cooling_campaigns SET closed_at = ${now}, closed_by = ${actorId}
            WHERE id = ${campaignId} AND closed_at IS NULL`,
      )
    }
    const items = await rows<{
      id: number
      stock_left: number
      quota_cost: number
      default_quantity: number
    }>(
      tx,
      sql`SELECT id, stock_left, quota_cost, default_quantity FROM cooling_items
          WHERE campaign_id = ${campaignId} ORDER BY id FOR UPDATE`,
    )
    const without = await rows<{ id: number }>(
      tx,
      sql`SELECT m.id FROM members m
          WHERE m.union_id IN (SELECT id FROM ${subtreeOf(c.union_id)} down) AND 'member' = ANY(m.roles)
            AND NOT EXISTS (SELECT 1 FROM cooling_packs p
                            WHERE p.campaign_id = ${campaignId} AND p.member_id = m.id)
          ORDER BY m.id`,
    )
    const defaultPack = items
      .filter((i) => i.default_quantity > 0)
      .map((i) => ({ itemId: i.id, quantity: i.default_quantity }))
    const allocation = allocateDefaultPacks(
      without.map((m) => m.id),
      defaultPack,
      new Map(items.map((i) => [i.id, i.stock_left])),
    )
    if (allocation.covered.length > 0) {
      const used = quotaUsed(
        items.map((i) => ({ id: i.id, quotaCost: i.quota_cost })),
        defaultPack,
      )
      const packs = await rows<{ id: number }>(
        tx,
        sql`INSERT INTO cooling_packs (campaign_id, member_id, quota_used, quota_limit,
                                       delivery_kind, is_default, created_at, updated_at)
            SELECT ${campaignId}, m.id, ${used}, c.quota, 'pickup', true, ${now}, ${now}
            FROM unnest(${sql.param(allocation.covered)}::int[]) AS m(id)
            JOIN cooling_campaigns c ON c.id = ${campaignId}
            ON CONFLICT (campaign_id, member_id) DO NOTHING
            RETURNING id`,
      )
      if (packs.length !== allocation.covered.length) {
        throw new Error(`campaign ${campaignId}: a member got a pack while it was being closed`)
      }
      await tx.execute(
        sql`INSERT INTO cooling_pack_items (pack_id, item_id, quantity)
            SELECT p.id, d.item_id, d.quantity
            FROM unnest(${sql.param(packs.map((p) => p.id))}::int[]) AS p(id)
            CROSS JOIN unnest(${sql.param(defaultPack.map((l) => l.itemId))}::int[],
                              ${sql.param(defaultPack.map((l) => l.quantity))}::int[])
                 AS d(item_id, quantity)`,
      )
      const taken = await rows<{ id: number }>(
        tx,
        sql`UPDATE cooling_items i SET stock_left = i.stock_left - t.quantity
            FROM unnest(${sql.param(allocation.taken.map((t) => t.itemId))}::int[],
                        ${sql.param(allocation.taken.map((t) => t.quantity))}::int[])
                 AS t(id, quantity)
            WHERE i.id = t.id AND i.stock_left >= t.quantity
            RETURNING i.id`,
      )
      if (taken.length !== allocation.taken.length) {
        throw new Error(`campaign ${campaignId}: stock changed while it was being closed`)
      }
    }
    const notCoveredMembers = await rows<{
      id: number
      member_no: string
      name: string
      union_name: string
    }>(
      tx,
      sql`SELECT m.id, m.member_no, m.name, u.name AS union_name
          FROM members m JOIN unions u ON u.id = m.union_id
          WHERE m.id = ANY(${sql.param(allocation.notCovered.slice(0, NOT_COVERED_LISTED))}::int[])
          ORDER BY m.id`,
    )
    const response: CloseCampaignResponse = {
      defaultPacksCreated: allocation.covered.length,
      notCovered: allocation.notCovered.length,
      notCoveredMembers: notCoveredMembers.map((m) => ({
        memberId: m.id,
        memberNo: m.member_no,
        name: m.name,
        unionName: m.union_name,
      })),
      closedAt: iso(c.closed_at ?? now),
      alreadyClosed,
    }
    if (actorId !== null) {
      await audit(tx, {
        actorId,
        action: 'cooling_campaign.close',
        entity: 'cooling_campaign',
        entityId: campaignId,
        before: { closedAt: c.closed_at === null ? null : iso(c.closed_at) },
        after: {
          closedAt: response.closedAt,
          defaultPacksCreated: response.defaultPacksCreated,
          notCovered: response.notCovered,
        },
      })
    }
    return response
  })
}

/**
 * Closes every campaign whose closing time has passed and that nobody closed yet (the job's
 * part): default packs appear without waiting for staff. Each campaign in its own transaction;
 * a concurrent close by staff or another process finds it closed and creates nothing twice.
 */
export async function closeDueCampaigns(db: Db, now: Date): Promise<number> {
  const due = await rows<{ id: number }>(
    db,
    sql`SELECT id FROM cooling_campaigns WHERE closed_at IS NULL AND closes_at <= ${now}
        ORDER BY closes_at, id`,
  )
  for (const c of due) await closeCampaign(db, { campaignId: c.id, actorId: null, now })
  return due.length
}
