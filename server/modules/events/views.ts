import { sql, type SQL } from 'drizzle-orm'
import {
  checkinOpensAt,
  type FlowerPhase,
  type Gender,
  type MemberEvent,
  type MyRegistration,
  type RegistrationStatus,
  type RegistrationSummary,
  type StaffEvent,
  type StaffRegistration,
} from '../../../src/contract/events'
import type { Tx } from '../../db/client'
import { first, rows } from '../../db/sql'
import { mapLocationOf } from '../../lib/map-location'
import { ancestorsOf } from '../org/union-tree'

// Hand-tuned SQL: events come with their counts and are locked (FOR UPDATE OF e) by sign-ups.
/** An event row with its counts and hosts. */
export interface EventRow {
  id: number
  title: string
  venue: string
  venue_latitude: number | null
  venue_longitude: number | null
  venue_address: string | null
  description: string
  starts_at: Date
  ends_at: Date
  signup_opens_at: Date
  signup_closes_at: Date
  capacity: number
  capacity_male: number | null
  capacity_female: number | null
  min_birth_year: number | null
  max_birth_year: number | null
  confirmed_male: number
  confirmed_female: number
  checkin_code: string
  flower_phase: FlowerPhase
  group_count: number | null
  rounds: number | null
  rotating_gender: Gender | null
  checkin_points: number
  current_round: number | null
  created_at: Date
  waitlist_count: number
  checked_in_count: number
  hosts: Array<{ id: number; name: string }>
}

/** The columns of `EventRow`, for `FROM events e`. */
export const eventColumns = sql`
  e.id, e.title, e.venue, e.venue_latitude, e.venue_longitude, e.venue_address, e.description,
  e.starts_at, e.ends_at, e.signup_opens_at,
  e.signup_closes_at, e.capacity, e.capacity_male, e.capacity_female, e.min_birth_year,
  e.max_birth_year, e.confirmed_male, e.confirmed_female, e.checkin_code, e.flower_phase,
  e.group_count, e.rounds, e.rotating_gender, e.checkin_points, e.current_round, e.created_at,
  (SELECT count(*)::int FROM event_registrations r
   WHERE r.event_id = e.id AND r.status = 'waitlisted') AS waitlist_count,
  (SELECT count(*)::int FROM event_registrations r
   WHERE r.event_id = e.id AND r.checked_in_at IS NOT NULL) AS checked_in_count,
  (SELECT coalesce(json_agg(json_build_object('id', u.id, 'name', u.name) ORDER BY u.id), '[]'::json)
   FROM event_hosts h JOIN unions u ON u.id = h.union_id WHERE h.event_id = e.id) AS hosts`

const iso = (d: Date | string) => new Date(d).toISOString()

/** Whether a gender still has a place: in all, and within its own cap when capped. */
export function placeFor(
  e: Pick<
    EventRow,
    'capacity' | 'capacity_male' | 'capacity_female' | 'confirmed_male' | 'confirmed_female'
  >,
  gender: Gender,
): boolean {
  if (e.confirmed_male + e.confirmed_female >= e.capacity) return false
  const cap = gender === 'male' ? e.capacity_male : e.capacity_female
  const taken = gender === 'male' ? e.confirmed_male : e.confirmed_female
  return cap === null || taken < cap
}

