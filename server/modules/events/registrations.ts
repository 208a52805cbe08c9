import { sql } from 'drizzle-orm'
import {
  checkinOpensAt,
  type Gender,
  type MyRegistration,
  type Profile,
} from '../../../src/contract/events'
import type { Tx } from '../../db/client'
import { first, pgConstraint, rows } from '../../db/sql'
import { AppError } from '../../lib/errors'
import { shanghaiDateTime } from '../../lib/time'
import { ancestorsOf } from '../org/union-tree'
import { newAttendeeId, newPersonalCheckinCode } from './codes'
import { findRegistration, myRegistrationView, placeFor, type RegistrationRow } from './views'
import { notifyWaitlistPromoted } from '../notifications/outbox'

/** The event's row as sign-up and cancellation see it, locked. */
interface LockedEvent {
  id: number
  capacity: number
  capacity_male: number | null
  capacity_female: number | null
  confirmed_male: number
  confirmed_female: number
  min_birth_year: number | null
  max_birth_year: number | null
  signup_opens_at: Date
  signup_closes_at: Date
  starts_at: Date
  signup_seq: number
  now: Date
}

/**
 * Locks the event row (FOR UPDATE): sign-ups and cancellations of one event queue up here, so
 * the counters and the waitlist order they read are current and nobody else changes them until
 * this transaction ends. Returns undefined when there is no such event.
 */
async function lockEvent(tx: Tx, eventId: number): Promise<LockedEvent | undefined> {
  return first<LockedEvent>(
    tx,
    sql`SELECT id, capacity, capacity_male, capacity_female, confirmed_male, confirmed_female,
               min_birth_year, max_birth_year, signup_opens_at, signup_closes_at, starts_at,
               signup_seq, now() AS now
        FROM events WHERE id = ${eventId} FOR UPDATE`,
  )
}

/** Adds `delta` to the confirmed counter of `gender` (CHECKs keep it within capacity). */
async function countConfirmed(tx: Tx, eventId: number, gender: Gender, delta: number) {
  await tx.execute(
    gender === 'male'
      ? sql`UPDATE events SET confirmed_male = confirmed_male + ${delta} WHERE id = ${eventId}`
      : sql`UPDATE events SET confirmed_female = confirmed_female + ${delta} WHERE id = ${eventId}`,
  )
}

/**
 * Why a member may not join: not under a host union, or born outside the range.
 * Returns the reason in Chinese, or null when eligible.
 */
async function ineligibleBecause(
  tx: Tx,
  e: LockedEvent,
  unionId: number,
  birthYear: number,
): Promise<string | null> {
  const hosts = await rows<{ name: string; reaches: boolean }>(
    tx,
    sql`SELECT u.name, u.id IN (SELECT id FROM ${ancestorsOf(unionId)} up) AS reaches
        FROM event_hosts h JOIN unions u ON u.id = h.union_id
        WHERE h.event_id = ${e.id} ORDER BY u.id`,
  )
  if (!hosts.some((h) => h.reaches)) {
    return `本活动仅限${hosts.map((h) => h.name).join('、')}及其下级工会的会员报名，你所在的工会不在其中`
  }
  const min = e.min_birth_year
  const max = e.max_birth_year
  if ((min !== null && birthYear < min) || (max !== null && birthYear > max)) {
    const range =
      min !== null && max !== null
        ? `${min}–${max} 年出生`
        : min !== null
          ? `${min} 年及以后出生`
          : `${max} 年及以前出生`
    return `本活动仅限${range}的会员报名（你填写的出生年份是 ${birthYear} 年）`
  }
  return null
}

async function registrationOf(tx: Tx, registrationId: number): Promise<MyRegistration> {
  const row = await findRegistration(tx, sql`r.id = ${registrationId}`)
  if (!row) throw new AppError('INTERNAL')
  return myRegistrationView(row)
}

/**
 * Signs a member up, in the caller's transaction: under the event's lock, a place is taken if
 * one is free for the member's gender (the counters' CHECKs back this up), otherwise the member
 * joins the back of the waitlist. A member who cancelled may sign up again: the same
 * registration comes back, at the back of the line (a new `queue_seq`), like a new sign-up.
 */
