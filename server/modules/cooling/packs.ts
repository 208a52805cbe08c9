import { sql, type SQL } from 'drizzle-orm'
import type { CoolingPack, DeliveryInput, PackStatus } from '../../../src/contract/cooling'
import type { Tx } from '../../db/client'
import { first, rows } from '../../db/sql'
import { AppError } from '../../lib/errors'
import { shanghaiDateTime } from '../../lib/time'
import { ancestorIds } from '../org/union-tree'
import { lockCampaign } from './locks'
import { checkPack, problemCode, type PackLineInput } from '../../../src/contract/cooling-pack'
import { campaignStatus, stockDeltas } from './rules'
import { notifyPacksShipped } from '../notifications/outbox'

type When = Date | string
const iso = (d: When) => new Date(d).toISOString()

// Hand-tuned SQL: pack saves race for stock (conditional updates under the campaign lock).
interface PackRow {
  id: number
  campaign_id: number
  member_id: number
  quota_used: number
  delivery_kind: 'pickup' | 'site'
  site_id: number | null
  site_name: string | null
  site_address: string | null
  recipient: string | null
  phone: string | null
  status: PackStatus
  is_default: boolean
  created_at: When
  updated_at: When
  shipped_at: When | null
  received_at: When | null
  /** Staff who last saved the pack for the member (代办), or null. */
  acted_by: number | null
  items: CoolingPack['items']
}

const selectPacks = sql`
  SELECT p.id, p.campaign_id, p.member_id, p.quota_used, p.delivery_kind, p.site_id,
         coalesce(p.shipped_site_name, s.name) AS site_name,
         coalesce(p.shipped_address, s.address) AS site_address, p.recipient, p.phone, p.status,
         p.is_default, p.created_at, p.updated_at, p.shipped_at, p.received_at, p.acted_by,
         coalesce((SELECT json_agg(json_build_object('itemId', i.id, 'name', i.name,
                                                     'quotaCost', i.quota_cost,
                                                     'quantity', pi.quantity) ORDER BY i.position)
                   FROM cooling_pack_items pi JOIN cooling_items i ON i.id = pi.item_id
                   WHERE pi.pack_id = p.id), '[]'::json) AS items
  FROM cooling_packs p LEFT JOIN cooling_sites s ON s.id = p.site_id`

function packView(r: PackRow): CoolingPack {
  return {
    id: r.id,
    campaignId: r.campaign_id,
    items: r.items,
    quotaUsed: r.quota_used,
    delivery:
      r.delivery_kind === 'site'
        ? {
            kind: 'site',
            siteId: r.site_id ?? 0,
            siteName: r.site_name ?? '',
            address: r.site_address ?? '',
            recipient: r.recipient ?? '',
            phone: r.phone ?? '',
          }
        : { kind: 'pickup' },
    status: r.status,
    isDefault: r.is_default,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    shippedAt: r.shipped_at === null ? null : iso(r.shipped_at),
    receivedAt: r.received_at === null ? null : iso(r.received_at),
    ...(r.acted_by !== null ? { actedByStaff: true } : {}),
  }
}

async function findPack(
  tx: Tx,
  where: SQL,
): Promise<(CoolingPack & { memberId: number }) | undefined> {
  const row = await first<PackRow>(tx, sql`${selectPacks} WHERE ${where}`)
  return row && { ...packView(row), memberId: row.member_id }
}

export function findPackById(tx: Tx, id: number) {
  return findPack(tx, sql`p.id = ${id}`)
}

interface MemberCampaign {
  id: number
  union_id: number
  opens_at: When
  closes_at: When
  closed_at: When | null
  quota: number
  max_items: number | null
}

/**
 * The campaign if the member is offered it (it belongs to their union or an ancestor);
 * otherwise 404, as if it did not exist.
 */
async function campaignForMember(
  tx: Tx,
  member: { unionId: number },
  campaignId: number,
): Promise<MemberCampaign> {
  const c = await first<MemberCampaign>(
    tx,
    sql`SELECT id, union_id, opens_at, closes_at, closed_at, quota, max_items
        FROM cooling_campaigns WHERE id = ${campaignId}`,
  )
  if (!c || !(await ancestorIds(tx, member.unionId)).includes(c.union_id)) {
    throw new AppError('NOT_FOUND', '活动不存在')
  }
  return c
}

/** The member's pack of a campaign they are offered, or null. */
export async function memberPack(
  tx: Tx,
  member: { id: number; unionId: number },
  campaignId: number,
): Promise<CoolingPack | null> {
  await campaignForMember(tx, member, campaignId)
  const pack = await findPack(tx, sql`p.campaign_id = ${campaignId} AND p.member_id = ${member.id}`)
  if (!pack) return null
  const { memberId: _memberId, ...view } = pack
  return view
}

