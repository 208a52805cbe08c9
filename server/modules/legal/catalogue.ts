import { sql, type SQL } from 'drizzle-orm'
import type {
  AvailabilityRule,
  Closure,
  CreateAvailabilityBody,
  CreateClosureBody,
  CreateServicePointBody,
  Lawyer,
  LegalSlot,
  LegalTopic,
  ServicePoint,
} from '../../../src/contract/legal'
import type { Tx } from '../../db/client'
import { first, rows } from '../../db/sql'
import { audit } from '../../lib/audit'
import { AppError } from '../../lib/errors'
import type { Caller } from '../../lib/route'
import { assertMayActOnUnion, mayActOnUnion } from '../org/union-tree'
import { generateSlots, type SlotClosure, type SlotRule } from './slots'

type When = Date | string

export async function topics(tx: Tx): Promise<LegalTopic[]> {
  return rows<LegalTopic>(tx, sql`SELECT id, name FROM legal_topics ORDER BY sort_order, id`)
}

interface LawyerRow {
  id: number
  name: string
  firm: string
  specialties: string[]
  bio: string
}

async function lawyerRows(tx: Tx, where: SQL): Promise<Lawyer[]> {
  return rows<LawyerRow>(
    tx,
    sql`SELECT l.id, m.name, l.firm, l.specialties, l.bio
        FROM legal_lawyers l JOIN members m ON m.id = l.member_id
        WHERE ${where} ORDER BY l.id`,
  )
}

export const lawyers = (tx: Tx) => lawyerRows(tx, sql`true`)

interface PointRow {
  id: number
  name: string
  kind: 'workstation' | 'online'
  address: string | null
  channel: 'phone' | 'video' | null
  union_id: number
  union_name: string
}

/** Service points of the given unions. */
export async function servicePointsOf(tx: Tx, unionIds: number[]): Promise<ServicePoint[]> {
  const list = await rows<PointRow>(
    tx,
    sql`SELECT p.id, p.name, p.kind, p.address, p.channel, p.union_id, u.name AS union_name
        FROM legal_service_points p JOIN unions u ON u.id = p.union_id
        WHERE p.union_id = ANY(${sql.param(unionIds)}::int[]) ORDER BY p.id`,
  )
  return list.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    address: r.address,
    channel: r.channel,
    unionId: r.union_id,
    unionName: r.union_name,
  }))
}

interface RuleRow {
  id: number
  lawyer_id: number
  lawyer_name: string
  service_point_id: number
  service_point_name: string
  weekday: number
  start_time: string
  end_time: string
  slot_minutes: number
  valid_from: string
  valid_to: string | null
}

async function ruleRows(tx: Tx, where: SQL): Promise<RuleRow[]> {
  return rows<RuleRow>(
    tx,
    sql`SELECT r.id, r.lawyer_id, m.name AS lawyer_name, r.service_point_id,
               p.name AS service_point_name, r.weekday, r.start_time, r.end_time, r.slot_minutes,
               to_char(r.valid_from, 'YYYY-MM-DD') AS valid_from,
               to_char(r.valid_to, 'YYYY-MM-DD') AS valid_to
        FROM legal_availability_rules r
        JOIN legal_lawyers l ON l.id = r.lawyer_id JOIN members m ON m.id = l.member_id
        JOIN legal_service_points p ON p.id = r.service_point_id
        WHERE ${where} ORDER BY r.id`,
  )
}

const slotRule = (r: RuleRow): SlotRule => ({
  id: r.id,
  lawyerId: r.lawyer_id,
  servicePointId: r.service_point_id,
  weekday: r.weekday,
  start: r.start_time,
  end: r.end_time,
  slotMinutes: r.slot_minutes,
  validFrom: r.valid_from,
  validTo: r.valid_to,
})

const ruleView = (r: RuleRow): AvailabilityRule => ({
  id: r.id,
  lawyerId: r.lawyer_id,
  lawyerName: r.lawyer_name,
  servicePointId: r.service_point_id,
  servicePointName: r.service_point_name,
  weekday: r.weekday,
  start: r.start_time,
  end: r.end_time,
  slotMinutes: r.slot_minutes,
  validFrom: r.valid_from,
  validTo: r.valid_to,
})

/** Rules of one lawyer and/or service point, or of the given unions' service points. */
export async function rulesFor(
  tx: Tx,
  filter: { lawyerId?: number; servicePointId?: number; unionIds?: number[] },
): Promise<SlotRule[]> {
  return (await ruleRows(tx, ruleWhere(filter))).map(slotRule)
}