export async function signUp(
  tx: Tx,
  req: {
    eventId: number
    memberId: number
    unionId: number
    profile: Profile
    /** Union staff signing the member up (代办); absent when the member signs up. */
    actedBy?: number
  },
): Promise<MyRegistration> {
  const e = await lockEvent(tx, req.eventId)
  if (!e) throw new AppError('NOT_FOUND', '活动不存在')
  const why = await ineligibleBecause(tx, e, req.unionId, req.profile.birthYear)
  if (why) throw new AppError('NOT_ELIGIBLE', why)
  const existing = await first<{ id: number; status: string }>(
    tx,
    sql`SELECT id, status FROM event_registrations
        WHERE event_id = ${e.id} AND member_id = ${req.memberId}`,
  )
  if (existing && existing.status !== 'cancelled') {
    throw new AppError(
      'ALREADY_SIGNED_UP',
      existing.status === 'waitlisted' ? '你已在候补名单中' : '你已经报过名了',
    )
  }
  const now = new Date(e.now)
  if (now < new Date(e.signup_opens_at)) {
    throw new AppError(
      'SIGNUP_CLOSED',
      `报名将于 ${shanghaiDateTime(new Date(e.signup_opens_at))} 开始，现在还不能报名`,
    )
  }
  if (now >= new Date(e.signup_closes_at)) {
    throw new AppError(
      'SIGNUP_CLOSED',
      `报名已于 ${shanghaiDateTime(new Date(e.signup_closes_at))} 截止`,
    )
  }
  const confirmed = placeFor(e, req.profile.gender)
  const seq = e.signup_seq + 1
  await tx.execute(sql`UPDATE events SET signup_seq = ${seq} WHERE id = ${e.id}`)
  if (confirmed) await countConfirmed(tx, e.id, req.profile.gender, 1)
  const status = confirmed ? 'confirmed' : 'waitlisted'
  const p = req.profile
  let id: number | undefined
  if (existing) {
    const row = await first<{ id: number }>(
      tx,
      sql`UPDATE event_registrations
          SET nickname = ${p.nickname}, gender = ${p.gender}, birth_year = ${p.birthYear},
              intro = ${p.intro}, show_details = ${p.showDetails}, status = ${status},
              queue_seq = ${seq}, signed_up_at = now(), cancelled_at = NULL,
              checked_in_at = NULL, start_group = NULL, cohort = NULL,
              acted_by = ${req.actedBy ?? null}
          WHERE id = ${existing.id} AND status = 'cancelled' RETURNING id`,
    )
    id = row?.id
  } else {
    // The random codes practically never collide; a collision fails the request (500) and a
    // retry draws new ones.
    const row = await first<{ id: number }>(
      tx,
      sql`INSERT INTO event_registrations (event_id, member_id, public_id, checkin_code, nickname,
                                           gender, birth_year, intro, show_details, status,
                                           queue_seq, acted_by)
          VALUES (${e.id}, ${req.memberId}, ${newAttendeeId()}, ${newPersonalCheckinCode()},
                  ${p.nickname}, ${p.gender}, ${p.birthYear}, ${p.intro}, ${p.showDetails},
                  ${status}, ${seq}, ${req.actedBy ?? null})
          RETURNING id`,
    )
    id = row?.id
  }
  if (id === undefined) throw new AppError('INTERNAL')
  return registrationOf(tx, id)
}

/**
 * Cancels the member's registration. A confirmed place goes, in the same transaction and under
 * the event's lock, to the first on the waitlist (FIFO) whose gender has room. Cancelling again
 * answers the cancelled registration. Not possible once checked in or once the event started.
 */
