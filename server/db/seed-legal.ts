import { sql } from 'drizzle-orm'
import { shanghaiDate } from '../lib/time'
import type { Tx } from './client'
import { first } from './sql'

/** PRODUCT.md §4, in this order. */
export const legalTopicNames = [
  '劳动合同签订与解除',
  '工资拖欠',
  '工伤认定',
  '劳动争议调解',
  '法律援助申请',
  '新就业形态劳动者权益',
  '公司法',
]

interface PointSeed {
  key: string
  union: string
  name: string
  kind: 'workstation' | 'online'
  address?: string
  channel?: 'phone' | 'video'
  phone?: string
  /** GCJ-02 (腾讯地图) latitude and longitude of a workstation. */
  at?: [number, number]
}

/** All names and addresses are demo data. Online service belongs to the city federation. */
const points: PointSeed[] = [
  {
    key: 'wanda',
    union: '石景山区总工会',
    name: '石景山区 万达广场 写字楼劳动关系工作站',
    kind: 'workstation',
    address: '北京市石景山区石景山路乙 18 号 万达广场 C 座写字楼 1 层 劳动关系工作站',
    phone: '010-68861235',
    at: [39.906, 116.2178],
  },
  {
    key: 'bajiao',
    union: '石景山区总工会',
    name: '石景山 八角街道 工会驿站',
    kind: 'workstation',
    address: '北京市石景山区八角街道 八角北路 12 号 社区服务中心 2 层 工会驿站',
    phone: '010-68875512',
    at: [39.9143, 116.2032],
  },
  {
    key: 'phone',
    union: '北京市总工会',
    name: '线上法律咨询（电话）',
    kind: 'online',
    channel: 'phone',
  },
  {
    key: 'video',
    union: '北京市总工会',
    name: '线上法律咨询（视频）',
    kind: 'online',
    channel: 'video',
  },
]

const lawyers = [
  {
    memberNo: 'L0001',
    firm: '北京市京石律师事务所',
    specialties: ['劳动合同', '工资拖欠', '劳动争议调解'],
    bio: '执业 12 年，长期为石景山区总工会提供职工法律服务，擅长劳动合同解除与欠薪案件的调解和仲裁。',
  },
  {
    memberNo: 'L0002',
    firm: '北京市和衡律师事务所',
    specialties: ['工伤认定', '法律援助', '新就业形态劳动者权益'],
    bio: '执业 8 年，专注工伤认定与赔偿、外卖骑手等新就业形态劳动者的权益保护，参与法律援助工作。',
  },
]

/** [lawyer, point, weekday, start, end] — 30-minute slots. */
const weekly: Array<[string, string, number, string, string]> = [
  ['L0001', 'wanda', 2, '14:00', '17:00'],
  ['L0001', 'wanda', 4, '14:00', '17:00'],
  ['L0001', 'phone', 3, '09:00', '11:30'],
  ['L0002', 'bajiao', 1, '09:30', '11:30'],
  ['L0002', 'bajiao', 5, '09:30', '11:30'],
  ['L0002', 'video', 3, '14:00', '16:00'],
]

/** Lawyers, service points, topics, weekly rules from a week ago and one holiday closure. */
export async function seedLegalDemo(tx: Tx): Promise<void> {
  const validFrom = shanghaiDate(new Date(Date.now() - 7 * 86_400_000))
  const staff = await first<{ id: number }>(
    tx,
    sql`SELECT id FROM members WHERE member_no = 'S0101'`,
  )
  if (!staff) throw new Error('seed: S0101 is missing')

  for (const [i, name] of legalTopicNames.entries()) {
    await tx.execute(sql`INSERT INTO legal_topics (name, sort_order) VALUES (${name}, ${i + 1})`)
  }

  const pointIds = new Map<string, number>()
  for (const p of points) {
    const row = await first<{ id: number }>(
      tx,
      sql`INSERT INTO legal_service_points (union_id, name, kind, address, channel, phone,
                                            latitude, longitude)
          SELECT id, ${p.name}, ${p.kind}, ${p.address ?? null}, ${p.channel ?? null},
                 ${p.phone ?? null}, ${p.at?.[0] ?? null}::float8, ${p.at?.[1] ?? null}::float8
          FROM unions WHERE name = ${p.union} RETURNING id`,
    )
    if (!row) throw new Error(`seed: union ${p.union} is missing`)
    pointIds.set(p.key, row.id)
  }

  const lawyerIds = new Map<string, number>()
  for (const l of lawyers) {
    const row = await first<{ id: number }>(
      tx,
      sql`INSERT INTO legal_lawyers (member_id, firm, specialties, bio)
          SELECT id, ${l.firm}, ${sql.param(l.specialties)}::text[], ${l.bio}
          FROM members WHERE member_no = ${l.memberNo} RETURNING id`,
    )
    if (!row) throw new Error(`seed: lawyer ${l.memberNo} is missing`)
    lawyerIds.set(l.memberNo, row.id)
  }

  for (const [lawyer, point, weekday, start, end] of weekly) {
    await tx.execute(
      sql`INSERT INTO legal_availability_rules
            (lawyer_id, service_point_id, weekday, start_time, end_time, slot_minutes, valid_from,
             created_by)
          VALUES (${lawyerIds.get(lawyer)}, ${pointIds.get(point)}, ${weekday}, ${start}, ${end},
                  30, ${validFrom}::date, ${staff.id})`,
    )
  }

  await tx.execute(
    sql`INSERT INTO legal_closures (date, reason, created_by)
        VALUES ('2027-01-01'::date, '元旦假期', ${staff.id})`,
  )
}
