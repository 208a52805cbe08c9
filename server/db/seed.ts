import { sql } from 'drizzle-orm'
import { endOfShanghaiDay } from '../lib/time'
import { grantPoints } from '../modules/points/grants'
import type { Db, Tx } from './client'
import { seedCoolingDemo } from './seed-cooling'
import { seedLegalDemo } from './seed-legal'
import { first, rows } from './sql'
import { seedEvents } from './seed-events'

/** Bump when the demo data grows; each version's step runs once per database. */
export const SEED_VERSION = 6
const SEED_LOCK = 72_810_002

interface UnionSeed {
  name: string
  children?: UnionSeed[]
}

/** The union tree of the demo (PRODUCT.md): two more federations host the cross-city mixer. */
export const demoUnions: UnionSeed[] = [
  {
    name: '北京市总工会',
    children: [
      { name: '朝阳区总工会', children: [{ name: '帕克国际工会' }] },
      { name: '石景山区总工会', children: [{ name: '四方继保工会' }] },
      {
        name: '通州区总工会',
        children: [{ name: '北京环球度假区工会' }, { name: '运河商务区联合工会' }],
      },
      { name: '延庆区总工会', children: [{ name: '北京世园公园工会' }] },
      {
        name: '中关村科学城工会',
        children: [{ name: '小米工会' }, { name: '科大讯飞北京公司工会' }],
      },
    ],
  },
  {
    name: '天津市总工会',
    children: [{ name: '武清区总工会', children: [{ name: '武清开发区联合工会' }] }],
  },
  {
    name: '河北省总工会',
    children: [{ name: '廊坊市总工会', children: [{ name: '廊坊临空经济区联合工会' }] }],
  },
]

const surnames =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'
const given = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀兰',
  '霞',
  '平',
  '刚',
  '桂英',
  '建华',
  '文静',
  '子涵',
  '浩然',
  '雨桐',
  '欣怡',
  '梓萱',
  '宇轩',
  '思远',
  '晓东',
  '海燕',
  '志强',
  '春梅',
  '国庆',
  '红霞',
  '建国',
  '丹丹',
  '佳琪',
  '一鸣',
  '晨曦',
  '俊杰',
  '美玲',
  '振宇',
  '雪梅',
  '嘉怡',
  '天宇',
  '若曦',
  '博文',
]

/** A realistic, deterministic Chinese name for demo member number `n`. */
export function demoName(n: number): string {
  return surnames[(n * 7) % surnames.length] + given[(n * 13 + Math.floor(n / 7)) % given.length]
}

/** Enterprise unions of demo members: M0001–M0140 outside the mixer hosts, the rest inside. */
const plainUnions = [
  '小米工会',
  '科大讯飞北京公司工会',
  '四方继保工会',
  '帕克国际工会',
  '北京世园公园工会',
]
const mixerUnions = [
  '北京环球度假区工会',
  '运河商务区联合工会',
  '武清开发区联合工会',
  '廊坊临空经济区联合工会',
]

export function demoMemberUnion(n: number): string {
  return n <= 140
    ? plainUnions[(n - 1) % plainUnions.length]
    : mixerUnions[(n - 141) % mixerUnions.length]
}

async function insertUnions(tx: Tx, list: UnionSeed[], parentId: number | null): Promise<void> {
  for (const u of list) {
    const row = await first<{ id: number }>(
      tx,
      sql`INSERT INTO unions (name, parent_id) VALUES (${u.name}, ${parentId}) RETURNING id`,
    )
    if (!row) throw new Error(`seed: union ${u.name}`)
    if (u.children) await insertUnions(tx, u.children, row.id)
  }
}

