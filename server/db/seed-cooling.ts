import { sql } from 'drizzle-orm'
import { endOfShanghaiDay } from '../lib/time'
import { savePack } from '../modules/cooling/packs'
import type { Tx } from './client'
import { first, rows } from './sql'

interface CoolingItemSeed {
  name: string
  quotaCost: number
  maxPerPack: number
  stock: number
  /** In the default pack. */
  defaultQuantity?: number
}

/**
 * The 2024-style supplies: quota 100 per member. The default pack (毛巾, 2 凉茶, 2 湿巾, 风油精,
 * 酸梅汤, 2 矿泉水) uses exactly 100. The 水壶 is scarce on purpose: the demo shows stock running
 * out.
 */
const supplies: CoolingItemSeed[] = [
  { name: '喷雾运动水壶', quotaCost: 40, maxPerPack: 1, stock: 12 },
  { name: '防晒棒球帽', quotaCost: 30, maxPerPack: 1, stock: 20 },
  { name: '速干运动毛巾', quotaCost: 20, maxPerPack: 2, stock: 60, defaultQuantity: 1 },
  { name: '凉茶', quotaCost: 15, maxPerPack: 3, stock: 120, defaultQuantity: 2 },
  { name: '清洁湿巾', quotaCost: 5, maxPerPack: 4, stock: 120, defaultQuantity: 2 },
  { name: '风油精', quotaCost: 5, maxPerPack: 3, stock: 60, defaultQuantity: 1 },
  { name: '酸梅汤', quotaCost: 15, maxPerPack: 3, stock: 80, defaultQuantity: 1 },
  { name: '矿泉水', quotaCost: 10, maxPerPack: 4, stock: 150, defaultQuantity: 2 },
]

/**
 * Work sites per enterprise (PRODUCT.md: a project site in 若羌, plateau, islands, overseas).
 * All names and addresses are demo data.
 */
const sites: Record<string, Array<{ name: string; address: string }>> = {
  四方继保工会: [
    { name: '北京总部', address: '北京市石景山区实兴大街 30 号院 3 号楼 工会办公室' },
    {
      name: '若羌光伏项目部',
      address: '新疆维吾尔自治区巴音郭楞蒙古自治州若羌县 依吞布拉克镇 光伏产业园 项目部',
    },
    {
      name: '那曲变电站项目部（高原）',
      address: '西藏自治区那曲市色尼区 那曲 220 千伏变电站 施工现场 项目部（海拔约 4500 米）',
    },
    {
      name: '卡拉奇电网项目部（海外）',
      address: '巴基斯坦 信德省 卡拉奇市 Port Qasim 电网改造项目 中方营地',
    },
  ],
  帕克国际工会: [
    { name: '朝阳总部', address: '北京市朝阳区望京街 10 号 帕克国际大厦 5 层 工会办公室' },
    {
      name: '格尔木项目部（高原）',
      address: '青海省海西蒙古族藏族自治州格尔木市 昆仑经济技术开发区 储能电站项目部',
    },
    { name: '嵊泗海岛项目部', address: '浙江省舟山市嵊泗县 菜园镇 海上风电运维基地' },
    {
      name: '吉隆坡项目部（海外）',
      address: '马来西亚 吉隆坡 Jalan Ampang 168 号 帕克国际东南亚项目办公室',
    },
  ],
}

/** A few members have already chosen, so the staff pages (lists, counts, CSV) are not empty. */
const chosen: Array<{
  memberNo: string
  items: Array<[string, number]>
  site?: { name: string; recipient: string; phone: string }
}> = [
  {
    memberNo: 'M0008',
    items: [
      ['喷雾运动水壶', 1],
      ['凉茶', 2],
      ['矿泉水', 3],
    ],
    site: { name: '若羌光伏项目部', recipient: '李建国', phone: '13899012345' },
  },
  {
    memberNo: 'M0013',
    items: [
      ['防晒棒球帽', 1],
      ['速干运动毛巾', 2],
      ['风油精', 2],
    ],
    site: { name: '那曲变电站项目部（高原）', recipient: '次仁多吉', phone: '13908961234' },
  },
  {
    memberNo: 'M0018',
    items: [
      ['酸梅汤', 3],
      ['凉茶', 3],
      ['清洁湿巾', 2],
    ],
    site: { name: '卡拉奇电网项目部（海外）', recipient: '王海燕', phone: '13611112222' },
  },
  {
    memberNo: 'M0023',
    items: [
      ['矿泉水', 4],
      ['速干运动毛巾', 2],
      ['清洁湿巾', 4],
    ],
  },
  {
    memberNo: 'M0009',
    items: [
      ['喷雾运动水壶', 1],
      ['防晒棒球帽', 1],
      ['风油精', 2],
      ['清洁湿巾', 4],
    ],
    site: { name: '格尔木项目部（高原）', recipient: '马晓东', phone: '15209791234' },
  },
  {
    memberNo: 'M0014',
    items: [
      ['凉茶', 2],
      ['酸梅汤', 2],
      ['矿泉水', 4],
    ],
    site: { name: '嵊泗海岛项目部', recipient: '周海平', phone: '18857001234' },
  },
]

