import type { Readable } from 'node:stream'
import { sql, type SQL } from 'drizzle-orm'
import type {
  ItemQuantity,
  PackingDestination,
  PackingGroup,
  PackingListResponse,
  PackingPack,
  PackStatus,
} from '../../../src/contract/cooling'
import type { Tx } from '../../db/client'
import { first, rows } from '../../db/sql'
import { AppError } from '../../lib/errors'
import { xlsxStream, type SheetRow } from '../../lib/xlsx'
import { csvLine, UTF8_BOM } from './csv'

type When = Date | string

/** What the pickup group is called on the list. */
export const PICKUP_GROUP = '到工会自取'
/** Packs per page of the JSON list when the request names no `limit`. */
export const PACKING_PAGE = 500
/** Packs per query while the CSV streams. */
const CSV_PAGE = 1000

const statusLabel: Record<PackStatus, string> = {
  submitted: '待发货',
  shipped: '已发货',
  received: '已签收',
}

/** A destination: a site id, or `pickup`. */
export type GroupKey = number | 'pickup'

/** The campaign as the packing list needs it. */
export interface PackingCampaign {
  id: number
  title: string
  unionName: string
  closedAt: When | null
  closeDoneAt: When | null
}

/** An item of the campaign: a column of the list. */
interface ListItem {
  id: number
  name: string
}

/** A destination with its sort key (the site's union, then the site; pickup last). */
interface Destination extends PackingDestination {
  key: GroupKey
  siteUnionId: number | null
}

/** Where a page starts: in group `group`, after member number `after` (null: from its start). */
export interface Position {
  group: GroupKey
  after: string | null
}

// The cursor is opaque to clients: base64url of `[group, memberNo]`.

export function encodeCursor(p: Position): string {
  return Buffer.from(JSON.stringify([p.group, p.after])).toString('base64url')
}

/** The position a cursor names; 400 when it is not one this server gave out. */
export function decodeCursor(cursor: string): Position {
  const bad = () => new AppError('BAD_REQUEST', '分页参数不正确，请从第一页重新加载')
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    throw bad()
  }
  if (!Array.isArray(value) || value.length !== 2) throw bad()
  const [group, after] = value as [unknown, unknown]
  const okGroup =
    group === 'pickup' ||
    (typeof group === 'number' && Number.isInteger(group) && group > 0 && group <= 2_147_483_647)
  const okAfter =
    after === null ||
    (typeof after === 'string' && after.length <= 100 && !after.includes('\u0000'))
  if (!okGroup || !okAfter) throw bad()
  return { group: group as GroupKey, after: after as string | null }
}

/** `final` of the list: the campaign is closed and its default packs are all handed out. */
export function isFinal(c: PackingCampaign): boolean {
  return c.closedAt !== null && c.closeDoneAt !== null
}

async function listItems(tx: Tx, campaignId: number): Promise<ListItem[]> {
  return rows<ListItem>(
    tx,
    sql`SELECT id, name FROM cooling_items WHERE campaign_id = ${campaignId} ORDER BY position`,
  )
}

/** Lines in the campaign's item order, with item names. */
function inItemOrder(items: ListItem[], lines: Map<number, number>): ItemQuantity[] {
  return items
    .filter((i) => lines.has(i.id))
    .map((i) => ({ itemId: i.id, name: i.name, quantity: lines.get(i.id) ?? 0 }))
}

/**
 * Every destination holding packs, in list order (sites by union, in the order they were added;
 * then pickup), with its pack count and item totals: two aggregates over the campaign's packs
 * (the lines by join and GROUP BY), whatever their number.
 */