function ruleWhere(filter: { lawyerId?: number; servicePointId?: number; unionIds?: number[] }) {
  const c = [sql`true`]
  if (filter.lawyerId !== undefined) c.push(sql`r.lawyer_id = ${filter.lawyerId}`)
  if (filter.servicePointId !== undefined)
    c.push(sql`r.service_point_id = ${filter.servicePointId}`)
  if (filter.unionIds) c.push(sql`p.union_id = ANY(${sql.param(filter.unionIds)}::int[])`)
  return sql.join(c, sql` AND `)
}

export async function staffRules(tx: Tx, unionIds: number[]): Promise<AvailabilityRule[]> {
  return (await ruleRows(tx, ruleWhere({ unionIds }))).map(ruleView)
}

interface ClosureRow {
  id: number
  date: string
  reason: string
  service_point_id: number | null
}

async function closureRows(tx: Tx, where: SQL): Promise<Closure[]> {
  const list = await rows<ClosureRow>(
    tx,
    sql`SELECT c.id, to_char(c.date, 'YYYY-MM-DD') AS date, c.reason, c.service_point_id
        FROM legal_closures c LEFT JOIN legal_service_points p ON p.id = c.service_point_id
        WHERE ${where} ORDER BY c.date, c.id`,
  )
  return list.map((r) => ({
    id: r.id,
    date: r.date,
    reason: r.reason,
    servicePointId: r.service_point_id,
  }))
}

/** Closed days (all of them: there are few), for slot generation. */
export async function closuresFor(tx: Tx, from?: string, to?: string): Promise<SlotClosure[]> {
  const c = [sql`true`]
  if (from) c.push(sql`c.date >= ${from}::date`)
  if (to) c.push(sql`c.date <= ${to}::date`)
  return closureRows(tx, sql.join(c, sql` AND `))
}

/** Closures everywhere plus those of service points in the given unions. */
export function staffClosures(tx: Tx, unionIds: number[]): Promise<Closure[]> {
  return closureRows(
    tx,
    sql`c.service_point_id IS NULL OR p.union_id = ANY(${sql.param(unionIds)}::int[])`,
  )
}

/**
 * The slots of the visible service points between two days: not yet started, `available` unless
 * an active (not cancelled) booking holds it.
 */
export async function listSlots(
  tx: Tx,
  visibleUnionIds: number[],
  q: { from: string; to: string; lawyerId?: number; servicePointId?: number },
  now: Date,
): Promise<LegalSlot[]> {
  const rules = await rulesFor(tx, { ...q, unionIds: visibleUnionIds })
  if (rules.length === 0) return []
  const slots = generateSlots(rules, await closuresFor(tx, q.from, q.to), {
    from: q.from,
    to: q.to,
    now,
  })
  if (slots.length === 0) return []
  const taken = await rows<{ lawyer_id: number; starts_at: When }>(
    tx,
    sql`SELECT lawyer_id, starts_at FROM legal_bookings
        WHERE status <> 'cancelled' AND starts_at >= ${slots[0].startsAt}
          AND starts_at <= ${slots[slots.length - 1].startsAt}`,
  )
  const held = new Set(taken.map((t) => `${t.lawyer_id}|${new Date(t.starts_at).getTime()}`))
  return slots.map((s) => ({
    id: s.id,
    lawyerId: s.lawyerId,
    servicePointId: s.servicePointId,
    startsAt: s.startsAt.toISOString(),
    endsAt: s.endsAt.toISOString(),
    available: !held.has(`${s.lawyerId}|${s.startsAt.getTime()}`),
  }))
}

// Staff writes (each audit-logged)

export async function createLawyer(
  tx: Tx,
  caller: Caller,
  body: { memberId: number; firm: string; specialties: string[]; bio: string },
): Promise<Lawyer> {
  const member = await first<{ union_id: number; roles: string[] }>(
    tx,
    sql`SELECT union_id, roles FROM members WHERE id = ${body.memberId}`,
  )
  if (!member) throw new AppError('NOT_FOUND', 404, '会员不存在')
  await assertMayActOnUnion(tx, caller, member.union_id)
  if (!member.roles.includes('lawyer')) throw new AppError('NOT_A_LAWYER', 422)
  const created = await first<{ id: number }>(
    tx,
    sql`INSERT INTO legal_lawyers (member_id, firm, specialties, bio)
        VALUES (${body.memberId}, ${body.firm}, ${sql.param(body.specialties)}::text[], ${body.bio})
        ON CONFLICT (member_id) DO NOTHING RETURNING id`,
  )
  if (!created) throw new AppError('LAWYER_EXISTS', 409)
  await audit(tx, {
    actorId: caller.id,
    action: 'legal_lawyer.create',
    entity: 'legal_lawyer',
    entityId: created.id,
    after: body,
  })
  const [lawyer] = await lawyerRows(tx, sql`l.id = ${created.id}`)
  return lawyer
}

