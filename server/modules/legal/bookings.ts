import { sql, type SQL } from 'drizzle-orm'
import {
  cancelCutoffMs,
  maxUpcomingBookings,
  minBookingLeadMs,
  type BookingStatus,
  type CreateBookingBody,
  type LawyerBooking,
  type MemberBooking,
  type StaffBooking,
} from '../../../src/contract/legal'
import type { Tx } from '../../db/client'
import { first, pgConstraint, rows } from '../../db/sql'
import { audit } from '../../lib/audit'
import type { Sealer } from '../../lib/crypto'
import { AppError } from '../../lib/errors'
import type { Caller } from '../../lib/route'
import { ancestorIds } from '../org/union-tree'
import { closuresFor, rulesFor } from './catalogue'
import { descriptionContext, notesContext } from './confidential'
import { lockScheduleForBooking } from './schedule-guard'
import { findSlot, parseSlotId, slotId } from './slots'

type When = Date | string
const iso = (d: When) => new Date(d).toISOString()

// Hand-tuned SQL: bookings race for a slot and carry sealed (encrypted) columns.
interface CoreRow {
  id: number
  member_id: number
  member_no: string
  member_name: string
  union_name: string
  lawyer_id: number
  lawyer_name: string
  service_point_id: number
  service_point_name: string
  starts_at: When
  ends_at: When
  topic_id: number
  topic_name: string
  status: BookingStatus
  created_at: When
  cancelled_at: When | null
  rating_stars: number | null
  rating_comment: string | null
  acted_by: number | null
}

interface ConfidentialRow extends CoreRow {
  phone: string
  description: string
  notes: string | null
}

const coreColumns = sql`
  b.id, b.member_id, m.member_no, m.name AS member_name, mu.name AS union_name, b.lawyer_id,
  lm.name AS lawyer_name, b.service_point_id, sp.name AS service_point_name, b.starts_at,
  b.ends_at, b.topic_id, t.name AS topic_name, b.status, b.created_at, b.cancelled_at,
  b.rating_stars, b.rating_comment, b.acted_by`

const joins = sql`
  FROM legal_bookings b
  JOIN members m ON m.id = b.member_id
  JOIN unions mu ON mu.id = m.union_id
  JOIN legal_lawyers l ON l.id = b.lawyer_id
  JOIN members lm ON lm.id = l.member_id
  JOIN legal_service_points sp ON sp.id = b.service_point_id
  JOIN legal_topics t ON t.id = b.topic_id`

/**
 * Reads bookings with the confidential columns, opened (they are sealed at rest): only for the
 * member's and the lawyer's views.
 */
async function confidentialRows(
  tx: Tx,
  sealer: Sealer,
  where: SQL,
  order = sql`b.starts_at DESC, b.id DESC`,
): Promise<ConfidentialRow[]> {
  const list = await rows<ConfidentialRow>(
    tx,
    sql`SELECT ${coreColumns}, b.phone, b.description, b.notes ${joins} WHERE ${where} ORDER BY ${order}`,
  )
  return list.map((r) => ({
    ...r,
    description: sealer.openForView(r.description, descriptionContext(r.member_id)),
    notes: r.notes === null ? null : sealer.openForView(r.notes, notesContext(r.id)),
  }))
}

const core = (r: CoreRow) => ({
  id: r.id,
  slotId: slotId(r.lawyer_id, r.service_point_id, new Date(r.starts_at)),
  lawyerId: r.lawyer_id,
  lawyerName: r.lawyer_name,
  servicePointId: r.service_point_id,
  servicePointName: r.service_point_name,
  startsAt: iso(r.starts_at),
  endsAt: iso(r.ends_at),
  topicId: r.topic_id,
  topicName: r.topic_name,
  status: r.status,
  createdAt: iso(r.created_at),
  cancelledAt: r.cancelled_at === null ? null : iso(r.cancelled_at),
})

const memberView = (r: ConfidentialRow): MemberBooking => ({
  ...core(r),
  phone: r.phone,
  description: r.description,
  ratingStars: r.rating_stars,
  ratingComment: r.rating_comment,
  ...(r.acted_by !== null ? { actedByStaff: true } : {}),
})

const lawyerView = (r: ConfidentialRow): LawyerBooking => ({
  ...core(r),
  memberId: r.member_id,
  memberName: r.member_name,
  phone: r.phone,
  description: r.description,
  notes: r.notes,
  ratingStars: r.rating_stars,
})

/**
 * Descriptions are confidential: every answer that carries one leaves a trace in the audit log
 * (who read which bookings, through which route), in the same transaction as the read.
 */
