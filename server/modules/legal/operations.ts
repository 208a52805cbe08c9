import { sql } from 'drizzle-orm'
import {
  createAvailabilityBody,
  type AvailabilityRule,
  type Closure,
  type Lawyer,
  type PatchAvailabilityBody,
  type PatchClosureBody,
  type PatchLawyerBody,
  type PatchServicePointBody,
  type ServicePoint,
} from '../../../src/contract/legal'
import type { Tx } from '../../db/client'
import { first } from '../../db/sql'
import { audit } from '../../lib/audit'
import { AppError } from '../../lib/errors'
import type { Caller } from '../../lib/route'
import { assertMayActOnUnion } from '../org/union-tree'
import {
  assertDayFree,
  closureById,
  closureInScope,
  closuresFor,
  lawyerById,
  ruleById,
  rulesFor,
  servicePointsOf,
} from './catalogue'
import {
  lockScheduleForChange,
  refuseIfAffected,
  upcomingBookings,
  type AffectedBooking,
} from './schedule-guard'
import { findSlot, slotId, type SlotClosure, type SlotRule } from './slots'

// Staff edit and retire what they created (issue #14). Retiring is a soft delete (`retired_at`):
// bookings, closures and the audit log keep pointing at the row. No change strands a booked
// consultation: one that would is refused with the bookings listed (schedule-guard.ts).

/** The lawyer's row, locked, in the caller's scope (the union of the lawyer's member record). */
async function lawyerForStaff(tx: Tx, caller: Caller, id: number) {
  const row = await first<{ union_id: number; retired: boolean; firm: string; bio: string }>(
    tx,
    sql`SELECT m.union_id, l.retired_at IS NOT NULL AS retired, l.firm, l.bio
        FROM legal_lawyers l JOIN members m ON m.id = l.member_id
        WHERE l.id = ${id} FOR UPDATE OF l`,
  )
  if (!row) throw new AppError('NOT_FOUND', '律师不存在')
  await assertMayActOnUnion(tx, caller, row.union_id)
  if (row.retired) throw new AppError('ALREADY_RETIRED', '该律师已停用')
  return row
}

export async function patchLawyer(
  tx: Tx,
  caller: Caller,
  id: number,
  body: PatchLawyerBody,
): Promise<Lawyer> {
  await lawyerForStaff(tx, caller, id)
  const before = await lawyerById(tx, id)
  await tx.execute(
    sql`UPDATE legal_lawyers
        SET firm = coalesce(${body.firm ?? null}, firm),
            specialties = coalesce(${body.specialties ? sql.param(body.specialties) : null}::text[],
                                   specialties),
            bio = coalesce(${body.bio ?? null}, bio)
        WHERE id = ${id}`,
  )
  const after = await lawyerById(tx, id)
  if (!before || !after) throw new AppError('INTERNAL')
  await audit(tx, {
    actorId: caller.id,
    action: 'legal_lawyer.update',
    entity: 'legal_lawyer',
    entityId: id,
    before: { firm: before.firm, specialties: before.specialties, bio: before.bio },
    after: body,
  })
  return after
}

/**
 * Retires a lawyer — refused while they have upcoming bookings — and their rules with them (they
 * give no slots any more).
 */
export async function retireLawyer(tx: Tx, caller: Caller, id: number, now: Date): Promise<Lawyer> {
  await lawyerForStaff(tx, caller, id)
  await lockScheduleForChange(tx, null)
  refuseIfAffected(await upcomingBookings(tx, sql`b.lawyer_id = ${id}`, now), '停用该律师')
  await tx.execute(sql`UPDATE legal_lawyers SET retired_at = ${now} WHERE id = ${id}`)
  await tx.execute(
    sql`UPDATE legal_availability_rules SET retired_at = ${now}
        WHERE lawyer_id = ${id} AND retired_at IS NULL`,
  )
  await audit(tx, {
    actorId: caller.id,
    action: 'legal_lawyer.retire',
    entity: 'legal_lawyer',
    entityId: id,
  })
  const lawyer = await lawyerById(tx, id)
  if (!lawyer) throw new AppError('INTERNAL')
  return lawyer
}

