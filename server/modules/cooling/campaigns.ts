import { sql, type SQL } from 'drizzle-orm'
import type {
  CloseCampaignResponse,
  CoolingCampaign,
  CreateCampaignBody,
  StaffCoolingCampaign,
} from '../../../src/contract/cooling'
import type { Db, Tx } from '../../db/client'
import { first, rows } from '../../db/sql'
import { audit } from '../../lib/audit'
import { AppError } from '../../lib/errors'
import type { Caller } from '../../lib/route'
import { assertMayActOnUnion } from '../org/union-tree'
import { lockCampaign } from './locks'
import { allocateDefaultPacks, campaignStatus, checkPack, problemCode } from './rules'

type When = Date | string
const date = (d: When) => new Date(d)
const iso = (d: When) => new Date(d).toISOString()

interface CampaignRow {
  id: number
  union_id: number
  union_name: string
  title: string
  opens_at: When
  closes_at: When
  quota: number
  max_items: number | null
  closed_at: When | null
  items: Array<{
    id: number
    name: string
    imageUrl: string | null
    quotaCost: number
    maxPerPack: number
    stock: number
    stockLeft: number
    defaultQuantity: number
  }>
}

const selectCampaigns = sql`
  SELECT c.id, c.union_id, un.name AS union_name, c.title, c.opens_at, c.closes_at, c.quota,
         c.max_items, c.closed_at,
         coalesce((SELECT json_agg(json_build_object(
                     'id', i.id, 'name', i.name, 'imageUrl', i.image_url, 'quotaCost', i.quota_cost,
                     'maxPerPack', i.max_per_pack, 'stock', i.stock, 'stockLeft', i.stock_left,
                     'defaultQuantity', i.default_quantity) ORDER BY i.position)
                   FROM cooling_items i WHERE i.campaign_id = c.id), '[]'::json) AS items
  FROM cooling_campaigns c JOIN unions un ON un.id = c.union_id`