export async function logDescriptionRead(
  tx: Tx,
  actorId: number,
  bookingIds: number[],
  via: string,
): Promise<void> {
  if (bookingIds.length === 0) return
  await audit(tx, {
    actorId,
    action: 'legal.description.read',
    entity: 'legal_booking',
    entityId: bookingIds.length === 1 ? bookingIds[0] : undefined,
    after: { bookingIds, via },
  })
}

/** The caller's own bookings, newest slot first, with descriptions (the read is logged). */
export async function memberBookings(
  tx: Tx,
  sealer: Sealer,
  caller: Caller,
): Promise<MemberBooking[]> {
  const list = await confidentialRows(tx, sealer, sql`b.member_id = ${caller.id}`)
  await logDescriptionRead(
    tx,
    caller.id,
    list.map((r) => r.id),
    'member.list',
  )
  return list.map(memberView)
}

async function memberBooking(
  tx: Tx,
  sealer: Sealer,
  caller: Caller,
  id: number,
): Promise<MemberBooking> {
  const [row] = await confidentialRows(tx, sealer, sql`b.id = ${id} AND b.member_id = ${caller.id}`)
  if (!row) throw new AppError('NOT_FOUND', '预约不存在')
  return memberView(row)
}

/**
 * Books a slot in the caller's transaction (after the idempotency key was claimed):
 *
 * 1. lock the member's own row (`SELECT … FOR NO KEY UPDATE` on members): two bookings of one
 *    member queue up here, so the count of upcoming bookings read next — a statement of its own,
 *    whose snapshot is taken once the lock is held — already includes the other one's if it
 *    committed. Without the lock, two requests would both count 1 and both insert: 3 upcoming.
 *    Not `FOR UPDATE`: the idempotency key's foreign key already holds `FOR KEY SHARE` on this
 *    row, and two requests each holding that and waiting for `FOR UPDATE` deadlock.
 * 2. re-derive the slot from its id against the rules and closures (a forged id is 404);
 * 3. insert with `ON CONFLICT … DO NOTHING` on the partial unique index (one active booking per
 *    lawyer and start): a second booker of the slot waits for the first to commit or roll back and
 *    then gets no row → 409 `SLOT_TAKEN`. The index is the invariant; nothing is read first.
 *    The description is sealed (bound to the member) before it reaches the database.
 */
export async function bookSlot(
  tx: Tx,
  sealer: Sealer,
  caller: Caller,
  body: CreateBookingBody,
  now: Date,
  /** Union staff booking for the member (代办; `caller` is then the member); absent otherwise. */
  actedBy?: number,
): Promise<MemberBooking> {
  await tx.execute(sql`SELECT id FROM members WHERE id = ${caller.id} FOR NO KEY UPDATE`)

  const unknown = () => new AppError('UNKNOWN_SLOT')
  const parsed = parseSlotId(body.slotId)
  if (!parsed) throw unknown()
  const { lawyerId, servicePointId } = parsed
  // Staff changing the schedule wait for this booking, or it waits for them (schedule-guard.ts).
  await lockScheduleForBooking(tx, servicePointId)
  const point = await first<{ union_id: number }>(
    tx,
    sql`SELECT union_id FROM legal_service_points
        WHERE id = ${servicePointId} AND retired_at IS NULL`,
  )
  if (!point || !(await ancestorIds(tx, caller.unionId)).includes(point.union_id)) throw unknown()
  const slot = findSlot(
    body.slotId,
    await rulesFor(tx, { lawyerId, servicePointId }),
    await closuresFor(tx),
  )
  if (!slot) throw unknown()
  if (slot.startsAt.getTime() <= now.getTime()) throw new AppError('SLOT_IN_PAST')
  // Every booking can still be cancelled: none starts sooner than the cancel cutoff.
  if (slot.startsAt.getTime() < now.getTime() + minBookingLeadMs) {
    throw new AppError('SLOT_TOO_SOON')
  }

  const topic = await first<{ id: number }>(
    tx,
    sql`SELECT id FROM legal_topics WHERE id = ${body.topicId}`,
  )
  if (!topic) throw new AppError('NOT_FOUND', '咨询主题不存在，请重新选择')

  const upcoming = await first<{ n: number }>(
    tx,
    sql`SELECT count(*)::int AS n FROM legal_bookings
        WHERE member_id = ${caller.id} AND status = 'booked' AND starts_at > ${now}`,
  )
  if ((upcoming?.n ?? 0) >= maxUpcomingBookings) {
    throw new AppError('TOO_MANY_BOOKINGS')
  }

  const description = sealer.seal(body.description, descriptionContext(caller.id))
  const inserted = await first<{ id: number }>(
    tx,
    sql`INSERT INTO legal_bookings
          (member_id, lawyer_id, service_point_id, topic_id, starts_at, ends_at, phone, description,
           acted_by)
        VALUES (${caller.id}, ${slot.lawyerId}, ${slot.servicePointId}, ${body.topicId},
                ${slot.startsAt}, ${slot.endsAt}, ${body.phone}, ${description}, ${actedBy ?? null})
        ON CONFLICT (lawyer_id, starts_at) WHERE status <> 'cancelled' DO NOTHING
        RETURNING id`,
  ).catch((err: unknown) => {
    // The plain-text length CHECK of migration 0004 also measures the sealed text (about
    // 4/3 of the UTF-8 bytes, plus 45): until it is dropped, a long description cannot be kept.
    if (pgConstraint(err) === 'legal_bookings_description_length') {
      throw new AppError('BAD_REQUEST', '问题描述太长，请精简到 100 字以内后再提交')
    }
    throw err
  })
  if (!inserted) throw new AppError('SLOT_TAKEN')
  return memberBooking(tx, sealer, caller, inserted.id)
}