async function pointForStaff(tx: Tx, caller: Caller, id: number) {
  const row = await first<{
    union_id: number
    retired: boolean
    name: string
    kind: ServicePoint['kind']
    address: string | null
    channel: ServicePoint['channel']
    location: { latitude: number; longitude: number; address: string | null } | null
  }>(
    tx,
    sql`SELECT union_id, retired_at IS NOT NULL AS retired, name, kind, address, channel,
               CASE WHEN latitude IS NULL THEN NULL
                    ELSE json_build_object('latitude', latitude, 'longitude', longitude,
                                           'address', location_address) END AS location
        FROM legal_service_points WHERE id = ${id} FOR UPDATE`,
  )
  if (!row) throw new AppError('NOT_FOUND', '服务点不存在')
  await assertMayActOnUnion(tx, caller, row.union_id)
  if (row.retired) throw new AppError('ALREADY_RETIRED', '该服务点已停用')
  return row
}

async function pointView(tx: Tx, unionId: number, id: number): Promise<ServicePoint> {
  const point = (await servicePointsOf(tx, [unionId], true)).find((p) => p.id === id)
  if (!point) throw new AppError('INTERNAL')
  return point
}

/** Renames a service point, moves a workstation's address or switches an online channel. */
export async function patchServicePoint(
  tx: Tx,
  caller: Caller,
  id: number,
  body: PatchServicePointBody,
): Promise<ServicePoint> {
  const before = await pointForStaff(tx, caller, id)
  if (before.kind === 'workstation' && body.channel !== undefined) {
    throw new AppError('BAD_REQUEST', '工作站没有线上方式，请修改地址')
  }
  if (before.kind === 'online' && body.address !== undefined) {
    throw new AppError('BAD_REQUEST', '线上服务没有地址，请选择电话或视频')
  }
  if (before.kind === 'online' && body.location) {
    throw new AppError('BAD_REQUEST', '只有工作站可以标注地图位置')
  }
  // Absent: unchanged; null: cleared (the CHECKs of migration 0014 hold the rest).
  const phone = body.phone === undefined ? sql`phone` : sql`${body.phone}`
  const { location } = body
  const place =
    location === undefined
      ? sql``
      : location === null
        ? sql`, latitude = NULL, longitude = NULL, location_address = NULL`
        : sql`, latitude = ${location.latitude}, longitude = ${location.longitude},
              location_address = ${location.address || null}`
  if (body.name !== undefined && body.name !== before.name) {
    const clash = await first<{ id: number }>(
      tx,
      sql`SELECT id FROM legal_service_points
          WHERE union_id = ${before.union_id} AND name = ${body.name} AND id <> ${id}`,
    )
    if (clash) throw new AppError('SERVICE_POINT_EXISTS')
  }
  await tx.execute(
    sql`UPDATE legal_service_points
        SET name = coalesce(${body.name ?? null}, name),
            address = coalesce(${body.address ?? null}, address),
            channel = coalesce(${body.channel ?? null}, channel),
            phone = ${phone} ${place}
        WHERE id = ${id}`,
  )
  await audit(tx, {
    actorId: caller.id,
    action: 'legal_service_point.update',
    entity: 'legal_service_point',
    entityId: id,
    before: {
      name: before.name,
      address: before.address,
      channel: before.channel,
      location: before.location,
    },
    after: body,
  })
  return pointView(tx, before.union_id, id)
}

/** Retires a service point — refused while it has upcoming bookings — and its rules. */
export async function retireServicePoint(
  tx: Tx,
  caller: Caller,
  id: number,
  now: Date,
): Promise<ServicePoint> {
  const before = await pointForStaff(tx, caller, id)
  await lockScheduleForChange(tx, id)
  refuseIfAffected(await upcomingBookings(tx, sql`b.service_point_id = ${id}`, now), '停用该服务点')
  await tx.execute(sql`UPDATE legal_service_points SET retired_at = ${now} WHERE id = ${id}`)
  await tx.execute(
    sql`UPDATE legal_availability_rules SET retired_at = ${now}
        WHERE service_point_id = ${id} AND retired_at IS NULL`,
  )
  await audit(tx, {
    actorId: caller.id,
    action: 'legal_service_point.retire',
    entity: 'legal_service_point',
    entityId: id,
  })
  return pointView(tx, before.union_id, id)
}

/**
 * The upcoming bookings of a lawyer whose slot the rules give today and `next` would not: what a
 * rule change or retirement would strand. A booking another rule still gives stays untouched.
 */