async function destinations(tx: Tx, campaignId: number, items: ListItem[]): Promise<Destination[]> {
  const groups = await rows<{
    site_id: number | null
    n: number
    waiting: number
    name: string | null
    address: string | null
    recipient: string | null
    union_id: number | null
    union_name: string | null
  }>(
    tx,
    sql`SELECT g.site_id, g.n, g.waiting, s.name, s.address, s.recipient, s.union_id,
               su.name AS union_name
        FROM (SELECT site_id, count(*)::int AS n,
                     count(*) FILTER (WHERE status = 'submitted')::int AS waiting
              FROM cooling_packs
              WHERE campaign_id = ${campaignId} GROUP BY site_id) g
        LEFT JOIN cooling_sites s ON s.id = g.site_id
        LEFT JOIN unions su ON su.id = s.union_id
        ORDER BY (g.site_id IS NULL), s.union_id, s.id`,
  )
  const totals = await rows<{ site_id: number | null; item_id: number; q: number }>(
    tx,
    sql`SELECT p.site_id, pi.item_id, sum(pi.quantity)::int AS q
        FROM cooling_packs p JOIN cooling_pack_items pi ON pi.pack_id = p.id
        WHERE p.campaign_id = ${campaignId}
        GROUP BY p.site_id, pi.item_id`,
  )
  const bySite = new Map<number | null, Map<number, number>>()
  for (const t of totals) {
    let lines = bySite.get(t.site_id)
    if (!lines) bySite.set(t.site_id, (lines = new Map()))
    lines.set(t.item_id, t.q)
  }
  return groups.map((g) => ({
    key: g.site_id ?? 'pickup',
    siteUnionId: g.union_id,
    kind: g.site_id === null ? 'pickup' : 'site',
    siteId: g.site_id,
    name: g.site_id === null ? PICKUP_GROUP : (g.name ?? ''),
    address: g.address,
    recipient: g.recipient,
    unionName: g.union_name,
    totals: inItemOrder(items, bySite.get(g.site_id) ?? new Map()),
    packCount: g.n,
    waiting: g.waiting,
  }))
}

/** The packs of group `key` after member number `after`, by member number: at most `limit`. */
async function packPage(
  tx: Tx,
  campaignId: number,
  items: ListItem[],
  key: GroupKey,
  after: string | null,
  limit: number,
): Promise<PackingPack[]> {
  const site: SQL = key === 'pickup' ? sql`p.site_id IS NULL` : sql`p.site_id = ${key}`
  const from: SQL = after === null ? sql`` : sql`AND m.member_no > ${after}`
  const list = await rows<{
    pack_id: number
    member_id: number
    member_no: string
    member_name: string
    union_name: string
    recipient: string | null
    phone: string | null
    status: PackStatus
    is_default: boolean
    shipped_site_name: string | null
    shipped_address: string | null
    shipped_recipient: string | null
    item_ids: number[] | null
    quantities: number[] | null
  }>(
    tx,
    sql`WITH page AS (
          SELECT p.id AS pack_id, m.id AS member_id, m.member_no, m.name AS member_name,
                 mu.name AS union_name, p.recipient, p.phone, p.status, p.is_default,
                 p.shipped_site_name, p.shipped_address, p.shipped_recipient
          FROM cooling_packs p
          JOIN members m ON m.id = p.member_id
          JOIN unions mu ON mu.id = m.union_id
          WHERE p.campaign_id = ${campaignId} AND ${site} ${from}
          ORDER BY m.member_no LIMIT ${limit}
        ), lines AS (
          SELECT pi.pack_id, array_agg(pi.item_id ORDER BY pi.item_id) AS item_ids,
                 array_agg(pi.quantity ORDER BY pi.item_id) AS quantities
          FROM page JOIN cooling_pack_items pi ON pi.pack_id = page.pack_id
          GROUP BY pi.pack_id
        )
        SELECT page.*, lines.item_ids, lines.quantities
        FROM page LEFT JOIN lines ON lines.pack_id = page.pack_id
        ORDER BY page.member_no`,
  )
  return list.map((r) => {
    const lines = new Map<number, number>()
    const ids = r.item_ids ?? []
    const qs = r.quantities ?? []
    ids.forEach((id, n) => lines.set(Number(id), Number(qs[n])))
    return {
      packId: r.pack_id,
      memberId: r.member_id,
      memberNo: r.member_no,
      memberName: r.member_name,
      unionName: r.union_name,
      recipient: r.recipient ?? r.member_name,
      phone: r.phone,
      status: r.status,
      isDefault: r.is_default,
      items: inItemOrder(items, lines),
      // A shipped site pack went to the site as it was then (the snapshot of `shipPacks`).
      shippedTo:
        r.status !== 'submitted' && r.shipped_site_name !== null && r.shipped_address !== null
          ? {
              name: r.shipped_site_name,
              address: r.shipped_address,
              recipient: r.shipped_recipient,
            }
          : null,
    }
  })
}

/** The campaign's totals: the destinations' summed, in item order. */
function grandTotals(items: ListItem[], list: Destination[]): ItemQuantity[] {
  const sum = new Map<number, number>()
  for (const d of list) {
    for (const t of d.totals) sum.set(t.itemId, (sum.get(t.itemId) ?? 0) + t.quantity)
  }
  return inItemOrder(items, sum)
}