/** Cancels the caller's booking, until `cancelCutoffHours` before its start on the server's clock. */
export async function cancelBooking(
  tx: Tx,
  sealer: Sealer,
  caller: Caller,
  id: number,
  now: Date,
): Promise<MemberBooking> {
  const deadline = new Date(now.getTime() + cancelCutoffMs)
  const done = await first<{ id: number }>(
    tx,
    sql`UPDATE legal_bookings SET status = 'cancelled', cancelled_at = ${now}
        WHERE id = ${id} AND member_id = ${caller.id} AND status = 'booked'
          AND starts_at >= ${deadline}
        RETURNING id`,
  )
  if (!done) {
    const b = await first<{ status: BookingStatus }>(
      tx,
      sql`SELECT status FROM legal_bookings WHERE id = ${id} AND member_id = ${caller.id}`,
    )
    if (!b) throw new AppError('NOT_FOUND', '预约不存在')
    if (b.status !== 'booked') {
      throw new AppError('NOT_CANCELLABLE', '该预约已取消或已结束，不能再取消')
    }
    throw new AppError('TOO_LATE_TO_CANCEL')
  }
  return memberBooking(tx, sealer, caller, id)
}

/** Rates a completed consultation, once. */
export async function rateBooking(
  tx: Tx,
  sealer: Sealer,
  caller: Caller,
  id: number,
  rating: { stars: number; comment?: string },
  now: Date,
): Promise<MemberBooking> {
  const done = await first<{ id: number }>(
    tx,
    sql`UPDATE legal_bookings
        SET rating_stars = ${rating.stars}, rating_comment = ${rating.comment || null},
            rated_at = ${now}
        WHERE id = ${id} AND member_id = ${caller.id} AND status = 'completed'
          AND rating_stars IS NULL
        RETURNING id`,
  )
  if (!done) {
    const b = await first<{ status: BookingStatus; rating_stars: number | null }>(
      tx,
      sql`SELECT status, rating_stars FROM legal_bookings
          WHERE id = ${id} AND member_id = ${caller.id}`,
    )
    if (!b) throw new AppError('NOT_FOUND', '预约不存在')
    if (b.rating_stars !== null) throw new AppError('ALREADY_RATED')
    throw new AppError('NOT_RATEABLE')
  }
  return memberBooking(tx, sealer, caller, id)
}

/** The lawyer profile of the caller; 403 when they have none. */
export async function callerLawyerId(tx: Tx, caller: Caller): Promise<number> {
  const l = await first<{ id: number }>(
    tx,
    sql`SELECT id FROM legal_lawyers WHERE member_id = ${caller.id}`,
  )
  if (!l) throw new AppError('FORBIDDEN', '你还没有律师资料，请联系工会工作人员')
  return l.id
}

/** A lawyer's bookings (not cancelled) starting within [from, to), with descriptions and notes. */
export async function lawyerDay(
  tx: Tx,
  sealer: Sealer,
  caller: Caller,
  lawyerId: number,
  from: Date,
  to: Date,
): Promise<LawyerBooking[]> {
  const list = await confidentialRows(
    tx,
    sealer,
    sql`b.lawyer_id = ${lawyerId} AND b.status <> 'cancelled'
        AND b.starts_at >= ${from} AND b.starts_at < ${to}`,
    sql`b.starts_at, b.id`,
  )
  await logDescriptionRead(
    tx,
    caller.id,
    list.map((r) => r.id),
    'lawyer.day',
  )
  return list.map(lawyerView)
}

