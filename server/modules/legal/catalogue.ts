import { and, eq, gte, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm'
import { minBookingLeadHours } from '../../../src/contract/legal'
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
import {
  legalAvailabilityRules,
  legalClosures,
  legalLawyers,
  legalServicePoints,
  legalTopics,
  members,
  unions,
} from '../../db/schema'
import { first } from '../../db/sql'
import { audit } from '../../lib/audit'
import { mapLocationOf } from '../../lib/map-location'
import { AppError } from '../../lib/errors'
import type { Caller } from '../../lib/route'
import { ancestorsOf, assertMayActOnUnion, mayActOnUnion } from '../org/union-tree'
import { generateSlots, type SlotClosure, type SlotRule } from './slots'
import { addDays, shanghaiDayBounds } from '../../lib/time'
import { lockScheduleForChange, refuseIfAffected, upcomingBookings } from './schedule-guard'

export function topics(tx: Tx): Promise<LegalTopic[]> {
  return tx
    .select({ id: legalTopics.id, name: legalTopics.name })
    .from(legalTopics)
    .orderBy(legalTopics.sortOrder, legalTopics.id)
}

/** A retirement's moment as the contract shows it. */
const retiredIso = (at: Date | null) => (at === null ? null : at.toISOString())

async function lawyerRows(tx: Tx, where?: SQL): Promise<Lawyer[]> {
  const list = await tx
    .select({
      id: legalLawyers.id,
      name: members.name,
      firm: legalLawyers.firm,
      specialties: legalLawyers.specialties,
      bio: legalLawyers.bio,
      retiredAt: legalLawyers.retiredAt,
    })
    .from(legalLawyers)
    .innerJoin(members, eq(members.id, legalLawyers.memberId))
    .where(where)
    .orderBy(legalLawyers.id)
  return list.map((l) => ({ ...l, retiredAt: retiredIso(l.retiredAt) }))
}

/** The lawyers members see: not retired. */
export const lawyers = (tx: Tx) => lawyerRows(tx, isNull(legalLawyers.retiredAt))

/** Every lawyer, retired ones too (marked), for staff. */
export const staffLawyers = (tx: Tx) => lawyerRows(tx)

/** One lawyer (retired or not). */
export async function lawyerById(tx: Tx, id: number): Promise<Lawyer | undefined> {
  const [l] = await lawyerRows(tx, eq(legalLawyers.id, id))
  return l
}

/** Service points of the given unions: in use only, or (staff) retired ones too. */
export async function servicePointsOf(
  tx: Tx,
  unionIds: number[],
  withRetired = false,
): Promise<ServicePoint[]> {
  const list = await tx
    .select({
      id: legalServicePoints.id,
      name: legalServicePoints.name,
      kind: legalServicePoints.kind,
      address: legalServicePoints.address,
      channel: legalServicePoints.channel,
      phone: legalServicePoints.phone,
      latitude: legalServicePoints.latitude,
      longitude: legalServicePoints.longitude,
      locationAddress: legalServicePoints.locationAddress,
      unionId: legalServicePoints.unionId,
      unionName: unions.name,
      retiredAt: legalServicePoints.retiredAt,
    })
    .from(legalServicePoints)
    .innerJoin(unions, eq(unions.id, legalServicePoints.unionId))
    .where(
      and(
        inArray(legalServicePoints.unionId, unionIds),
        withRetired ? undefined : isNull(legalServicePoints.retiredAt),
      ),
    )
    .orderBy(legalServicePoints.id)
  // The CHECK `legal_service_points_kind` holds kind and channel to the contract's values.
  return list.map(({ latitude, longitude, locationAddress, ...r }) => ({
    ...r,
    kind: r.kind as ServicePoint['kind'],
    channel: r.channel as ServicePoint['channel'],
    location: mapLocationOf(latitude, longitude, locationAddress),
    retiredAt: retiredIso(r.retiredAt),
  }))
}

function ruleRows(tx: Tx, where: SQL | undefined) {
  const r = legalAvailabilityRules
  return tx
    .select({
      id: r.id,
      lawyerId: r.lawyerId,
      lawyerName: members.name,
      servicePointId: r.servicePointId,
      servicePointName: legalServicePoints.name,
      weekday: r.weekday,
      start: r.startTime,
      end: r.endTime,
      slotMinutes: r.slotMinutes,
      validFrom: r.validFrom,
      validTo: r.validTo,
      retiredAt: r.retiredAt,
    })
    .from(r)
    .innerJoin(legalLawyers, eq(legalLawyers.id, r.lawyerId))
    .innerJoin(members, eq(members.id, legalLawyers.memberId))
    .innerJoin(legalServicePoints, eq(legalServicePoints.id, r.servicePointId))
    .where(where)
    .orderBy(r.id)
}

type RuleRow = Awaited<ReturnType<typeof ruleRows>>[number]

const slotRule = ({
  lawyerName: _l,
  servicePointName: _p,
  retiredAt: _r,
  ...rule
}: RuleRow): SlotRule => rule

const ruleView = (r: RuleRow): AvailabilityRule => ({ ...r, retiredAt: retiredIso(r.retiredAt) })

/** Rules in use (not retired) of one lawyer and/or service point, or of the given unions' points. */
export async function rulesFor(
  tx: Tx,
  filter: { lawyerId?: number; servicePointId?: number; unionIds?: number[] },
): Promise<SlotRule[]> {
  return (await ruleRows(tx, and(ruleWhere(filter), isNull(legalAvailabilityRules.retiredAt)))).map(
    slotRule,
  )
}

function ruleWhere(filter: { lawyerId?: number; servicePointId?: number; unionIds?: number[] }) {
  const r = legalAvailabilityRules
  return and(
    filter.lawyerId !== undefined ? eq(r.lawyerId, filter.lawyerId) : undefined,
    filter.servicePointId !== undefined ? eq(r.servicePointId, filter.servicePointId) : undefined,
    filter.unionIds ? inArray(legalServicePoints.unionId, filter.unionIds) : undefined,
  )
}

/** One rule as staff see it (retired or not). */
export async function ruleById(tx: Tx, id: number): Promise<AvailabilityRule | undefined> {
  const [rule] = await ruleRows(tx, eq(legalAvailabilityRules.id, id))
  return rule && ruleView(rule)
}

export async function staffRules(tx: Tx, unionIds: number[]): Promise<AvailabilityRule[]> {
  return (await ruleRows(tx, ruleWhere({ unionIds }))).map(ruleView)
}

async function closureRows(tx: Tx, where: SQL | undefined): Promise<Closure[]> {
  const c = legalClosures
  const list = await tx
    .select({
      id: c.id,
      date: c.date,
      reason: c.reason,
      servicePointId: c.servicePointId,
      retiredAt: c.retiredAt,
    })
    .from(c)
    .leftJoin(legalServicePoints, eq(legalServicePoints.id, c.servicePointId))
    .where(where)
    .orderBy(c.date, c.id)
  return list.map((r) => ({ ...r, retiredAt: retiredIso(r.retiredAt) }))
}

/** Closed days in force (all of them: there are few), for slot generation. */
export async function closuresFor(tx: Tx, from?: string, to?: string): Promise<SlotClosure[]> {
  const c = legalClosures
  const list = await closureRows(
    tx,
    and(
      isNull(c.retiredAt),
      from ? gte(c.date, from) : undefined,
      to ? lte(c.date, to) : undefined,
    ),
  )
  return list.map(({ date, servicePointId }) => ({ date, servicePointId }))
}

/** Closures in force everywhere plus those of service points in the given unions. */
export function staffClosures(tx: Tx, unionIds: number[]): Promise<Closure[]> {
  return closureRows(
    tx,
    and(
      isNull(legalClosures.retiredAt),
      or(isNull(legalClosures.servicePointId), inArray(legalServicePoints.unionId, unionIds)),
    ),
  )
}

/** One closure (lifted or not). */
export async function closureById(tx: Tx, id: number): Promise<Closure | undefined> {
  const [closure] = await closureRows(tx, eq(legalClosures.id, id))
  return closure
}

type SlotsFilter = { from: string; to: string; lawyerId?: number; servicePointId?: number }

/**
 * What slot generation needs, in one statement (one round trip): the rules that may give slots
 * between two days at service points of `unionId` and its ancestors (no names), the closed days
 * of the range, and the active bookings of those rules' lawyers in the range (through the partial
 * unique index legal_bookings_slot_active_unique (lawyer_id, starts_at)) as lawyer and epoch
 * milliseconds.
 */
async function slotInputs(
  tx: Tx,
  unionId: number,
  q: SlotsFilter,
): Promise<{ rules: SlotRule[]; closures: SlotClosure[]; taken: Array<{ l: number; t: number }> }> {
  // Asia/Shanghai has no daylight saving: the range's first and last instants are fixed +08:00.
  const start = new Date(`${q.from}T00:00:00+08:00`)
  const end = new Date(`${addDays(q.to, 1)}T00:00:00+08:00`)
  const row = await first<{
    rules: SlotRule[]
    closures: SlotClosure[]
    taken: Array<{ l: number; t: number }>
  }>(
    tx,
    sql`WITH r AS (
          SELECT r.id, r.lawyer_id AS "lawyerId", r.service_point_id AS "servicePointId", r.weekday,
                 r.start_time AS "start", r.end_time AS "end", r.slot_minutes AS "slotMinutes",
                 to_char(r.valid_from, 'YYYY-MM-DD') AS "validFrom",
                 to_char(r.valid_to, 'YYYY-MM-DD') AS "validTo"
          FROM legal_availability_rules r
          JOIN legal_service_points sp ON sp.id = r.service_point_id
          JOIN legal_lawyers l ON l.id = r.lawyer_id
          WHERE sp.union_id IN (SELECT id FROM ${ancestorsOf(unionId)} up)
            AND r.retired_at IS NULL AND sp.retired_at IS NULL AND l.retired_at IS NULL
            AND r.valid_from <= ${q.to}::date
            AND (r.valid_to IS NULL OR r.valid_to >= ${q.from}::date)
            ${q.lawyerId !== undefined ? sql`AND r.lawyer_id = ${q.lawyerId}` : sql``}
            ${q.servicePointId !== undefined ? sql`AND r.service_point_id = ${q.servicePointId}` : sql``}
        )
        SELECT
          (SELECT coalesce(json_agg(r ORDER BY r.id), '[]'::json) FROM r) AS rules,
          (SELECT coalesce(json_agg(json_build_object(
                    'date', to_char(c.date, 'YYYY-MM-DD'), 'servicePointId', c.service_point_id)),
                  '[]'::json)
           FROM legal_closures c
           WHERE c.date BETWEEN ${q.from}::date AND ${q.to}::date AND c.retired_at IS NULL)
          AS closures,
          (SELECT coalesce(json_agg(json_build_object(
                    'l', b.lawyer_id, 't', (extract(epoch FROM b.starts_at) * 1000)::bigint)),
                  '[]'::json)
           FROM legal_bookings b
           WHERE b.status <> 'cancelled'
             AND b.lawyer_id IN (SELECT DISTINCT "lawyerId" FROM r)
             AND b.starts_at >= ${start} AND b.starts_at < ${end}) AS taken`,
  )
  return row ?? { rules: [], closures: [], taken: [] }
}

/**
 * The slots between two days at the service points a member of `unionId` sees (its union's and
 * its ancestors'): not yet started, `available` unless an active (not cancelled) booking holds it.
 * The range is the contract's to hold (`slotsQuery`: at most `slotRangeDays`).
 */
export async function listSlots(
  tx: Tx,
  unionId: number,
  q: SlotsFilter,
  now: Date,
): Promise<LegalSlot[]> {
  const { rules, closures, taken } = await slotInputs(tx, unionId, q)
  if (rules.length === 0) return []
  // Slots starting within the lead time are not offered: each booking can still be cancelled.
  const slots = generateSlots(rules, closures, {
    from: q.from,
    to: q.to,
    now,
    leadMinutes: minBookingLeadHours * 60,
  })
  if (slots.length === 0) return []
  const held = new Set(taken.map((t) => `${t.l}|${t.t}`))
  // Many slots share their times (lawyers side by side, one slot's end the next one's start):
  // each instant is formatted once.
  const iso = new Map<number, string>()
  const isoOf = (at: Date) => {
    const ms = at.getTime()
    let text = iso.get(ms)
    if (text === undefined) iso.set(ms, (text = at.toISOString()))
    return text
  }
  return slots.map((s) => ({
    id: s.id,
    lawyerId: s.lawyerId,
    servicePointId: s.servicePointId,
    startsAt: isoOf(s.startsAt),
    endsAt: isoOf(s.endsAt),
    available: held.size === 0 || !held.has(`${s.lawyerId}|${s.startsAt.getTime()}`),
  }))
}

// Staff writes (each audit-logged)

export async function createLawyer(
  tx: Tx,
  caller: Caller,
  body: { memberId: number; firm: string; specialties: string[]; bio: string },
): Promise<Lawyer> {
  const [member] = await tx
    .select({ unionId: members.unionId, roles: members.roles })
    .from(members)
    .where(eq(members.id, body.memberId))
  if (!member) throw new AppError('NOT_FOUND', '会员不存在')
  await assertMayActOnUnion(tx, caller, member.unionId)
  if (!member.roles.includes('lawyer')) throw new AppError('NOT_A_LAWYER')
  const [created] = await tx
    .insert(legalLawyers)
    .values({
      memberId: body.memberId,
      firm: body.firm,
      specialties: body.specialties,
      bio: body.bio,
    })
    .onConflictDoNothing({ target: legalLawyers.memberId })
    .returning({ id: legalLawyers.id })
  if (!created) throw new AppError('LAWYER_EXISTS')
  await audit(tx, {
    actorId: caller.id,
    action: 'legal_lawyer.create',
    entity: 'legal_lawyer',
    entityId: created.id,
    after: body,
  })
  const [lawyer] = await lawyerRows(tx, eq(legalLawyers.id, created.id))
  return lawyer
}

export async function createServicePoint(
  tx: Tx,
  caller: Caller,
  body: CreateServicePointBody,
): Promise<ServicePoint> {
  const [union] = await tx.select({ id: unions.id }).from(unions).where(eq(unions.id, body.unionId))
  if (!union) throw new AppError('UNION_NOT_FOUND')
  await assertMayActOnUnion(tx, caller, body.unionId)
  const [created] = await tx
    .insert(legalServicePoints)
    .values({
      unionId: body.unionId,
      name: body.name,
      kind: body.kind,
      address: body.address ?? null,
      channel: body.channel ?? null,
      phone: body.phone ?? null,
      latitude: body.location?.latitude ?? null,
      longitude: body.location?.longitude ?? null,
      locationAddress: body.location?.address || null,
    })
    .onConflictDoNothing({ target: [legalServicePoints.unionId, legalServicePoints.name] })
    .returning({ id: legalServicePoints.id })
  if (!created) throw new AppError('SERVICE_POINT_EXISTS')
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

export async function pointInScope(tx: Tx, caller: Caller, servicePointId: number) {
  const [point] = await tx
    .select({ unionId: legalServicePoints.unionId, retiredAt: legalServicePoints.retiredAt })
    .from(legalServicePoints)
    .where(eq(legalServicePoints.id, servicePointId))
  if (!point) throw new AppError('NOT_FOUND', '服务点不存在')
  await assertMayActOnUnion(tx, caller, point.unionId)
  if (point.retiredAt !== null) throw new AppError('ALREADY_RETIRED', '该服务点已停用')
}

export async function createRule(
  tx: Tx,
  caller: Caller,
  body: CreateAvailabilityBody,
): Promise<AvailabilityRule> {
  const [lawyer] = await tx
    .select({ id: legalLawyers.id, retiredAt: legalLawyers.retiredAt })
    .from(legalLawyers)
    .where(eq(legalLawyers.id, body.lawyerId))
  if (!lawyer) throw new AppError('NOT_FOUND', '律师不存在')
  await pointInScope(tx, caller, body.servicePointId)
  if (lawyer.retiredAt !== null) throw new AppError('ALREADY_RETIRED', '该律师已停用')
  const [created] = await tx
    .insert(legalAvailabilityRules)
    .values({
      lawyerId: body.lawyerId,
      servicePointId: body.servicePointId,
      weekday: body.weekday,
      startTime: body.start,
      endTime: body.end,
      slotMinutes: body.slotMinutes,
      validFrom: body.validFrom,
      validTo: body.validTo ?? null,
      createdBy: caller.id,
    })
    .returning({ id: legalAvailabilityRules.id })
  if (!created) throw new AppError('INTERNAL')
  await audit(tx, {
    actorId: caller.id,
    action: 'legal_availability.create',
    entity: 'legal_availability_rule',
    entityId: created.id,
    after: body,
  })
  const [rule] = await ruleRows(tx, eq(legalAvailabilityRules.id, created.id))
  return ruleView(rule)
}

/** A closure of one service point is its union's staff's; one of every point the top union's. */
export async function closureInScope(
  tx: Tx,
  caller: Caller,
  servicePointId: number | null,
): Promise<void> {
  if (servicePointId !== null) {
    await pointInScope(tx, caller, servicePointId)
    return
  }
  const [root] = await tx
    .select({ id: unions.id })
    .from(unions)
    .where(isNull(unions.parentId))
    .orderBy(unions.id)
    .limit(1)
  if (!root || !(await mayActOnUnion(tx, caller, root.id))) {
    throw new AppError('FORBIDDEN', '全部服务点的停诊日只能由市总工会设置，请选择服务点')
  }
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
  await closureInScope(tx, caller, body.servicePointId ?? null)
  // Booked consultations that day are never left behind as 已预约: the closure is refused with
  // them listed (under the schedule lock, so none slips in meanwhile).
  await lockScheduleForChange(tx, body.servicePointId ?? null)
  await assertDayFree(tx, body.date, body.servicePointId ?? null, new Date(), '设置停诊日')
  // The same day again changes the reason (no second row); a lifted one is in force again.
  const saved = await first<{ id: number }>(
    tx,
    sql`INSERT INTO legal_closures (date, reason, service_point_id, created_by)
        VALUES (${body.date}::date, ${body.reason}, ${body.servicePointId ?? null}, ${caller.id})
        ON CONFLICT ON CONSTRAINT legal_closures_date_point_unique
        DO UPDATE SET reason = excluded.reason, retired_at = NULL
        RETURNING id`,
  )
  if (!saved) throw new AppError('INTERNAL')
  await audit(tx, {
    actorId: caller.id,
    action: 'legal_closure.create',
    entity: 'legal_closure',
    entityId: saved.id,
    after: body,
  })
  const [closure] = await closureRows(tx, eq(legalClosures.id, saved.id))
  return closure
}

/**
 * Refuses (409 `BOOKINGS_AFFECTED`, listed) when consultations are booked on `date` (Shanghai) at
 * the service point, or anywhere for a closure of every service point.
 */
export async function assertDayFree(
  tx: Tx,
  date: string,
  servicePointId: number | null,
  now: Date,
  change: string,
): Promise<void> {
  const [dayStart, dayEnd] = shanghaiDayBounds(date)
  const affected = await upcomingBookings(
    tx,
    sql`b.starts_at >= ${dayStart} AND b.starts_at < ${dayEnd}
        ${servicePointId === null ? sql`` : sql`AND b.service_point_id = ${servicePointId}`}`,
    now,
  )
  refuseIfAffected(affected, change)
}
