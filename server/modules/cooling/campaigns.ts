import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm'
import type {
  CoolingCampaign,
  CreateCampaignBody,
  StaffCoolingCampaign,
} from '../../../src/contract/cooling'
import type { Tx } from '../../db/client'
import { coolingCampaigns, coolingPacks, unions } from '../../db/schema'
import { first, rows } from '../../db/sql'
import { audit } from '../../lib/audit'
import { AppError } from '../../lib/errors'
import type { Caller } from '../../lib/route'
import { ancestorsOf, assertMayActOnUnion } from '../org/union-tree'
import { checkPack, problemCode } from '../../../src/contract/cooling-pack'
import { campaignStatus } from './rules'

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
 * subtree holding the `member` role. What it costs follows what it shows: the figures come from
 * the counts the database maintains (migration 0013: `cooling_pack_counts`, 16 shards per
 * campaign, and `union_member_counts`, one row per union), summed over the listed campaigns and
 * their unions' subtrees — not a count over packs or members.
 */
async function staffCampaignRows(tx: Tx, where: SQL, now: Date): Promise<StaffCoolingCampaign[]> {
  const list = await tx
    .select(campaignColumns)
    .from(coolingCampaigns)
    .innerJoin(unions, eq(unions.id, coolingCampaigns.unionId))
    .where(where)
    .orderBy(desc(coolingCampaigns.closesAt), desc(coolingCampaigns.id))
  if (list.length === 0) return []
  const ids = list.map((r) => r.campaign.id)
  const roots = [...new Set(list.map((r) => r.campaign.unionId))]
  const packs = await rows<{
    campaign_id: number
    chosen: number
    defaulted: number
    shipped: number
    received: number
  }>(
    tx,
    sql`SELECT campaign_id, sum(chosen)::int AS chosen, sum(defaulted)::int AS defaulted,
               sum(shipped)::int AS shipped, sum(received)::int AS received
        FROM cooling_pack_counts WHERE campaign_id = ANY(${sql.param(ids)}::int[])
        GROUP BY campaign_id`,
  )
  const members = await rows<{ root: number; n: number }>(
    tx,
    sql`WITH RECURSIVE tree(root, id, depth) AS (
          SELECT id, id, 0 FROM unions WHERE id = ANY(${sql.param(roots)}::int[])
          UNION ALL
          SELECT tree.root, u.id, tree.depth + 1 FROM unions u JOIN tree ON u.parent_id = tree.id
          WHERE tree.depth < 64
        )
        SELECT tree.root, coalesce(sum(c.role_members), 0)::int AS n
        FROM (SELECT DISTINCT root, id FROM tree) tree
        JOIN union_member_counts c ON c.union_id = tree.id
        GROUP BY tree.root`,
  )
  const packsOf = new Map(packs.map((p) => [p.campaign_id, p]))
  const membersOf = new Map(members.map((m) => [m.root, m.n]))
  return list.map((r) => {
    const p = packsOf.get(r.campaign.id)
    const memberCount = membersOf.get(r.campaign.unionId) ?? 0
    const chosen = p?.chosen ?? 0
    const defaulted = p?.defaulted ?? 0
    const c = r.campaign
    return {
      ...campaignBase(r, now),
      items: r.items,
      counts: {
        members: memberCount,
        chosen,
        default: defaulted,
        notChosen: Math.max(0, memberCount - chosen - defaulted),
        shipped: p?.shipped ?? 0,
        received: p?.received ?? 0,
      },
      close: {
        status:
          c.closedAt === null
            ? ('none' as const)
            : c.closeDoneAt === null
              ? ('running' as const)
              : ('done' as const),
        total: c.closeTotal,
        done: c.closeCreated + c.closeNotCovered,
      },
    }
  })
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

// Closing (in batches, resumable) lives in ./close; these are its entry points.
export { closeCampaign, closeCampaignStep, closeDueCampaigns, dueCampaignIds } from './close'