export function strandedBy(
  bookings: AffectedBooking[],
  current: SlotRule[],
  next: SlotRule[],
  closures: SlotClosure[],
): AffectedBooking[] {
  return bookings.filter((b) => {
    const id = slotId(b.lawyerId, b.servicePointId, b.startsAt)
    return findSlot(id, current, closures) !== null && findSlot(id, next, closures) === null
  })
}

async function ruleForStaff(tx: Tx, caller: Caller, id: number) {
  const row = await first<{ union_id: number; retired: boolean; lawyer_id: number }>(
    tx,
    sql`SELECT sp.union_id, r.retired_at IS NOT NULL AS retired, r.lawyer_id
        FROM legal_availability_rules r
        JOIN legal_service_points sp ON sp.id = r.service_point_id
        WHERE r.id = ${id} FOR UPDATE OF r`,
  )
  if (!row) throw new AppError('NOT_FOUND', '排班规则不存在')
  await assertMayActOnUnion(tx, caller, row.union_id)
  if (row.retired) throw new AppError('ALREADY_RETIRED', '该排班规则已停用')
  // Rules of one lawyer at several service points compete for their times: the whole schedule.
  await lockScheduleForChange(tx, null)
  const rules = await rulesFor(tx, { lawyerId: row.lawyer_id })
  const rule = rules.find((r) => r.id === id)
  if (!rule) throw new AppError('INTERNAL')
  return { rule, rules, lawyerId: row.lawyer_id }
}

/** Refuses a rule change that strands bookings of the rule's lawyer. */
async function assertNoneStranded(
  tx: Tx,
  lawyerId: number,
  current: SlotRule[],
  next: SlotRule[],
  now: Date,
  change: string,
): Promise<void> {
  const bookings = await upcomingBookings(tx, sql`b.lawyer_id = ${lawyerId}`, now)
  if (bookings.length === 0) return
  refuseIfAffected(strandedBy(bookings, current, next, await closuresFor(tx)), change)
}

/**
 * Changes a weekly rule's day, hours, slot length or validity (lawyer and service point stay).
 * Refused (409 `BOOKINGS_AFFECTED`) when an upcoming booking's slot would no longer exist.
 */
export async function patchRule(
  tx: Tx,
  caller: Caller,
  id: number,
  body: PatchAvailabilityBody,
  now: Date,
): Promise<AvailabilityRule> {
  const { rule, rules, lawyerId } = await ruleForStaff(tx, caller, id)
  const merged: SlotRule = {
    ...rule,
    weekday: body.weekday ?? rule.weekday,
    start: body.start ?? rule.start,
    end: body.end ?? rule.end,
    slotMinutes: body.slotMinutes ?? rule.slotMinutes,
    validFrom: body.validFrom ?? rule.validFrom,
    validTo: body.validTo === undefined ? rule.validTo : body.validTo,
  }
  // The rule as a whole must still be one (end after start, validity in order).
  const check = createAvailabilityBody.safeParse({
    lawyerId,
    servicePointId: merged.servicePointId,
    weekday: merged.weekday,
    start: merged.start,
    end: merged.end,
    slotMinutes: merged.slotMinutes,
    validFrom: merged.validFrom,
    validTo: merged.validTo ?? undefined,
  })
  if (!check.success) {
    throw new AppError('BAD_REQUEST', check.error.issues[0]?.message ?? '排班规则不正确')
  }
  const next = rules.map((r) => (r.id === id ? merged : r))
  await assertNoneStranded(tx, lawyerId, rules, next, now, '修改该排班')
  await tx.execute(
    sql`UPDATE legal_availability_rules
        SET weekday = ${merged.weekday}, start_time = ${merged.start}, end_time = ${merged.end},
            slot_minutes = ${merged.slotMinutes}, valid_from = ${merged.validFrom}::date,
            valid_to = ${merged.validTo}::date, updated_at = ${now}
        WHERE id = ${id}`,
  )
  const { id: _id, lawyerId: _l, servicePointId: _p, ...was } = rule
  await audit(tx, {
    actorId: caller.id,
    action: 'legal_availability.update',
    entity: 'legal_availability_rule',
    entityId: id,
    before: was,
    after: body,
  })
  const saved = await ruleById(tx, id)
  if (!saved) throw new AppError('INTERNAL')
  return saved
}