/** Where group `key` stands in list order among `list`, or where it would (a vanished group). */
async function startIndex(tx: Tx, list: Destination[], key: GroupKey): Promise<number> {
  const at = list.findIndex((d) => d.key === key)
  if (at >= 0 || key === 'pickup') return at >= 0 ? at : list.length
  // The group has no packs any more (members moved them): go on with the next one in order.
  const site = await first<{ union_id: number }>(
    tx,
    sql`SELECT union_id FROM cooling_sites WHERE id = ${key}`,
  )
  const after = (d: Destination) =>
    d.key === 'pickup' ||
    (site !== undefined &&
      (d.siteUnionId! > site.union_id ||
        (d.siteUnionId === site.union_id && (d.siteId ?? 0) > key)))
  const next = list.findIndex(after)
  return next >= 0 ? next : list.length
}

/**
 * One page of the packing list: the destinations (each with its pack count and totals), the
 * campaign's totals, and up to `limit` packs from the position of `cursor` on, in list order —
 * the groups they belong to, each with its totals. `site` keeps the page to one destination.
 * `next` is the cursor of the following page, null after the last.
 */
export async function packingList(
  tx: Tx,
  campaign: PackingCampaign,
  page: { site?: GroupKey; cursor?: string; limit?: number },
): Promise<PackingListResponse> {
  const limit = page.limit ?? PACKING_PAGE
  const position = page.cursor === undefined ? undefined : decodeCursor(page.cursor)
  if (position && page.site !== undefined && position.group !== page.site) {
    throw new AppError('BAD_REQUEST', '分页参数与收货地点不一致，请从第一页重新加载')
  }
  const items = await listItems(tx, campaign.id)
  const all = await destinations(tx, campaign.id, items)
  const start = position ?? (page.site !== undefined ? { group: page.site, after: null } : null)
  let index = start ? await startIndex(tx, all, start.group) : 0
  let after = start && index < all.length && all[index]!.key === start.group ? start.after : null
  const groups: PackingGroup[] = []
  let room = limit
  let next: string | null = null
  while (index < all.length && room > 0) {
    const d = all[index]!
    if (page.site !== undefined && d.key !== page.site) break
    const packs = await packPage(tx, campaign.id, items, d.key, after, room)
    if (packs.length > 0) {
      const { key: _key, siteUnionId: _union, packCount: _count, waiting: _waiting, ...head } = d
      groups.push({ ...head, packs })
    }
    room -= packs.length
    if (room === 0) {
      next = encodeCursor({ group: d.key, after: packs[packs.length - 1]!.memberNo })
      break
    }
    index++
    after = null
  }
  return {
    campaign: {
      id: campaign.id,
      title: campaign.title,
      unionName: campaign.unionName,
      final: isFinal(campaign),
    },
    items,
    destinations: all.map(({ key: _key, siteUnionId: _union, ...d }) => d),
    groups,
    totals: grandTotals(items, all),
    packCount: all.reduce((n, d) => n + d.packCount, 0),
    next,
  }
}

/** A page of packs of one destination, as the CSV reads them (pages of a group come together). */
export interface CsvPage {
  destination: { key: GroupKey; name: string; address: string | null; recipient: string | null }
  packs: PackingPack[]
}

