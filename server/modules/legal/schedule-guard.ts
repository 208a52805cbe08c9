import { sql, type SQL } from 'drizzle-orm'
import type { Tx } from '../../db/client'
import { rows } from '../../db/sql'
import { AppError } from '../../lib/errors'
import { SHANGHAI_OFFSET_MS } from '../../lib/time'

/**
 * Staff changes to the schedule (closures, rules, retiring a lawyer or a service point) never
 * strand a booked consultation: a change that would leave upcoming bookings without their slot is
 * refused with the bookings listed, so staff reach the members first (cancel or rebook). To hold
 * that against a booking made at the same moment, both sides take the schedule's advisory lock:
 * a booking `shared` on the whole schedule and on its service point, a change `exclusive` on the
 * service point it touches (or on the whole schedule: a closure everywhere, a lawyer retired). A
 * booking then either committed before the change looked for bookings, or waits for the change
 * and sees the new schedule.
 */
const SCHEDULE_LOCK = 72_810_300
/** The second key of the whole schedule's lock (service point ids are positive). */
const EVERYWHERE = 0

/** The lock a booking takes (always after its member row lock, always in this order). */
export async function lockScheduleForBooking(tx: Tx, servicePointId: number): Promise<void> {
  await tx.execute(
    sql`SELECT pg_advisory_xact_lock_shared(${SCHEDULE_LOCK}::int, ${EVERYWHERE}::int),
               pg_advisory_xact_lock_shared(${SCHEDULE_LOCK}::int, ${servicePointId}::int)`,
  )
}

/** The lock a schedule change takes: one service point, or (null) the whole schedule. */
export async function lockScheduleForChange(tx: Tx, servicePointId: number | null): Promise<void> {
  await tx.execute(
    sql`SELECT pg_advisory_xact_lock(${SCHEDULE_LOCK}::int, ${servicePointId ?? EVERYWHERE}::int)`,
  )
}

/** An upcoming booked consultation a change would touch. */
export interface AffectedBooking {
  id: number
  lawyerId: number
  servicePointId: number
  startsAt: Date
  lawyerName: string
  memberName: string
}

/** Booked (not cancelled, no outcome yet) consultations starting after `now`, matching `where`. */
export async function upcomingBookings(tx: Tx, where: SQL, now: Date): Promise<AffectedBooking[]> {
  const list = await rows<{
    id: number
    lawyer_id: number
    service_point_id: number
    starts_at: Date | string
    lawyer_name: string
    member_name: string
  }>(
    tx,
    sql`SELECT b.id, b.lawyer_id, b.service_point_id, b.starts_at, lm.name AS lawyer_name,
               m.name AS member_name
        FROM legal_bookings b
        JOIN members m ON m.id = b.member_id
        JOIN legal_lawyers l ON l.id = b.lawyer_id
        JOIN members lm ON lm.id = l.member_id
        WHERE b.status = 'booked' AND b.starts_at > ${now} AND ${where}
        ORDER BY b.starts_at, b.id`,
  )
  return list.map((r) => ({
    id: r.id,
    lawyerId: r.lawyer_id,
    servicePointId: r.service_point_id,
    startsAt: new Date(r.starts_at),
    lawyerName: r.lawyer_name,
    memberName: r.member_name,
  }))
}

/** 张三 → 张*, 欧阳小明 → 欧**明: enough for staff to tell bookings apart in a message. */
export function maskName(name: string): string {
  const chars = [...name.trim()]
  if (chars.length <= 1) return chars.join('') || '*'
  if (chars.length === 2) return `${chars[0]}*`
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`
}

const weekdays = ['日', '一', '二', '三', '四', '五', '六']
const pad = (n: number) => String(n).padStart(2, '0')

/** `12月5日（周六）14:00`, Asia/Shanghai. */
export function bookingTimeText(at: Date): string {
  const d = new Date(at.getTime() + SHANGHAI_OFFSET_MS)
  return (
    `${d.getUTCMonth() + 1}月${d.getUTCDate()}日（周${weekdays[d.getUTCDay()]}）` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
  )
}

/** How many bookings a refusal names before saying "等 N 个". */
const LISTED = 8

/**
 * Refuses a change (409 `BOOKINGS_AFFECTED`) when `affected` is not empty; the message names the
 * bookings: `#id 时间 律师 · 会员（masked）`.
 */
export function refuseIfAffected(affected: AffectedBooking[], change: string): void {
  if (affected.length === 0) return
  const listed = affected
    .slice(0, LISTED)
    .map(
      (b) =>
        `#${b.id} ${bookingTimeText(b.startsAt)} ${b.lawyerName}律师 · 会员${maskName(b.memberName)}`,
    )
    .join('；')
  const more = affected.length > LISTED ? ` 等 ${affected.length} 个` : ''
  throw new AppError(
    'BOOKINGS_AFFECTED',
    `${change}会影响 ${affected.length} 个已预约的咨询，未保存：${listed}${more}。` +
      '请先联系这些会员取消或改约，再来修改。',
  )
}