function eventBase(e: EventRow, now: Date) {
  const confirmed = e.confirmed_male + e.confirmed_female
  const left = Math.max(0, e.capacity - confirmed)
  const capped = e.capacity_male !== null && e.capacity_female !== null
  return {
    id: e.id,
    title: e.title,
    venue: e.venue,
    venueLocation: mapLocationOf(e.venue_latitude, e.venue_longitude, e.venue_address),
    description: e.description,
    startsAt: iso(e.starts_at),
    endsAt: iso(e.ends_at),
    signupOpensAt: iso(e.signup_opens_at),
    signupClosesAt: iso(e.signup_closes_at),
    capacity: e.capacity,
    capacityPerGender: capped
      ? { male: e.capacity_male as number, female: e.capacity_female as number }
      : null,
    hostUnionIds: e.hosts.map((h) => h.id),
    hostUnions: e.hosts,
    minBirthYear: e.min_birth_year,
    maxBirthYear: e.max_birth_year,
    confirmedCount: confirmed,
    waitlistCount: e.waitlist_count,
    confirmedPerGender: { male: e.confirmed_male, female: e.confirmed_female },
    placesLeft: left,
    placesLeftPerGender: capped
      ? {
          male: Math.min(left, Math.max(0, (e.capacity_male as number) - e.confirmed_male)),
          female: Math.min(left, Math.max(0, (e.capacity_female as number) - e.confirmed_female)),
        }
      : null,
    signupOpen:
      now.getTime() >= new Date(e.signup_opens_at).getTime() &&
      now.getTime() < new Date(e.signup_closes_at).getTime(),
    flowerPhase: e.flower_phase,
    checkinPoints: e.checkin_points,
    checkinOpensAt: checkinOpensAt(e.starts_at).toISOString(),
  }
}

export function staffEventView(e: EventRow, now: Date): StaffEvent {
  return {
    ...eventBase(e, now),
    checkedInCount: e.checked_in_count,
    groupCount: e.group_count,
    rounds: e.rounds,
    rotating: e.rotating_gender,
    currentRound: e.current_round,
    createdAt: iso(e.created_at),
  }
}

/** A registration row with its waitlist position (null unless waitlisted). */
export interface RegistrationRow {
  id: number
  event_id: number
  member_id: number
  public_id: string
  checkin_code: string
  nickname: string
  gender: Gender
  birth_year: number
  intro: string
  show_details: boolean
  status: RegistrationStatus
  queue_seq: number
  signed_up_at: Date
  cancelled_at: Date | null
  checked_in_at: Date | null
  start_group: number | null
  cohort: 'stationary' | 'rotating' | null
  waitlist_position: number | null
  /** Staff who signed the member up (代办), or null. */
  acted_by?: number | null
}

/** The columns of `RegistrationRow`, for `FROM event_registrations r`. */
export const registrationColumns = sql`
  r.id, r.event_id, r.member_id, r.public_id, r.checkin_code, r.nickname, r.gender, r.birth_year,
  r.intro, r.show_details, r.status, r.queue_seq, r.signed_up_at, r.cancelled_at, r.checked_in_at,
  r.start_group, r.cohort, r.acted_by,
  CASE WHEN r.status = 'waitlisted' THEN
    (SELECT count(*)::int FROM event_registrations w
     WHERE w.event_id = r.event_id AND w.status = 'waitlisted' AND w.queue_seq <= r.queue_seq)
  END AS waitlist_position`

export function registrationSummaryView(r: RegistrationRow): RegistrationSummary {
  return {
    id: r.id,
    status: r.status,
    ...(r.waitlist_position !== null ? { waitlistPosition: r.waitlist_position } : {}),
    checkedIn: r.checked_in_at !== null,
    ...(typeof r.acted_by === 'number' ? { actedByStaff: true } : {}),
  }
}

export function myRegistrationView(r: RegistrationRow): MyRegistration {
  return {
    ...registrationSummaryView(r),
    eventId: r.event_id,
    attendeeId: r.public_id,
    profile: {
      nickname: r.nickname,
      gender: r.gender,
      birthYear: r.birth_year,
      intro: r.intro,
      showDetails: r.show_details,
    },
    checkinCode: r.checkin_code,
    checkedInAt: r.checked_in_at === null ? null : iso(r.checked_in_at),
    signedUpAt: iso(r.signed_up_at),
    cancelledAt: r.cancelled_at === null ? null : iso(r.cancelled_at),
  }
}

export async function findRegistration(tx: Tx, where: SQL): Promise<RegistrationRow | undefined> {
  return first<RegistrationRow>(
    tx,
    sql`SELECT ${registrationColumns} FROM event_registrations r WHERE ${where}`,
  )
}