async function seedV1(tx: Tx): Promise<void> {
  await insertUnions(tx, demoUnions, null)
  const unionIds = new Map(
    (await rows<{ id: number; name: string }>(tx, sql`SELECT id, name FROM unions`)).map((u) => [
      u.name,
      u.id,
    ]),
  )
  const id = (name: string) => {
    const v = unionIds.get(name)
    if (v === undefined) throw new Error(`seed: unknown union ${name}`)
    return v
  }
  const people: Array<{
    no: string
    name: string
    union: string
    roles: string[]
    staff?: string
  }> = [
    { no: 'A0001', name: '郑宏伟', union: '北京市总工会', roles: ['member', 'admin'] },
    {
      no: 'S0001',
      name: '周建平',
      union: '北京市总工会',
      roles: ['member', 'staff'],
      staff: '北京市总工会',
    },
    {
      no: 'S0101',
      name: '孙丽娟',
      union: '石景山区总工会',
      roles: ['member', 'staff'],
      staff: '石景山区总工会',
    },
    { no: 'L0001', name: '韩律明', union: '石景山区总工会', roles: ['lawyer'] },
    { no: 'L0002', name: '苏婉清', union: '石景山区总工会', roles: ['lawyer'] },
  ]
  for (let n = 1; n <= 300; n++) {
    people.push({
      no: `M${String(n).padStart(4, '0')}`,
      name: n === 1 ? '张伟' : demoName(n),
      union: demoMemberUnion(n),
      roles: ['member'],
    })
  }
  for (const p of people) {
    await tx.execute(
      sql`INSERT INTO members (member_no, name, union_id, roles, staff_union_id)
          VALUES (${p.no}, ${p.name}, ${id(p.union)}, ${sql.raw(`ARRAY[${p.roles.map((r) => `'${r}'`).join(',')}]::text[]`)},
                  ${p.staff ? id(p.staff) : null})`,
    )
  }
  // Every member has a points account; demo members start with a welcome grant, made by the
  // same grant function as the staff route (lots, ledger and balance together).
  await tx.execute(sql`INSERT INTO point_accounts (member_id, balance) SELECT id, 0 FROM members`)
  const admin = await memberId(tx, 'A0001')
  const demo = await rows<{ id: number }>(
    tx,
    sql`SELECT id FROM members WHERE member_no LIKE 'M%' ORDER BY id`,
  )
  for (let step = 0; step < 5; step++) {
    await grantPoints(tx, {
      actorId: admin,
      amount: 200 + step * 50,
      reason: '2026 年度会员福利积分',
      expiresAt: null,
      memberIds: demo.filter((m) => m.id % 5 === step).map((m) => m.id),
    })
  }
}

/**
 * v6: every demo person has a roster phone, so the WeChat phone-number binding can be tried:
 * `M0001` → 13800000001, `S0101` → 13900000101, `L0001` → 13700000001, `A0001` → 13600000001.
 */
async function seedRosterPhones(tx: Tx): Promise<void> {
  await tx.execute(
    sql`UPDATE members
        SET phone = CASE left(member_no, 1) WHEN 'M' THEN '138' WHEN 'S' THEN '139'
                      WHEN 'L' THEN '137' ELSE '136' END
                    || '000' || lpad(substr(member_no, 2), 5, '0')
        WHERE member_no ~ '^[MSLA][0-9]{4}$' AND phone IS NULL`,
  )
}

async function memberId(tx: Tx, memberNo: string): Promise<number> {
  const row = await first<{ id: number }>(
    tx,
    sql`SELECT id FROM members WHERE member_no = ${memberNo}`,
  )
  if (!row) throw new Error(`seed: unknown member ${memberNo}`)
  return row.id
}

async function unionId(tx: Tx, name: string): Promise<number> {
  const row = await first<{ id: number }>(tx, sql`SELECT id FROM unions WHERE name = ${name}`)
  if (!row) throw new Error(`seed: unknown union ${name}`)
  return row.id
}

interface ItemSeed {
  union: string
  name: string
  description: string
  pointsCost: number
  stock: number
  perMemberLimit: number
  pickupDays?: number
  /** Days from the seed until the sale opens (not yet on sale). */
  opensInDays?: number
}