export async function cancelSignup(
  tx: Tx,
  req: { eventId: number; memberId: number },
): Promise<{ registration: MyRegistration; promotedId: number | null }> {
  const e = await lockEvent(tx, req.eventId)
  if (!e) throw new AppError('NOT_FOUND', '活动不存在')
  const mine = await findRegistration(
    tx,
    sql`r.event_id = ${e.id} AND r.member_id = ${req.memberId}`,
  )
  if (!mine) throw new AppError('NOT_SIGNED_UP')
  if (mine.status === 'cancelled')
    return { registration: myRegistrationView(mine), promotedId: null }
  if (mine.checked_in_at !== null) {
    throw new AppError('NOT_CANCELLABLE', '你已签到，不能取消报名')
  }
  if (new Date(e.now) >= new Date(e.starts_at)) {
    throw new AppError('NOT_CANCELLABLE', '活动已开始，不能取消报名')
  }
  // Conditional: a check-in that committed meanwhile wins (and the CHECK forbids both).
  const done = await first<{ id: number }>(
    tx,
    sql`UPDATE event_registrations SET status = 'cancelled', cancelled_at = now()
        WHERE id = ${mine.id} AND status IN ('confirmed', 'waitlisted') AND checked_in_at IS NULL
        RETURNING id`,
  )
  if (!done) throw new AppError('NOT_CANCELLABLE', '你已签到，不能取消报名')
  let promotedId: number | null = null
  if (mine.status === 'confirmed') {
    await countConfirmed(tx, e.id, mine.gender, -1)
    const after = {
      ...e,
      confirmed_male: e.confirmed_male - (mine.gender === 'male' ? 1 : 0),
      confirmed_female: e.confirmed_female - (mine.gender === 'female' ? 1 : 0),
    }
    // One place freed: at most one promotion.
    promotedId = (await fillFromWaitlist(tx, after))[0] ?? null
  }
  return { registration: await registrationOf(tx, mine.id), promotedId }
}

/** An event's places as `fillFromWaitlist` needs them (read under the event's lock). */
export type EventPlaces = Pick<
  LockedEvent,
  'id' | 'capacity' | 'capacity_male' | 'capacity_female' | 'confirmed_male' | 'confirmed_female'
>

/**
 * Gives free places to the waitlist, in the caller's transaction and under the event's lock
 * (the caller holds it): in waitlist order (FIFO), each time the first whose gender has room,
 * until no place fits anyone waiting. Each promoted member gets the waitlist-promoted subscribe
 * message in the same transaction. Returns the promoted registration ids, in order.
 */
export async function fillFromWaitlist(tx: Tx, places: EventPlaces): Promise<number[]> {
  const now = { ...places }
  const promoted: number[] = []
  for (;;) {
    const fits = (['male', 'female'] as const).filter((g) => placeFor(now, g))
    if (fits.length === 0) break
    const next = await first<{ id: number; gender: Gender }>(
      tx,
      sql`SELECT id, gender FROM event_registrations
          WHERE event_id = ${now.id} AND status = 'waitlisted'
            AND gender IN (${sql.join(
              fits.map((g) => sql`${g}`),
              sql`, `,
            )})
          ORDER BY queue_seq LIMIT 1`,
    )
    if (!next) break
    await tx.execute(sql`UPDATE event_registrations SET status = 'confirmed' WHERE id = ${next.id}`)
    await countConfirmed(tx, now.id, next.gender, 1)
    if (next.gender === 'male') now.confirmed_male++
    else now.confirmed_female++
    promoted.push(next.id)
    // The promoted member's subscribe message, in this transaction.
    await notifyWaitlistPromoted(tx, next.id)
  }
  return promoted
}

/** Why a registration cannot be checked in, as an error; undefined when it can. */
function checkinRefusal(r: RegistrationRow | undefined, forStaff: boolean): AppError | undefined {
  if (!r) {
    return new AppError('NOT_SIGNED_UP', forStaff ? '该会员没有报名本活动' : undefined)
  }
  if (r.status === 'cancelled') {
    return new AppError('NOT_SIGNED_UP', forStaff ? '该会员已取消报名' : '你已取消报名')
  }
  if (r.status === 'waitlisted') {
    return new AppError(
      'NOT_CONFIRMED',
      forStaff ? '该会员还在候补名单中，不能签到' : '你还在候补名单中，不能签到',
    )
  }
  return undefined
}

/**
 * Why the event takes no check-in now: before `checkinOpensMinutesBefore` ahead of the start
 * (a member five days early), or after the end. Undefined inside the window.
 */
export function checkinWindowRefusal(
  e: { starts_at: Date | string; ends_at: Date | string },
  now: Date,
): AppError | undefined {
  const opens = checkinOpensAt(e.starts_at)
  if (now < opens) {
    return new AppError('CHECKIN_NOT_OPEN', `签到将于 ${shanghaiDateTime(opens)} 开放，请到时再来`)
  }
  if (now >= new Date(e.ends_at)) {
    return new AppError(
      'CHECKIN_NOT_OPEN',
      `活动已于 ${shanghaiDateTime(new Date(e.ends_at))} 结束，不能再签到`,
    )
  }
  return undefined
}