/**
 * Events a member of `unionId` may join (a host is their union or an ancestor of it), plus any
 * they hold a registration for; upcoming first, then by start.
 */
export async function memberEvents(
  tx: Tx,
  caller: { id: number; unionId: number },
  now: Date,
  eventId?: number,
): Promise<MemberEvent[]> {
  const list = await rows<EventRow & { reg: RegistrationRow | null }>(
    tx,
    sql`SELECT ${eventColumns},
               (SELECT row_to_json(x) FROM (
                  SELECT ${registrationColumns} FROM event_registrations r
                  WHERE r.event_id = e.id AND r.member_id = ${caller.id}) x) AS reg
        FROM events e
        WHERE (EXISTS (SELECT 1 FROM event_hosts h
                       JOIN ${ancestorsOf(caller.unionId)} up ON up.id = h.union_id
                       WHERE h.event_id = e.id)
               OR EXISTS (SELECT 1 FROM event_registrations r
                          WHERE r.event_id = e.id AND r.member_id = ${caller.id}))
          ${eventId === undefined ? sql`` : sql`AND e.id = ${eventId}`}
        ORDER BY e.ends_at < ${now}, e.starts_at, e.id`,
  )
  return list.map((e) => ({
    ...eventBase(e, now),
    myRegistration: e.reg ? registrationSummaryView(e.reg) : null,
  }))
}

/** The events with a host in `scope` (a staff member's unions), newest start first. */
export async function staffEvents(tx: Tx, scope: number[], now: Date): Promise<StaffEvent[]> {
  if (scope.length === 0) return []
  const list = await rows<EventRow>(
    tx,
    sql`SELECT ${eventColumns} FROM events e
        WHERE EXISTS (SELECT 1 FROM event_hosts h
                      WHERE h.event_id = e.id AND h.union_id = ANY(${sql.raw(`ARRAY[${scope.map(Number).join(',')}]::int[]`)}))
        ORDER BY e.starts_at DESC, e.id DESC`,
  )
  return list.map((e) => staffEventView(e, now))
}

export async function eventById(tx: Tx, eventId: number, lock?: 'update' | 'share') {
  return first<EventRow>(
    tx,
    sql`SELECT ${eventColumns} FROM events e WHERE e.id = ${eventId}
        ${lock === 'update' ? sql`FOR UPDATE OF e` : lock === 'share' ? sql`FOR SHARE OF e` : sql``}`,
  )
}

/** Registrations for staff: confirmed, then the waitlist in order, then the cancelled. */
export async function staffRegistrations(
  tx: Tx,
  eventId: number,
  where: SQL = sql`TRUE`,
): Promise<StaffRegistration[]> {
  const list = await rows<
    RegistrationRow & { member_no: string; member_name: string; union_name: string }
  >(
    tx,
    sql`SELECT ${registrationColumns}, m.member_no, m.name AS member_name, u.name AS union_name
        FROM event_registrations r
        JOIN members m ON m.id = r.member_id JOIN unions u ON u.id = m.union_id
        WHERE r.event_id = ${eventId} AND ${where}
        ORDER BY CASE r.status WHEN 'confirmed' THEN 0 WHEN 'waitlisted' THEN 1 ELSE 2 END,
                 r.queue_seq`,
  )
  return list.map((r) => ({
    id: r.id,
    attendeeId: r.public_id,
    memberId: r.member_id,
    memberNo: r.member_no,
    memberName: r.member_name,
    unionName: r.union_name,
    nickname: r.nickname,
    gender: r.gender,
    birthYear: r.birth_year,
    intro: r.intro,
    status: r.status,
    ...(r.waitlist_position !== null ? { waitlistPosition: r.waitlist_position } : {}),
    checkedIn: r.checked_in_at !== null,
    checkedInAt: r.checked_in_at === null ? null : iso(r.checked_in_at),
    signedUpAt: iso(r.signed_up_at),
  }))
}
