import { sql } from 'drizzle-orm'
import type {
  ItemQuantity,
  PackingGroup,
  PackingListResponse,
  PackStatus,
} from '../../../src/contract/cooling'
import type { Tx } from '../../db/client'
import { rows } from '../../db/sql'
import { toCsv } from './csv'

type When = Date | string

/** What the pickup group is called on the list. */
export const PICKUP_GROUP = '到工会自取'

const statusLabel: Record<PackStatus, string> = {
  submitted: '待发货',
  shipped: '已发货',
  received: '已签收',
}

// Hand-tuned SQL: the packing list aggregates every pack of a campaign in one query.
interface ListRow {
  pack_id: number
  member_id: number
  member_no: string
  member_name: string
  union_name: string
  delivery_kind: 'pickup' | 'site'
  site_id: number | null
  site_name: string | null
  site_address: string | null
  site_union_name: string | null
  recipient: string | null
  phone: string | null
  status: PackStatus
  is_default: boolean
  items: Array<{ itemId: number; quantity: number }>
}

/**
 * The packing list of a campaign: one group per site (by union, in the order the sites were added), then the
 * pickup group; in each, the item totals and every pack (by member number) with its recipient.
 */
export async function packingList(
  tx: Tx,
  campaign: { id: number; title: string; unionName: string; closed_at: When | null },
  now: Date,
  closesAt: Date,
): Promise<PackingListResponse> {
  const items = await rows<{ id: number; name: string }>(
    tx,
    sql`SELECT id, name FROM cooling_items WHERE campaign_id = ${campaign.id} ORDER BY position`,
  )
  const list = await rows<ListRow>(
    tx,
    sql`SELECT p.id AS pack_id, m.id AS member_id, m.member_no, m.name AS member_name,
               mu.name AS union_name, p.delivery_kind, p.site_id, s.name AS site_name,
               s.address AS site_address, su.name AS site_union_name, p.recipient, p.phone,
               p.status, p.is_default,
               coalesce((SELECT json_agg(json_build_object('itemId', pi.item_id,
                                                           'quantity', pi.quantity))
                         FROM cooling_pack_items pi WHERE pi.pack_id = p.id), '[]'::json) AS items
        FROM cooling_packs p
        JOIN members m ON m.id = p.member_id
        JOIN unions mu ON mu.id = m.union_id
        LEFT JOIN cooling_sites s ON s.id = p.site_id
        LEFT JOIN unions su ON su.id = s.union_id
        WHERE p.campaign_id = ${campaign.id}
        ORDER BY (p.site_id IS NULL), s.union_id, s.id, m.member_no`,
  )
  const names = new Map(items.map((i) => [i.id, i.name]))
  const quantities = (lines: Array<{ itemId: number; quantity: number }>): ItemQuantity[] => {
    const by = new Map(lines.map((l) => [l.itemId, l.quantity]))
    return items
      .filter((i) => by.has(i.id))
      .map((i) => ({ itemId: i.id, name: i.name, quantity: by.get(i.id) ?? 0 }))
  }
  const sum = (lines: Array<{ itemId: number; quantity: number }>) => {
    const total = new Map<number, number>()
    for (const l of lines) total.set(l.itemId, (total.get(l.itemId) ?? 0) + l.quantity)
    return items
      .filter((i) => total.has(i.id))
      .map((i) => ({ itemId: i.id, name: names.get(i.id) ?? '', quantity: total.get(i.id) ?? 0 }))
  }

  const groups: PackingGroup[] = []
  const groupOf = new Map<string, PackingGroup>()
  for (const r of list) {
    const key = r.site_id === null ? 'pickup' : `site:${r.site_id}`
    let group = groupOf.get(key)
    if (!group) {
      group =
        r.site_id === null
          ? {
              kind: 'pickup',
              siteId: null,
              name: PICKUP_GROUP,
              address: null,
              unionName: null,
              totals: [],
              packs: [],
            }
          : {
              kind: 'site',
              siteId: r.site_id,
              name: r.site_name ?? '',
              address: r.site_address,
              unionName: r.site_union_name,
              totals: [],
              packs: [],
            }
      groupOf.set(key, group)
      groups.push(group)
    }
    group.packs.push({
      packId: r.pack_id,
      memberId: r.member_id,
      memberNo: r.member_no,
      memberName: r.member_name,
      unionName: r.union_name,
      recipient: r.recipient ?? r.member_name,
      phone: r.phone,
      status: r.status,
      isDefault: r.is_default,
      items: quantities(r.items),
    })
  }
  for (const g of groups) g.totals = sum(g.packs.flatMap((p) => p.items))
  return {
    campaign: {
      id: campaign.id,
      title: campaign.title,
      unionName: campaign.unionName,
      final: campaign.closed_at !== null || now >= closesAt,
    },
    items,
    groups,
    totals: sum(groups.flatMap((g) => g.packs.flatMap((p) => p.items))),
    packCount: list.length,
  }
}

/**
 * The packing list as a spreadsheet: one row per pack with a column per item, a subtotal row
 * after each destination and a grand total at the end.
 */
export function packingListCsv(list: PackingListResponse): string {
  const items = list.items
  const header = [
    '收货地点',
    '地址',
    '会员号',
    '会员姓名',
    '所在工会',
    '收件人',
    '联系电话',
    '状态',
    '默认礼包',
    ...items.map((i) => i.name),
    '件数',
  ]
  const cells = (lines: ItemQuantity[]) => {
    const by = new Map(lines.map((l) => [l.itemId, l.quantity]))
    const row = items.map((i) => by.get(i.id) ?? '')
    return [...row, lines.reduce((n, l) => n + l.quantity, 0)]
  }
  const out: Array<Array<string | number | null>> = [header]
  for (const g of list.groups) {
    for (const p of g.packs) {
      out.push([
        g.name,
        g.address,
        p.memberNo,
        p.memberName,
        p.unionName,
        p.recipient,
        p.phone,
        statusLabel[p.status],
        p.isDefault ? '是' : '否',
        ...cells(p.items),
      ])
    }
    out.push([
      g.name,
      g.address,
      '',
      `小计（${g.packs.length} 份）`,
      '',
      '',
      '',
      '',
      '',
      ...cells(g.totals),
    ])
  }
  out.push(['合计', '', '', `共 ${list.packCount} 份`, '', '', '', '', '', ...cells(list.totals)])
  return toCsv(out)
}