/** The lawyer marks their consultation completed or no-show once it has started; notes are sealed. */
export async function recordOutcome(
  tx: Tx,
  sealer: Sealer,
  caller: Caller,
  lawyerId: number,
  id: number,
  outcome: { status: 'completed' | 'no_show'; notes?: string },
  now: Date,
): Promise<LawyerBooking> {
  const notes = outcome.notes === undefined ? null : sealer.seal(outcome.notes, notesContext(id))
  const done = await first<{ id: number }>(
    tx,
    sql`UPDATE legal_bookings
        SET status = ${outcome.status}, notes = coalesce(${notes}, notes),
            outcome_at = ${now}
        WHERE id = ${id} AND lawyer_id = ${lawyerId} AND status = 'booked'
          AND starts_at <= ${now}
        RETURNING id`,
  )
  if (!done) {
    const b = await first<{ status: BookingStatus }>(
      tx,
      sql`SELECT status FROM legal_bookings WHERE id = ${id} AND lawyer_id = ${lawyerId}`,
    )
    if (!b) throw new AppError('NOT_FOUND', '预约不存在')
    if (b.status !== 'booked') throw new AppError('NOT_BOOKED')
    throw new AppError('CONSULTATION_NOT_STARTED')
  }
  const [row] = await confidentialRows(tx, sealer, sql`b.id = ${id}`)
  await logDescriptionRead(tx, caller.id, [id], 'lawyer.outcome')
  return lawyerView(row)
}

/**
 * The lawyer writes or rewrites their private notes (sealed at rest, bound to the booking) any time
 * after the consultation started — before, with or after the outcome; not on a cancelled booking.
 */
export async function saveNotes(
  tx: Tx,
  sealer: Sealer,
  caller: Caller,
  lawyerId: number,
  id: number,
  notes: string,
  now: Date,
): Promise<LawyerBooking> {
  const sealed = notes === '' ? null : sealer.seal(notes, notesContext(id))
  const done = await first<{ id: number }>(
    tx,
    sql`UPDATE legal_bookings SET notes = ${sealed}
        WHERE id = ${id} AND lawyer_id = ${lawyerId} AND status <> 'cancelled'
          AND starts_at <= ${now}
        RETURNING id`,
  )
  if (!done) {
    const b = await first<{ status: BookingStatus }>(
      tx,
      sql`SELECT status FROM legal_bookings WHERE id = ${id} AND lawyer_id = ${lawyerId}`,
    )
    if (!b) throw new AppError('NOT_FOUND', '预约不存在')
    if (b.status === 'cancelled') throw new AppError('NOT_BOOKED', '该预约已取消，不能记录备注')
    throw new AppError('CONSULTATION_NOT_STARTED', '咨询开始后才能记录备注')
  }
  // Who wrote notes when, never what.
  await audit(tx, {
    actorId: caller.id,
    action: 'legal_booking.notes',
    entity: 'legal_booking',
    entityId: id,
  })
  const [row] = await confidentialRows(tx, sealer, sql`b.id = ${id}`)
  await logDescriptionRead(tx, caller.id, [id], 'lawyer.notes')
  return lawyerView(row)
}

/**
 * Bookings at the service points of the given unions (a staff member's scope) — the columns
 * read here leave out the description, the phone and the notes altogether.
 */
export async function staffBookings(
  tx: Tx,
  unionIds: number[],
  filter: { from?: Date; to?: Date; servicePointId?: number },
): Promise<{ bookings: StaffBooking[]; total: number }> {
  const conditions = [sql`sp.union_id = ANY(${sql.param(unionIds)}::int[])`]
  if (filter.from) conditions.push(sql`b.starts_at >= ${filter.from}`)
  if (filter.to) conditions.push(sql`b.starts_at < ${filter.to}`)
  if (filter.servicePointId) conditions.push(sql`b.service_point_id = ${filter.servicePointId}`)
  const where = sql.join(conditions, sql` AND `)
  const list = await rows<CoreRow>(
    tx,
    sql`SELECT ${coreColumns} ${joins} WHERE ${where}
        ORDER BY b.starts_at DESC, b.id DESC LIMIT 500`,
  )
  const total = await first<{ n: number }>(
    tx,
    sql`SELECT count(*)::int AS n ${joins} WHERE ${where}`,
  )
  return {
    bookings: list.map((r) => ({
      ...core(r),
      memberId: r.member_id,
      memberNo: r.member_no,
      memberName: r.member_name,
      unionName: r.union_name,
    })),
    total: total?.n ?? 0,
  }
}

/** One booking as union staff see it (never the description, the phone or the notes). */
export async function staffBookingById(tx: Tx, id: number): Promise<StaffBooking> {
  const row = await first<CoreRow>(tx, sql`SELECT ${coreColumns} ${joins} WHERE b.id = ${id}`)
  if (!row) throw new AppError('NOT_FOUND', '预约不存在')
  return {
    ...core(row),
    memberId: row.member_id,
    memberNo: row.member_no,
    memberName: row.member_name,
    unionName: row.union_name,
  }
}