/**
 * v3: the summer cooling pack. One campaign per enterprise union (四方继保工会 and 帕克国际工会)
 * rather than one in a parent union: each enterprise buys its own supplies and ships to its own
 * sites, so its staff see their own stock and packing list (S0101 of 石景山 runs 四方继保's, S0001
 * both). Open since three days ago, closing in two weeks, so the demo can be used right away.
 */
export async function seedCoolingDemo(tx: Tx): Promise<void> {
  const now = new Date()
  const opensAt = new Date(endOfShanghaiDay(now, -4).getTime() + 1)
  const closesAt = endOfShanghaiDay(now, 14)
  const staffOf: Record<string, string> = { 四方继保工会: 'S0101', 帕克国际工会: 'S0001' }
  const siteIds = new Map<string, number>()
  const campaignOf = new Map<string, { id: number; items: Map<string, number> }>()

  for (const union of ['四方继保工会', '帕克国际工会']) {
    const u = await first<{ id: number }>(tx, sql`SELECT id FROM unions WHERE name = ${union}`)
    const staff = await first<{ id: number }>(
      tx,
      sql`SELECT id FROM members WHERE member_no = ${staffOf[union]}`,
    )
    if (!u || !staff) throw new Error(`seed: ${union} or its staff is missing`)
    for (const site of sites[union]) {
      const row = await first<{ id: number }>(
        tx,
        sql`INSERT INTO cooling_sites (union_id, name, address)
            VALUES (${u.id}, ${site.name}, ${site.address}) RETURNING id`,
      )
      if (!row) throw new Error(`seed: site ${site.name}`)
      siteIds.set(site.name, row.id)
    }
    const campaign = await first<{ id: number }>(
      tx,
      sql`INSERT INTO cooling_campaigns (union_id, title, opens_at, closes_at, quota, max_items, created_by)
          VALUES (${u.id}, ${`夏送清凉 · 清凉大礼包私人定制（${union.replace(/工会$/, '')}）`},
                  ${opensAt}, ${closesAt}, 100, ${union === '四方继保工会' ? 10 : null}, ${staff.id})
          RETURNING id`,
    )
    if (!campaign) throw new Error(`seed: campaign of ${union}`)
    const items = new Map<string, number>()
    for (const [position, s] of supplies.entries()) {
      const row = await first<{ id: number }>(
        tx,
        sql`INSERT INTO cooling_items (campaign_id, position, name, quota_cost, max_per_pack, stock,
                                       stock_left, default_quantity)
            VALUES (${campaign.id}, ${position}, ${s.name}, ${s.quotaCost}, ${s.maxPerPack},
                    ${s.stock}, ${s.stock}, ${s.defaultQuantity ?? 0})
            RETURNING id`,
      )
      if (!row) throw new Error(`seed: item ${s.name}`)
      items.set(s.name, row.id)
    }
    campaignOf.set(union, { id: campaign.id, items })
  }

  const people = await rows<{ id: number; member_no: string; union_id: number; union: string }>(
    tx,
    sql`SELECT m.id, m.member_no, m.union_id, u.name AS union FROM members m
        JOIN unions u ON u.id = m.union_id
        WHERE m.member_no = ANY(${sql.param(chosen.map((c) => c.memberNo))}::text[])`,
  )
  for (const c of chosen) {
    const m = people.find((p) => p.member_no === c.memberNo)
    const campaign = m && campaignOf.get(m.union)
    if (!m || !campaign) throw new Error(`seed: ${c.memberNo} is not in a cooling union`)
    await savePack(tx, {
      campaignId: campaign.id,
      member: { id: m.id, unionId: m.union_id },
      items: c.items.map(([name, quantity]) => ({
        itemId: campaign.items.get(name) ?? 0,
        quantity,
      })),
      delivery: c.site
        ? {
            kind: 'site',
            siteId: siteIds.get(c.site.name) ?? 0,
            recipient: c.site.recipient,
            phone: c.site.phone,
          }
        : { kind: 'pickup' },
      now,
    })
  }
}