/** Retires a weekly rule; refused when an upcoming booking's slot would go with it. */
export async function retireRule(
  tx: Tx,
  caller: Caller,
  id: number,
  now: Date,
): Promise<AvailabilityRule> {
  const { rules, lawyerId } = await ruleForStaff(tx, caller, id)
  await assertNoneStranded(
    tx,
    lawyerId,
    rules,
    rules.filter((r) => r.id !== id),
    now,
    '停用该排班',
  )
  await tx.execute(
    sql`UPDATE legal_availability_rules SET retired_at = ${now}, updated_at = ${now}
        WHERE id = ${id}`,
  )
  await audit(tx, {
    actorId: caller.id,
    action: 'legal_availability.retire',
    entity: 'legal_availability_rule',
    entityId: id,
  })
  const saved = await ruleById(tx, id)
  if (!saved) throw new AppError('INTERNAL')
  return saved
}

async function closureForStaff(tx: Tx, caller: Caller, id: number) {
  const row = await first<{ service_point_id: number | null; retired: boolean }>(
    tx,
    sql`SELECT service_point_id, retired_at IS NOT NULL AS retired
        FROM legal_closures WHERE id = ${id} FOR UPDATE`,
  )
  if (!row) throw new AppError('NOT_FOUND', '停诊日不存在')
  await closureInScope(tx, caller, row.service_point_id)
  return row
}

/**
 * Changes a closure's reason or moves it to another day — refused when consultations are booked
 * on the new day. A lifted closure already on that day is brought back in its place.
 */
export async function patchClosure(
  tx: Tx,
  caller: Caller,
  id: number,
  body: PatchClosureBody,
  now: Date,
): Promise<Closure> {
  const row = await closureForStaff(tx, caller, id)
  if (row.retired) throw new AppError('ALREADY_RETIRED', '该停诊日已取消')
  const before = await closureById(tx, id)
  if (!before) throw new AppError('INTERNAL')
  let savedId = id
  if (body.date !== undefined && body.date !== before.date) {
    await lockScheduleForChange(tx, row.service_point_id)
    await assertDayFree(tx, body.date, row.service_point_id, now, '把停诊日改到这一天')
    const there = await first<{ id: number; retired: boolean }>(
      tx,
      sql`SELECT id, retired_at IS NOT NULL AS retired FROM legal_closures
          WHERE date = ${body.date}::date
            AND service_point_id IS NOT DISTINCT FROM ${row.service_point_id}
          FOR UPDATE`,
    )
    if (there && !there.retired) {
      throw new AppError('BAD_REQUEST', '这一天已经是停诊日，无需重复设置')
    }
    if (there) {
      // The day has a lifted closure: bring it back with the reason, lift this one.
      await tx.execute(
        sql`UPDATE legal_closures SET retired_at = NULL, reason = ${body.reason ?? before.reason}
            WHERE id = ${there.id}`,
      )
      await tx.execute(sql`UPDATE legal_closures SET retired_at = ${now} WHERE id = ${id}`)
      savedId = there.id
    } else {
      await tx.execute(sql`UPDATE legal_closures SET date = ${body.date}::date WHERE id = ${id}`)
    }
  }
  if (body.reason !== undefined && savedId === id) {
    await tx.execute(sql`UPDATE legal_closures SET reason = ${body.reason} WHERE id = ${id}`)
  }
  await audit(tx, {
    actorId: caller.id,
    action: 'legal_closure.update',
    entity: 'legal_closure',
    entityId: id,
    before: { date: before.date, reason: before.reason },
    after: savedId === id ? body : { ...body, movedTo: savedId },
  })
  const saved = await closureById(tx, savedId)
  if (!saved) throw new AppError('INTERNAL')
  return saved
}

/** Lifts a closure: the day's slots are offered again. Lifting a lifted one changes nothing. */
export async function retireClosure(
  tx: Tx,
  caller: Caller,
  id: number,
  now: Date,
): Promise<Closure> {
  const row = await closureForStaff(tx, caller, id)
  if (!row.retired) {
    await tx.execute(sql`UPDATE legal_closures SET retired_at = ${now} WHERE id = ${id}`)
    await audit(tx, {
      actorId: caller.id,
      action: 'legal_closure.retire',
      entity: 'legal_closure',
      entityId: id,
    })
  }
  const saved = await closureById(tx, id)
  if (!saved) throw new AppError('INTERNAL')
  return saved
}