/** The packing list's columns: the pack, then a column per item, then the count of items. */
function packingHeader(items: ReadonlyArray<ListItem>): string[] {
  return [
    '收货地点',
    '地址',
    '现场收货人',
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
}

/**
 * The packing list as sheet rows, a batch per page: the header (bold), one row per pack with a
 * column per item, a subtotal row (bold) after each destination and a grand total at the end.
 * Subtotals are summed from the rows written, so memory stays flat in the number of packs. The
 * CSV and the xlsx are both written from these rows, so they hold the same cells.
 */
export async function* packingRows(
  items: ReadonlyArray<ListItem>,
  pages: AsyncIterable<CsvPage> | Iterable<CsvPage>,
): AsyncGenerator<SheetRow[]> {
  yield [{ cells: packingHeader(items), bold: true }]
  const column = new Map(items.map((i, n) => [i.id, n]))
  /** Per item column a quantity, or nothing when no line holds the item. */
  const blank = () => items.map((): number | null => null)
  const add = (to: Array<number | null>, n: number, q: number) => {
    to[n] = (to[n] ?? 0) + q
  }
  const cells = (sums: Array<number | null>) => [
    ...sums.map((q) => q ?? ''),
    sums.reduce<number>((a, b) => a + (b ?? 0), 0),
  ]
  const grand = blank()
  let packCount = 0
  let group: CsvPage['destination'] | null = null
  let sums = blank()
  let count = 0
  const subtotal = (): SheetRow[] => {
    if (!group || count === 0) return []
    sums.forEach((q, n) => q !== null && add(grand, n, q))
    packCount += count
    const label = `小计（${count} 份）`
    return [
      {
        cells: [
          group.name,
          group.address,
          group.recipient,
          '',
          label,
          '',
          '',
          '',
          '',
          '',
          ...cells(sums),
        ],
        bold: true,
      },
    ]
  }
  for await (const page of pages) {
    const batch: SheetRow[] = []
    if (!group || group.key !== page.destination.key) {
      batch.push(...subtotal())
      group = page.destination
      sums = blank()
      count = 0
    }
    for (const p of page.packs) {
      const row = blank()
      for (const l of p.items) {
        const n = column.get(l.itemId)
        if (n === undefined) continue
        add(row, n, l.quantity)
        add(sums, n, l.quantity)
      }
      count++
      // A shipped pack is listed at the address it went to, the others at the site's of today.
      const to = p.shippedTo ?? group
      batch.push({
        cells: [
          to.name,
          to.address,
          to.recipient,
          p.memberNo,
          p.memberName,
          p.unionName,
          p.recipient,
          p.phone,
          statusLabel[p.status],
          p.isDefault ? '是' : '否',
          ...cells(row),
        ],
      })
    }
    if (batch.length > 0) yield batch
  }
  // The last subtotal first: it adds its destination to the grand total.
  const last = subtotal()
  const total = ['合计', '', '', '', `共 ${packCount} 份`, '', '', '', '', '', ...cells(grand)]
  yield [...last, { cells: total, bold: true }]
}

/** The packing list as CSV text, a chunk of lines per page (`packingRows`), after a BOM. */
export async function* packingCsv(
  items: ReadonlyArray<ListItem>,
  pages: AsyncIterable<CsvPage> | Iterable<CsvPage>,
): AsyncGenerator<string> {
  let bom = UTF8_BOM
  for await (const batch of packingRows(items, pages)) {
    yield bom + batch.map((r) => csvLine(r.cells)).join('')
    bom = ''
  }
}

/**
 * The campaign's items and its packs a page at a time, keyset by member number per destination,
 * each page one short query (no transaction held while the client reads). `site` keeps it to
 * one destination.
 */
async function packingPages(
  tx: Tx,
  campaign: { id: number },
  site?: GroupKey,
): Promise<{ items: ListItem[]; pages: AsyncGenerator<CsvPage> }> {
  const items = await listItems(tx, campaign.id)
  const all = (await destinations(tx, campaign.id, items)).filter(
    (d) => site === undefined || d.key === site,
  )
  async function* pages(): AsyncGenerator<CsvPage> {
    for (const d of all) {
      let after: string | null = null
      for (;;) {
        const packs = await packPage(tx, campaign.id, items, d.key, after, CSV_PAGE)
        yield { destination: d, packs }
        if (packs.length < CSV_PAGE) break
        after = packs[packs.length - 1]!.memberNo
      }
    }
  }
  return { items, pages: pages() }
}

/** The campaign's packing list as a CSV stream (`packingCsv`); `site` keeps it to one destination. */
export async function* packingListCsv(
  tx: Tx,
  campaign: { id: number },
  site?: GroupKey,
): AsyncGenerator<string> {
  const { items, pages } = await packingPages(tx, campaign, site)
  yield* packingCsv(items, pages)
}

/** Column widths of the xlsx by header (the item columns get their header's width). */
const XLSX_WIDTHS: Record<string, number> = {
  收货地点: 18,
  地址: 30,
  现场收货人: 12,
  会员号: 12,
  会员姓名: 16,
  所在工会: 18,
  收件人: 12,
  联系电话: 14,
}

/**
 * The campaign's packing list as an .xlsx stream: one sheet with the same rows and columns as
 * the CSV (the destination a column, so staff sort and filter it as they like, and the CSV and
 * the sheet can be checked against each other row by row). Pages are read as for the CSV.
 */
export async function packingListXlsx(
  tx: Tx,
  campaign: { id: number },
  site?: GroupKey,
): Promise<Readable> {
  const { items, pages } = await packingPages(tx, campaign, site)
  return xlsxStream({ name: '装箱单', widths: XLSX_WIDTHS }, packingRows(items, pages))
}