/** The mall of the demo: the summer drinks of 中关村科学城, goods of 小米, a few city-wide. */
const demoItems: ItemSeed[] = [
  {
    union: '中关村科学城工会',
    name: '酸梅汤',
    description: '老北京风味酸梅汤，冰镇后更解暑（500ml/瓶）',
    pointsCost: 20,
    stock: 300,
    perMemberLimit: 4,
  },
  {
    union: '中关村科学城工会',
    name: '八宝茶',
    description: '菊花、枸杞、桂圆等八味配料，独立包装（10 袋/盒）',
    pointsCost: 30,
    stock: 200,
    perMemberLimit: 2,
  },
  {
    union: '中关村科学城工会',
    name: '矿泉水',
    description: '天然矿泉水（550ml × 6 瓶）',
    pointsCost: 10,
    stock: 1000,
    perMemberLimit: 6,
    pickupDays: 3,
  },
  {
    union: '小米工会',
    name: '防晒冰袖',
    description: '冰丝面料，户外作业防晒降温（1 双）',
    pointsCost: 60,
    stock: 3,
    perMemberLimit: 1,
  },
  {
    union: '小米工会',
    name: '工会定制保温杯',
    description: '316 不锈钢，500ml，杯身印工会徽标',
    pointsCost: 180,
    stock: 50,
    perMemberLimit: 1,
    opensInDays: 3,
  },
  {
    union: '北京市总工会',
    name: '速干运动毛巾',
    description: '吸汗速干，附收纳袋',
    pointsCost: 50,
    stock: 500,
    perMemberLimit: 2,
  },
  {
    union: '石景山区总工会',
    name: '凉茶',
    description: '清热解暑凉茶（310ml × 6 罐）',
    pointsCost: 25,
    stock: 400,
    perMemberLimit: 3,
  },
]

/** v2: the points mall — items, and grants whose points expire (some within three weeks). */
async function seedV2(tx: Tx): Promise<void> {
  const now = new Date()
  for (const item of demoItems) {
    const opens = item.opensInDays ? endOfShanghaiDay(now, item.opensInDays - 1) : null
    await tx.execute(
      sql`INSERT INTO mall_items (union_id, name, description, points_cost, stock, per_member_limit,
                                  pickup_days, sale_starts_at)
          VALUES (${await unionId(tx, item.union)}, ${item.name}, ${item.description},
                  ${item.pointsCost}, ${item.stock}, ${item.perMemberLimit},
                  ${item.pickupDays ?? 7},
                  ${opens ? new Date(opens.getTime() + 1) : null}::timestamptz)`,
    )
  }
  const staff = await memberId(tx, 'S0001')
  const demo = await rows<{ id: number; union: string }>(
    tx,
    sql`SELECT m.id, u.name AS union FROM members m JOIN unions u ON u.id = m.union_id
        WHERE m.member_no LIKE 'M%' ORDER BY m.id`,
  )
  // Expiring soon: 20 days from the seed, at the end of that day (Shanghai time).
  await grantPoints(tx, {
    actorId: staff,
    amount: 100,
    reason: '夏季高温慰问积分',
    expiresAt: endOfShanghaiDay(now, 20),
    memberIds: demo.map((m) => m.id),
  })
  await grantPoints(tx, {
    actorId: staff,
    amount: 150,
    reason: '劳动竞赛奖励积分',
    expiresAt: endOfShanghaiDay(now, 90),
    memberIds: demo.filter((m) => m.union === '小米工会').map((m) => m.id),
  })
}

/**
 * Applies the demo data once per database, idempotently: under an advisory lock, and only the
 * versions not recorded in `app_settings` yet.
 */
export async function seedDemoData(db: Db): Promise<{ applied: boolean }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${SEED_LOCK})`)
    const row = await first<{ value: string }>(
      tx,
      sql`SELECT value FROM app_settings WHERE key = 'seed_version'`,
    )
    const current = row ? Number(row.value) : 0
    if (current >= SEED_VERSION) return { applied: false }
    if (current < 1) await seedV1(tx)
    if (current < 2) await seedV2(tx)
    if (current < 3) await seedCoolingDemo(tx)
    if (current < 4) await seedEvents(tx)
    if (current < 5) await seedLegalDemo(tx)
    if (current < 6) await seedRosterPhones(tx)
    await tx.execute(
      sql`INSERT INTO app_settings (key, value) VALUES ('seed_version', ${String(SEED_VERSION)})
          ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    )
    return { applied: true }
  })
}