/**
 * The event's check-in points to the attendee, in the check-in's transaction: a lot (no expiry),
 * the balance and an `earn` ledger entry naming the registration. The unique index
 * `point_ledger_earn_once` holds "once per attendee" whatever happens; the statement also skips
 * a registration that has its entry already, so a repeat inserts nothing.
 */
async function earnCheckinPoints(
  tx: Tx,
  r: { registrationId: number; memberId: number },
  e: { title: string; checkin_points: number },
): Promise<void> {
  if (e.checkin_points <= 0) return
  const points = e.checkin_points
  const reason = `活动签到：${e.title}`.slice(0, 60)
  await tx.execute(
    sql`INSERT INTO point_accounts (member_id, balance) VALUES (${r.memberId}, 0)
        ON CONFLICT (member_id) DO NOTHING`,
  )
  await tx.execute(
    sql`WITH credited AS (
          UPDATE point_accounts SET balance = balance + ${points}
          WHERE member_id = ${r.memberId}
            AND NOT EXISTS (SELECT 1 FROM point_ledger
                            WHERE kind = 'earn' AND registration_id = ${r.registrationId})
          RETURNING balance
        ), lot AS (
          INSERT INTO point_lots (member_id, kind, amount, remaining, reason)
          SELECT ${r.memberId}, 'earn', ${points}, ${points}, ${reason} FROM credited
          RETURNING id
        )
        INSERT INTO point_ledger (member_id, kind, amount, balance_after, reason, lot_id,
                                  registration_id)
        SELECT ${r.memberId}, 'earn', ${points}, credited.balance, ${reason}, lot.id,
               ${r.registrationId}
        FROM credited, lot`,
  )
}

/**
 * Checks a confirmed registration in (idempotent: checking in again keeps the first time),
 * inside the event's check-in window (see `checkinWindowRefusal`); the first check-in earns the
 * event's `checkin_points` in the same transaction. Returns whether this call checked it in.
 */
export async function checkIn(
  tx: Tx,
  registration: RegistrationRow | undefined,
  forStaff: boolean,
): Promise<{ registrationId: number; changed: boolean }> {
  const refusal = checkinRefusal(registration, forStaff)
  if (refusal || !registration) throw refusal ?? new AppError('INTERNAL')
  if (registration.checked_in_at !== null) {
    return { registrationId: registration.id, changed: false }
  }
  const e = await first<{
    title: string
    starts_at: Date
    ends_at: Date
    checkin_points: number
    now: Date
  }>(
    tx,
    sql`SELECT title, starts_at, ends_at, checkin_points, now() AS now FROM events
        WHERE id = ${registration.event_id}`,
  )
  if (!e) throw new AppError('NOT_FOUND', '活动不存在')
  const closed = checkinWindowRefusal(e, new Date(e.now))
  if (closed) throw closed
  const row = await first<{ id: number }>(
    tx,
    sql`UPDATE event_registrations SET checked_in_at = now()
        WHERE id = ${registration.id} AND status = 'confirmed' AND checked_in_at IS NULL
        RETURNING id`,
  )
  if (row) {
    // The attendee's 3 flowers (see flower_allowances).
    await tx.execute(
      sql`INSERT INTO flower_allowances (registration_id, event_id)
          VALUES (${row.id}, ${registration.event_id}) ON CONFLICT DO NOTHING`,
    )
    await earnCheckinPoints(tx, { registrationId: row.id, memberId: registration.member_id }, e)
    return { registrationId: row.id, changed: true }
  }
  // Someone else changed it meanwhile (a parallel check-in or a cancellation): read again.
  const now = await findRegistration(tx, sql`r.id = ${registration.id}`)
  const again = checkinRefusal(now, forStaff)
  if (again) throw again
  return { registrationId: registration.id, changed: false }
}

/** Whether a database error is the unique (event, member) guard. */
export const isDuplicateSignup = (err: unknown) =>
  pgConstraint(err) === 'event_registrations_one_per_member'