export interface SavePackRequest {
  campaignId: number
  member: { id: number; unionId: number }
  items: PackLineInput[]
  delivery: DeliveryInput
  now: Date
  /** Union staff saving the pack for the member (代办); absent when the member saves it. */
  actedBy?: number
}

/**
 * Submits or changes a member's pack, inside the caller's transaction (all or nothing: a
 * failed change leaves the old pack and its stock as they were). Locks, always in this order:
 *
 * 1. the campaign's advisory lock, shared (`lockCampaign`) — edits run side by side, but a close
 *    (exclusive) waits for those in flight, and every edit after it reads the campaign closed;
 * 2. the member's pack row: `INSERT … ON CONFLICT DO NOTHING` claims it (a concurrent first
 *    submit of the same member waits on the unique key), else `SELECT … FOR UPDATE` — so one
 *    member's edits queue up and each reads the pack the previous one left;
 * 3. the items whose reserved quantity changes, in id order (no deadlocks between members),
 *    then one conditional `UPDATE … SET stock_left = stock_left − Δ WHERE stock_left >= Δ`;
 *    a row missing from its RETURNING is an item out of stock. `CHECK (stock_left >= 0)` is
 *    the backstop.
 */
export async function savePack(tx: Tx, req: SavePackRequest): Promise<CoolingPack> {
  const { campaignId, member, now } = req
  await lockCampaign(tx, campaignId, 'shared')
  const c = await campaignForMember(tx, member, campaignId)
  const closesAt = new Date(c.closes_at)
  const closedAt = c.closed_at === null ? null : new Date(c.closed_at)
  const status = campaignStatus({ opensAt: new Date(c.opens_at), closesAt, closedAt }, now)
  if (status === 'closed') {
    const at = closedAt && closedAt < closesAt ? closedAt : closesAt
    throw new AppError('CAMPAIGN_CLOSED', `活动已于 ${shanghaiDateTime(at)} 截止，不能再提交或修改`)
  }
  if (status === 'upcoming') {
    throw new AppError(
      'CAMPAIGN_NOT_OPEN',
      `活动将于 ${shanghaiDateTime(new Date(c.opens_at))} 开始，届时再来选择`,
    )
  }

  const items = await rows<{ id: number; name: string; quota_cost: number; max_per_pack: number }>(
    tx,
    sql`SELECT id, name, quota_cost, max_per_pack FROM cooling_items
        WHERE campaign_id = ${campaignId} ORDER BY position`,
  )
  const check = checkPack(
    {
      quota: c.quota,
      maxItems: c.max_items,
      items: items.map((i) => ({
        id: i.id,
        name: i.name,
        quotaCost: i.quota_cost,
        maxPerPack: i.max_per_pack,
      })),
    },
    req.items,
  )
  if (!check.ok) {
    const code = problemCode(check.problem)
    throw new AppError(code, check.message)
  }

  const d = req.delivery
  if (d.kind === 'site') {
    const site = await first<{ id: number }>(
      tx,
      sql`SELECT id FROM cooling_sites WHERE id = ${d.siteId} AND union_id = ${member.unionId}`,
    )
    if (!site) throw new AppError('UNKNOWN_SITE')
  }

  let packId: number
  let before: PackLineInput[] = []
  const claimed = await first<{ id: number }>(
    tx,
    sql`INSERT INTO cooling_packs (campaign_id, member_id, quota_used, quota_limit, delivery_kind,
                                   created_at, updated_at)
        VALUES (${campaignId}, ${member.id}, 0, ${c.quota}, 'pickup', ${now}, ${now})
        ON CONFLICT (campaign_id, member_id) DO NOTHING RETURNING id`,
  )
  if (claimed) {
    packId = claimed.id
  } else {
    const held = await first<{ id: number; status: PackStatus }>(
      tx,
      sql`SELECT id, status FROM cooling_packs
          WHERE campaign_id = ${campaignId} AND member_id = ${member.id} FOR UPDATE`,
    )
    if (!held) throw new AppError('INTERNAL')
    if (held.status !== 'submitted') {
      throw new AppError('CAMPAIGN_CLOSED', '礼包已发货，不能再修改')
    }
    packId = held.id
    before = (
      await rows<{ item_id: number; quantity: number }>(
        tx,
        sql`SELECT item_id, quantity FROM cooling_pack_items WHERE pack_id = ${packId}`,
      )
    ).map((l) => ({ itemId: l.item_id, quantity: l.quantity }))
  }

  const deltas = stockDeltas(before, check.lines)
  if (deltas.length > 0) {
    const ids = deltas.map((x) => x.itemId)
    await tx.execute(
      sql`SELECT id FROM cooling_items WHERE id = ANY(${sql.param(ids)}::int[]) ORDER BY id FOR UPDATE`,
    )
    const moved = await rows<{ id: number }>(
      tx,
      sql`UPDATE cooling_items i SET stock_left = i.stock_left - d.delta
          FROM unnest(${sql.param(ids)}::int[], ${sql.param(deltas.map((x) => x.delta))}::int[])
               AS d(id, delta)
          WHERE i.id = d.id AND i.campaign_id = ${campaignId} AND i.stock_left >= d.delta
          RETURNING i.id`,
    )
    if (moved.length !== deltas.length) {
      const got = new Set(moved.map((m) => m.id))
      const short = deltas.find((x) => !got.has(x.itemId))
      throw await outOfStock(tx, short?.itemId ?? ids[0], before)
    }
  }

  if (deltas.length > 0) {
    await tx.execute(sql`DELETE FROM cooling_pack_items WHERE pack_id = ${packId}`)
    await tx.execute(
      sql`INSERT INTO cooling_pack_items (pack_id, item_id, quantity)
          SELECT ${packId}, l.item_id, l.quantity
          FROM unnest(${sql.param(check.lines.map((l) => l.itemId))}::int[],
                      ${sql.param(check.lines.map((l) => l.quantity))}::int[]) AS l(item_id, quantity)`,
    )
  }
  await tx.execute(
    sql`UPDATE cooling_packs
        SET quota_used = ${check.quotaUsed}, delivery_kind = ${d.kind},
            site_id = ${d.kind === 'site' ? d.siteId : null},
            recipient = ${d.kind === 'site' ? d.recipient : null},
            phone = ${d.kind === 'site' ? d.phone : null}, is_default = false, updated_at = ${now},
            acted_by = ${req.actedBy ?? null}
        WHERE id = ${packId}`,
  )
  const pack = await findPackById(tx, packId)
  if (!pack) throw new AppError('INTERNAL')
  const { memberId: _memberId, ...view } = pack
  return view
}