function campaignBase(r: CampaignRow, now: Date) {
  const closedAt = r.closed_at === null ? null : date(r.closed_at)
  return {
    id: r.id,
    unionId: r.union_id,
    unionName: r.union_name,
    title: r.title,
    opensAt: iso(r.opens_at),
    closesAt: iso(r.closes_at),
    quota: r.quota,
    maxItems: r.max_items,
    status: campaignStatus(
      { opensAt: date(r.opens_at), closesAt: date(r.closes_at), closedAt },
      now,
    ),
    closedAt: closedAt?.toISOString() ?? null,
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
  const list = await rows<CampaignRow & { pack_status: CoolingCampaign['packStatus'] }>(
    tx,
    sql`WITH RECURSIVE up(id, parent_id, depth) AS (
          SELECT id, parent_id, 0 FROM unions WHERE id = ${member.unionId}
          UNION ALL
          SELECT u.id, u.parent_id, up.depth + 1 FROM unions u JOIN up ON u.id = up.parent_id
          WHERE up.depth < 64
        ), campaigns AS (${selectCampaigns})
        SELECT campaigns.*, p.status AS pack_status
        FROM campaigns JOIN up ON up.id = campaigns.union_id
        LEFT JOIN cooling_packs p ON p.campaign_id = campaigns.id AND p.member_id = ${member.id}
        ORDER BY campaigns.closes_at DESC, campaigns.id DESC
        LIMIT 50`,
  )
  return list
    .map((r) => ({
      ...campaignBase(r, now),
      items: r.items.map(({ stock: _stock, ...item }) => item),
      packStatus: r.pack_status ?? null,
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
  const list = await rows<
    CampaignRow & {
      members: number
      chosen: number
      defaulted: number
      shipped: number
      received: number
    }
  >(
    tx,
    sql`WITH RECURSIVE tree(ancestor, id, depth) AS (
          SELECT id, id, 0 FROM unions
          UNION ALL
          SELECT tree.ancestor, u.id, tree.depth + 1 FROM unions u JOIN tree ON u.parent_id = tree.id
          WHERE tree.depth < 64
        ), campaigns AS (${selectCampaigns}),
        packs AS (
          SELECT campaign_id,
                 count(*) FILTER (WHERE NOT is_default)::int AS chosen,
                 count(*) FILTER (WHERE is_default)::int AS defaulted,
                 count(*) FILTER (WHERE status IN ('shipped', 'received'))::int AS shipped,
                 count(*) FILTER (WHERE status = 'received')::int AS received
          FROM cooling_packs GROUP BY campaign_id
        )
        SELECT campaigns.*,
               (SELECT count(*)::int FROM tree JOIN members m ON m.union_id = tree.id
                WHERE tree.ancestor = campaigns.union_id AND 'member' = ANY(m.roles)) AS members,
               coalesce(packs.chosen, 0) AS chosen, coalesce(packs.defaulted, 0) AS defaulted,
               coalesce(packs.shipped, 0) AS shipped, coalesce(packs.received, 0) AS received
        FROM campaigns LEFT JOIN packs ON packs.campaign_id = campaigns.id
        WHERE ${where}
        ORDER BY campaigns.closes_at DESC, campaigns.id DESC`,
  )
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
  return staffCampaignRows(tx, sql`campaigns.union_id = ANY(${sql.param(unionIds)}::int[])`, now)
}

export async function staffCampaign(tx: Tx, id: number, now: Date): Promise<StaffCoolingCampaign> {
  const [c] = await staffCampaignRows(tx, sql`campaigns.id = ${id}`, now)
  if (!c) throw new Error(`campaign ${id} vanished`)
  return c
}

export interface CampaignHead {
  id: number
  union_id: number
  title: string
  opens_at: When
  closes_at: When
  closed_at: When | null
  quota: number
  max_items: number | null
}

/**
 * The campaign a staff member names: 404 when there is none, 403 unless it belongs to their
 * union's subtree (admins: any).
 */
export async function campaignForStaff(tx: Tx, caller: Caller, id: number): Promise<CampaignHead> {
  const c = await first<CampaignHead>(
    tx,
    sql`SELECT id, union_id, title, opens_at, closes_at, closed_at, quota, max_items
        FROM cooling_campaigns WHERE id = ${id}`,
  )
  if (!c) throw new AppError('NOT_FOUND', 404, '活动不存在')
  await assertMayActOnUnion(tx, caller, c.union_id)
  return c
}

/** Whether packs may be shipped: staff closed the campaign or its closing time has passed. */
export function isClosed(c: CampaignHead, now: Date): boolean {
  return c.closed_at !== null || now >= date(c.closes_at)
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
  const union = await first<{ id: number }>(
    tx,
    sql`SELECT id FROM unions WHERE id = ${body.unionId}`,
  )
  if (!union) throw new AppError('UNION_NOT_FOUND', 404)
  await assertMayActOnUnion(tx, caller, body.unionId)
  if (Date.parse(body.closesAt) <= now.getTime()) {
    throw new AppError('BAD_REQUEST', 400, '截止时间已过，请重新选择')
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
    throw new AppError(code, code === 'BAD_REQUEST' ? 400 : 422, `默认礼包：${check.message}`)
  }
  const created = await first<{ id: number }>(
    tx,
    sql`INSERT INTO cooling_campaigns (union_id, title, opens_at, closes_at, quota, max_items, created_by)
        VALUES (${body.unionId}, ${body.title}, ${body.opensAt}::timestamptz,
                ${body.closesAt}::timestamptz, ${body.quota}, ${body.maxItems ?? null}, ${caller.id})
        RETURNING id`,
  )
  if (!created) throw new AppError('INTERNAL', 500)
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
    if (!c) throw new AppError('NOT_FOUND', 404, '活动不存在')
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
      sql`WITH RECURSIVE down(id, depth) AS (
            SELECT id, 0 FROM unions WHERE id = ${c.union_id}
            UNION ALL
            SELECT u.id, down.depth + 1 FROM unions u JOIN down ON u.parent_id = down.id
            WHERE down.depth < 64
          )
          SELECT m.id FROM members m
          WHERE m.union_id IN (SELECT id FROM down) AND 'member' = ANY(m.roles)
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
      const quotaUsed = items.reduce((n, i) => n + i.quota_cost * i.default_quantity, 0)
      const packs = await rows<{ id: number }>(
        tx,
        sql`INSERT INTO cooling_packs (campaign_id, member_id, quota_used, delivery_kind, is_default,
                                       created_at, updated_at)
            SELECT ${campaignId}, m.id, ${quotaUsed}, 'pickup', true, ${now}, ${now}
            FROM unnest(${sql.param(allocation.covered)}::int[]) AS m(id)
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