export async function createServicePoint(
  tx: Tx,
  caller: Caller,
  body: CreateServicePointBody,
): Promise<ServicePoint> {
  const union = await first<{ id: number }>(
    tx,
    sql`SELECT id FROM unions WHERE id = ${body.unionId}`,
  )
  if (!union) throw new AppError('UNION_NOT_FOUND', 404)
  await assertMayActOnUnion(tx, caller, body.unionId)
  const created = await first<{ id: number }>(
    tx,
    sql`INSERT INTO legal_service_points (union_id, name, kind, address, channel)
        VALUES (${body.unionId}, ${body.name}, ${body.kind}, ${body.address ?? null},
                ${body.channel ?? null})
        ON CONFLICT ON CONSTRAINT legal_service_points_union_name_unique DO NOTHING
        RETURNING id`,
  )
  if (!created) throw new AppError('SERVICE_POINT_EXISTS', 409)
  await audit(tx, {
    actorId: caller.id,
    action: 'legal_service_point.create',
    entity: 'legal_service_point',
    entityId: created.id,
    after: body,
  })
  const [point] = (await servicePointsOf(tx, [body.unionId])).filter((p) => p.id === created.id)
  return point
}

async function pointInScope(tx: Tx, caller: Caller, servicePointId: number) {
  const point = await first<{ union_id: number }>(
    tx,
    sql`SELECT union_id FROM legal_service_points WHERE id = ${servicePointId}`,
  )
  if (!point) throw new AppError('NOT_FOUND', 404, '服务点不存在')
  await assertMayActOnUnion(tx, caller, point.union_id)
}

export async function createRule(
  tx: Tx,
  caller: Caller,
  body: CreateAvailabilityBody,
): Promise<AvailabilityRule> {
  const lawyer = await first<{ id: number }>(
    tx,
    sql`SELECT id FROM legal_lawyers WHERE id = ${body.lawyerId}`,
  )
  if (!lawyer) throw new AppError('NOT_FOUND', 404, '律师不存在')
  await pointInScope(tx, caller, body.servicePointId)
  const created = await first<{ id: number }>(
    tx,
    sql`INSERT INTO legal_availability_rules
          (lawyer_id, service_point_id, weekday, start_time, end_time, slot_minutes, valid_from,
           valid_to, created_by)
        VALUES (${body.lawyerId}, ${body.servicePointId}, ${body.weekday}, ${body.start},
                ${body.end}, ${body.slotMinutes}, ${body.validFrom}::date,
                ${body.validTo ?? null}::date, ${caller.id})
        RETURNING id`,
  )
  if (!created) throw new AppError('INTERNAL', 500)
  await audit(tx, {
    actorId: caller.id,
    action: 'legal_availability.create',
    entity: 'legal_availability_rule',
    entityId: created.id,
    after: body,
  })
  const [rule] = await ruleRows(tx, sql`r.id = ${created.id}`)
  return ruleView(rule)
}

/**
 * A closed day at one service point (its union in the caller's scope), or everywhere — the latter
 * only for admins and staff of the top union, since it closes every union's service points.
 */
export async function createClosure(
  tx: Tx,
  caller: Caller,
  body: CreateClosureBody,
): Promise<Closure> {
  if (body.servicePointId !== undefined) {
    await pointInScope(tx, caller, body.servicePointId)
  } else {
    const root = await first<{ id: number }>(
      tx,
      sql`SELECT id FROM unions WHERE parent_id IS NULL ORDER BY id LIMIT 1`,
    )
    if (!root || !(await mayActOnUnion(tx, caller, root.id))) {
      throw new AppError('FORBIDDEN', 403, '全部服务点的停诊日只能由市总工会设置，请选择服务点')
    }
  }
  // The same day again changes the reason (no second row).
  const saved = await first<{ id: number }>(
    tx,
    sql`INSERT INTO legal_closures (date, reason, service_point_id, created_by)
        VALUES (${body.date}::date, ${body.reason}, ${body.servicePointId ?? null}, ${caller.id})
        ON CONFLICT ON CONSTRAINT legal_closures_date_point_unique
        DO UPDATE SET reason = excluded.reason
        RETURNING id`,
  )
  if (!saved) throw new AppError('INTERNAL', 500)
  await audit(tx, {
    actorId: caller.id,
    action: 'legal_closure.create',
    entity: 'legal_closure',
    entityId: saved.id,
    after: body,
  })
  const [closure] = await closureRows(tx, sql`c.id = ${saved.id}`)
  return closure
}