/** 409 `OUT_OF_STOCK` naming the item and how many the member could still have of it. */
async function outOfStock(tx: Tx, itemId: number, before: PackLineInput[]): Promise<AppError> {
  const item = await first<{ name: string; stock_left: number }>(
    tx,
    sql`SELECT name, stock_left FROM cooling_items WHERE id = ${itemId}`,
  )
  const held = before.find((l) => l.itemId === itemId)?.quantity ?? 0
  const available = (item?.stock_left ?? 0) + held
  return new AppError(
    'OUT_OF_STOCK',
    available <= 0
      ? `「${item?.name ?? '该物品'}」已被选完，请换一种`
      : `「${item?.name ?? '该物品'}」库存不足，最多还能选 ${available} 件`,
  )
}

/**
 * The owner confirms receipt: shipped → received, as one conditional update (a double tap or a
 * second device cannot move it twice). Someone else's pack answers 404.
 */
export async function receivePack(
  tx: Tx,
  memberId: number,
  packId: number,
  now: Date,
): Promise<CoolingPack> {
  const done = await first<{ id: number }>(
    tx,
    sql`UPDATE cooling_packs SET status = 'received', received_at = ${now}
        WHERE id = ${packId} AND member_id = ${memberId} AND status = 'shipped' RETURNING id`,
  )
  const pack = await findPackById(tx, packId)
  if (!pack || pack.memberId !== memberId) throw new AppError('NOT_FOUND', '礼包不存在')
  if (!done) {
    if (pack.status === 'received') throw new AppError('PACK_ALREADY_RECEIVED')
    throw new AppError('PACK_NOT_SHIPPED')
  }
  const { memberId: _memberId, ...view } = pack
  return view
}

/**
 * Marks packs shipped — submitted → shipped only, one conditional update — and returns the
 * ids that moved. `where` narrows the packs (one pack, or one destination of a campaign).
 */
export async function shipPacks(tx: Tx, where: SQL, actorId: number, now: Date): Promise<number[]> {
  const moved = await rows<{ id: number }>(
    tx,
    // The site's name and address go with the pack: a later edit of the site leaves them.
    sql`UPDATE cooling_packs p SET status = 'shipped', shipped_at = ${now}, shipped_by = ${actorId},
          shipped_site_name = (SELECT s.name FROM cooling_sites s WHERE s.id = p.site_id),
          shipped_address = (SELECT s.address FROM cooling_sites s WHERE s.id = p.site_id),
          shipped_recipient = (SELECT s.recipient FROM cooling_sites s WHERE s.id = p.site_id)
        WHERE p.status = 'submitted' AND ${where} RETURNING p.id`,
  )
  const ids = moved.map((m) => m.id).sort((a, b) => a - b)
  // The owners' subscribe messages, in this transaction.
  await notifyPacksShipped(tx, ids, now)
  return ids
}
