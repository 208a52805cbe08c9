import assert from 'node:assert/strict'
import { sql } from 'drizzle-orm'
import type {
  CreateEventInput,
  Gender,
  MyRegistration,
  StaffEvent,
} from '../../src/contract/events'
import { first, rows } from '../../server/db/sql'
import type { Db } from '../../server/db/client'
import type { TestServer } from './server'

const hour = 3600_000

/** Sign-up open since an hour ago, closing tomorrow; the event the day after, four hours long. */
export function openWindows(now = Date.now()) {
  return {
    signupOpensAt: new Date(now - hour).toISOString(),
    signupClosesAt: new Date(now + 24 * hour).toISOString(),
    startsAt: new Date(now + 48 * hour).toISOString(),
    endsAt: new Date(now + 52 * hour).toISOString(),
  }
}

/** The three co-hosts of the mixer (通州, 武清, 廊坊 — three cities). */
export async function mixerHosts(db: Db): Promise<number[]> {
  const list = await rows<{ id: number }>(
    db,
    sql`SELECT id FROM unions WHERE name IN ('通州区总工会', '武清区总工会', '廊坊市总工会')
        ORDER BY id`,
  )
  assert.equal(list.length, 3)
  return list.map((u) => u.id)
}

/** The three city/province federations: every demo member may join. */
export async function rootHosts(db: Db): Promise<number[]> {
  const list = await rows<{ id: number }>(db, sql`SELECT id FROM unions WHERE parent_id IS NULL`)
  return list.map((u) => u.id)
}

/** The shared one, re-exported for the events tests. */
export { expectError } from './api'

export async function createEvent(
  s: TestServer,
  token: string,
  fields: Partial<CreateEventInput> & { hostUnionIds: number[] },
): Promise<StaffEvent> {
  const res = await s.request({
    method: 'POST',
    url: '/api/v1/staff/events',
    token,
    body: { title: '测试联谊', venue: '测试场地', capacity: 10, ...openWindows(), ...fields },
  })
  assert.equal(res.statusCode, 201, res.body)
  return (res.json() as { event: StaffEvent }).event
}

export function profile(
  gender: Gender,
  nickname = `昵称${Math.random().toString(36).slice(2, 7)}`,
) {
  return { nickname, gender, birthYear: 1995, intro: '你好' }
}

export function signUpRequest(
  s: TestServer,
  token: string,
  eventId: number,
  gender: Gender,
  nickname?: string,
) {
  return s.request({
    method: 'POST',
    url: `/api/v1/events/${eventId}/signup`,
    token,
    body: { profile: profile(gender, nickname) },
  })
}

export async function signUp(
  s: TestServer,
  token: string,
  eventId: number,
  gender: Gender,
  nickname?: string,
): Promise<MyRegistration> {
  const res = await signUpRequest(s, token, eventId, gender, nickname)
  assert.equal(res.statusCode, 201, res.body)
  return (res.json() as { registration: MyRegistration }).registration
}

export async function checkInByStaff(
  s: TestServer,
  staffToken: string,
  eventId: number,
  memberId: number,
) {
  const res = await s.request({
    method: 'POST',
    url: `/api/v1/staff/events/${eventId}/checkins`,
    token: staffToken,
    body: { memberId },
  })
  assert.equal(res.statusCode, 200, res.body)
}

export async function setPhase(s: TestServer, staffToken: string, eventId: number, open: boolean) {
  const res = await s.request({
    method: 'POST',
    url: `/api/v1/staff/events/${eventId}/flower-phase`,
    token: staffToken,
    body: { open },
  })
  assert.equal(res.statusCode, 200, res.body)
}

/**
 * The rules of events and flowers, checked in SQL; every broken one (empty when all hold).
 */
export async function brokenEventInvariants(db: Db): Promise<string[]> {
  const problems: string[] = []
  const counters = await rows<{ id: number }>(
    db,
    sql`SELECT e.id FROM events e
        WHERE e.confirmed_male <> (SELECT count(*) FROM event_registrations r
                                   WHERE r.event_id = e.id AND r.status = 'confirmed'
                                     AND r.gender = 'male')
           OR e.confirmed_female <> (SELECT count(*) FROM event_registrations r
                                     WHERE r.event_id = e.id AND r.status = 'confirmed'
                                       AND r.gender = 'female')`,
  )
  for (const c of counters) problems.push(`event ${c.id}: confirmed counters drift`)
  const over = await rows<{ id: number }>(
    db,
    sql`SELECT e.id FROM events e
        WHERE e.confirmed_male + e.confirmed_female > e.capacity
           OR e.confirmed_male > coalesce(e.capacity_male, e.capacity)
           OR e.confirmed_female > coalesce(e.capacity_female, e.capacity)`,
  )
  for (const c of over) problems.push(`event ${c.id}: over capacity`)
  const flowers = await rows<{ id: number }>(
    db,
    sql`SELECT r.id FROM event_registrations r
        LEFT JOIN flower_allowances a ON a.registration_id = r.id
        WHERE coalesce(a.flowers_left, 3) + (SELECT count(*) FROM flowers f WHERE f.sender_id = r.id) <> 3
           OR (a.registration_id IS NULL) <> (r.checked_in_at IS NULL)`,
  )
  for (const f of flowers) problems.push(`registration ${f.id}: flowers_left + sent ≠ 3`)
  const strays = await first<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM flowers f
        JOIN event_registrations s ON s.id = f.sender_id
        JOIN event_registrations t ON t.id = f.recipient_id
        WHERE s.checked_in_at IS NULL OR t.checked_in_at IS NULL OR s.event_id <> t.event_id`,
  )
  if (strays && strays.n > 0) problems.push(`${strays.n} flowers outside checked-in attendees`)
  return problems
}

/**
 * An event's times as an organiser moves them (PATCH, as staff do to demonstrate): `checkin` puts
 * the start 30 minutes ahead (check-in open, sign-up still open until the start); `started` puts
 * the start a minute ago (sign-up closed; check-in, groups, rounds and flowers allowed).
 */
export function eventTimesAt(moment: 'checkin' | 'started', now = Date.now()) {
  const minute = 60_000
  const startsAt = moment === 'checkin' ? now + 30 * minute : now - minute
  return {
    signupOpensAt: new Date(now - 2 * hour).toISOString(),
    signupClosesAt: new Date(moment === 'checkin' ? startsAt : now - minute).toISOString(),
    startsAt: new Date(startsAt).toISOString(),
    endsAt: new Date(now + 4 * hour).toISOString(),
  }
}

/** Moves the event's times (see `eventTimesAt`) through `PATCH /staff/events/:id`. */
export async function moveEventTo(
  s: TestServer,
  staffToken: string,
  eventId: number,
  moment: 'checkin' | 'started',
): Promise<StaffEvent> {
  const res = await s.request({
    method: 'PATCH',
    url: `/api/v1/staff/events/${eventId}`,
    token: staffToken,
    body: eventTimesAt(moment),
  })
  assert.equal(res.statusCode, 200, res.body)
  return (res.json() as { event: StaffEvent }).event
}
