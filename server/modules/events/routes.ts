import { eq, inArray, sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import {
  eventWindowsMessage,
  eventWindowsValid,
  perGenderFits,
  perGenderMessage,
  type GroupsResponse,
} from '../../../src/contract/events'
import { routes } from '../../../src/contract/routes'
import type { Tx } from '../../db/client'
import { eventHosts, events, unions } from '../../db/schema'
import { first, pgConstraint, rows } from '../../db/sql'
import { audit } from '../../lib/audit'
import { AppError } from '../../lib/errors'
import { shanghaiDateTime } from '../../lib/time'
import type { Caller } from '../../lib/route'
import { handle } from '../../lib/route'
import { staffScope } from '../org/union-tree'
import { newEventCheckinCode } from './codes'
import { checkedInAttendee, myFlowers, organiserMatches, sendFlower } from './flowers'
import { cancelSignup, checkIn, fillFromWaitlist, isDuplicateSignup, signUp } from './registrations'
import { assignGroups, schedule } from './rotation'
import {
  eventById,
  findRegistration,
  memberEvents,
  myRegistrationView,
  staffEventView,
  staffEvents,
  staffRegistrations,
  type EventRow,
} from './views'
import { notifyFlowersResult } from '../notifications/outbox'

const staffRoles = { roles: ['staff', 'admin'] as Array<'staff' | 'admin'> }

/**
 * The event, if the caller may run it: admins any, staff those with a host union in their
 * subtree. 404 when there is no such event, 403 when it is another union's.
 */
async function eventToRun(
  tx: Tx,
  caller: Caller,
  eventId: number,
  lock?: 'update',
): Promise<EventRow> {
  const e = await eventById(tx, eventId, lock)
  if (!e) throw new AppError('NOT_FOUND', '活动不存在')
  const scope = new Set(await staffScope(tx, caller))
  if (!e.hosts.some((h) => scope.has(h.id))) {
    throw new AppError('FORBIDDEN', '只能管理本工会及下级工会主办的活动')
  }
  return e
}

/**
 * 409 `EVENT_NOT_STARTED` unless the event has started (by the database's clock): the mixer's
 * groups, rounds and flowers happen on its day, not days ahead.
 */
async function assertStarted(tx: Tx, e: EventRow, what: string): Promise<void> {
  const clock = await first<{ now: Date }>(tx, sql`SELECT now() AS now`)
  const now = clock ? new Date(clock.now) : new Date()
  if (now < new Date(e.starts_at)) {
    throw new AppError(
      'EVENT_NOT_STARTED',
      `活动 ${shanghaiDateTime(new Date(e.starts_at))} 开始，开始后才能${what}`,
    )
  }
}

const iso = (d: Date | string) => new Date(d).toISOString()

async function groupsOf(tx: Tx, e: EventRow): Promise<GroupsResponse> {
  if (e.group_count === null || e.rounds === null || e.rotating_gender === null) {
    throw new AppError('NOT_FOUND', '还没有分组')
  }
  const members = await rows<{
    public_id: string
    nickname: string
    gender: 'male' | 'female'
    cohort: 'stationary' | 'rotating'
    start_group: number
  }>(
    tx,
    sql`SELECT public_id, nickname, gender, cohort, start_group FROM event_registrations
        WHERE event_id = ${e.id} AND start_group IS NOT NULL
        ORDER BY start_group, cohort DESC, public_id`,
  )
  const groups = Array.from({ length: e.group_count }, (_, g) => ({
    group: g + 1,
    members: members
      .filter((m) => m.start_group === g)
      .map((m) => ({
        attendeeId: m.public_id,
        nickname: m.nickname,
        gender: m.gender,
        cohort: m.cohort,
      })),
  }))
  return { groups, groupCount: e.group_count, rounds: e.rounds, rotating: e.rotating_gender }
}

export async function eventRoutes(app: FastifyInstance) {
  const db = () => app.db.db

  // ---------------------------------------------------------------- members

  handle(app, routes.events, {}, async ({ caller }) => ({
    events: await memberEvents(db(), caller, new Date()),
  }))

  handle(app, routes.event, {}, async ({ caller, params }) => {
    const [event] = await memberEvents(db(), caller, new Date(), params.id)
    if (!event) throw new AppError('NOT_FOUND', '活动不存在，或不面向你所在的工会')
    const mine = await findRegistration(
      db(),
      sql`r.event_id = ${params.id} AND r.member_id = ${caller.id}`,
    )
    return { event, registration: mine ? myRegistrationView(mine) : null }
  })

  handle(app, routes.signup, {}, async ({ caller, params, body, tx }) => {
    try {
      const registration = await signUp(tx, {
        eventId: params.id,
        memberId: caller.id,
        unionId: caller.unionId,
        profile: body.profile,
      })
      return { registration }
    } catch (err) {
      if (isDuplicateSignup(err)) throw new AppError('ALREADY_SIGNED_UP')
      throw err
    }
  })

  handle(app, routes.cancelSignup, {}, async ({ caller, params }) => {
    const { registration } = await db().transaction((tx) =>
      cancelSignup(tx, { eventId: params.id, memberId: caller.id }),
    )
    return { registration }
  })

  handle(app, routes.checkin, {}, async ({ caller, params, body }) =>
    db().transaction(async (tx) => {
      const [e] = await tx
        .select({ checkinCode: events.checkinCode })
        .from(events)
        .where(eq(events.id, params.id))
      if (!e) throw new AppError('NOT_FOUND', '活动不存在')
      const mine = await findRegistration(
        tx,
        sql`r.event_id = ${params.id} AND r.member_id = ${caller.id}`,
      )
      if (body.code !== e.checkinCode) throw new AppError('WRONG_CHECKIN_CODE')
      const { registrationId } = await checkIn(tx, mine, false)
      const after = await findRegistration(tx, sql`r.id = ${registrationId}`)
      if (!after) throw new AppError('INTERNAL')
      return { registration: myRegistrationView(after) }
    }),
  )

  handle(app, routes.attendees, {}, async ({ caller, params }) =>
    db().transaction(async (tx) => {
      const me = await checkedInAttendee(tx, params.id, caller.id)
      // Ordered by the random public id: an order that says nothing about anyone. Gender and
      // birth year leave the database only for attendees who chose to show them.
      const list = await rows<{
        public_id: string
        nickname: string
        intro: string
        gender: 'male' | 'female' | null
        birth_year: number | null
      }>(
        tx,
        sql`SELECT public_id, nickname, intro,
                   CASE WHEN show_details THEN gender END AS gender,
                   CASE WHEN show_details THEN birth_year END AS birth_year
            FROM event_registrations
            WHERE event_id = ${params.id} AND status = 'confirmed' AND checked_in_at IS NOT NULL
            ORDER BY public_id`,
      )
      return {
        attendees: list.map((a) => ({
          attendeeId: a.public_id,
          nickname: a.nickname,
          intro: a.intro,
          ...(a.gender !== null ? { gender: a.gender } : {}),
          ...(a.birth_year !== null ? { birthYear: a.birth_year } : {}),
        })),
        myAttendeeId: me.public_id,
      }
    }),
  )

  handle(app, routes.rounds, {}, async ({ caller, params }) => {
    const row = await first<{
      group_count: number | null
      rounds: number | null
      current_round: number | null
      cohort: 'stationary' | 'rotating' | null
      start_group: number | null
      registered: boolean
    }>(
      db(),
      sql`SELECT e.group_count, e.rounds, e.current_round, r.cohort, r.start_group, r.id IS NOT NULL AS registered
          FROM events e LEFT JOIN event_registrations r
            ON r.event_id = e.id AND r.member_id = ${caller.id} AND r.status = 'confirmed'
          WHERE e.id = ${params.id}`,
    )
    // Only the event's confirmed attendees learn anything about its groups (others: as if absent).
    if (!row || !row.registered) throw new AppError('NOT_FOUND', '活动不存在，或你没有报名该活动')
    if (row.group_count === null || row.rounds === null || row.cohort === null) {
      return {
        rounds: [],
        groupCount: row.group_count ?? 0,
        currentRound: row.group_count === null ? null : row.current_round,
        cohort: null,
      }
    }
    const groups = schedule(
      { cohort: row.cohort, startGroup: row.start_group as number },
      row.rounds,
      row.group_count,
    )
    return {
      rounds: groups.map((g, r) => ({ round: r + 1, group: g + 1 })),
      groupCount: row.group_count,
      currentRound: row.current_round,
      cohort: row.cohort,
    }
  })

  handle(app, routes.flowers, {}, async ({ caller, params }) =>
    db().transaction((tx) => myFlowers(tx, { eventId: params.id, memberId: caller.id })),
  )

  handle(app, routes.sendFlower, {}, async ({ caller, params, body, tx }) =>
    sendFlower(tx, { eventId: params.id, memberId: caller.id, toAttendeeId: body.toAttendeeId }),
  )

  // ---------------------------------------------------------------- staff

  handle(app, routes.staffEvents, staffRoles, async ({ caller }) => ({
    events: await staffEvents(db(), await staffScope(db(), caller), new Date()),
  }))

  handle(app, routes.createEvent, staffRoles, async ({ caller, body, tx }) => {
    const known = await tx
      .select({ id: unions.id })
      .from(unions)
      .where(inArray(unions.id, body.hostUnionIds))
    if (known.length !== body.hostUnionIds.length) {
      throw new AppError('UNION_NOT_FOUND', '所选主办工会不存在')
    }
    const scope = new Set(await staffScope(tx, caller))
    if (!body.hostUnionIds.some((id) => scope.has(id))) {
      throw new AppError('FORBIDDEN', '主办工会中至少要有一个是本工会或下级工会')
    }
    // Times as the client sent them (any sub-millisecond digits kept), cast by PostgreSQL.
    const at = (iso: string) => sql`${iso}::timestamptz`
    const [created] = await tx
      .insert(events)
      .values({
        title: body.title,
        venue: body.venue,
        venueLatitude: body.venueLocation?.latitude ?? null,
        venueLongitude: body.venueLocation?.longitude ?? null,
        venueAddress: body.venueLocation?.address || null,
        description: body.description ?? '',
        startsAt: at(body.startsAt),
        endsAt: at(body.endsAt),
        signupOpensAt: at(body.signupOpensAt),
        signupClosesAt: at(body.signupClosesAt),
        capacity: body.capacity,
        capacityMale: body.capacityPerGender?.male ?? null,
        capacityFemale: body.capacityPerGender?.female ?? null,
        checkinPoints: body.checkinPoints ?? 0,
        minBirthYear: body.minBirthYear ?? null,
        maxBirthYear: body.maxBirthYear ?? null,
        checkinCode: newEventCheckinCode(),
        createdBy: caller.id,
      })
      .returning({ id: events.id })
    if (!created) throw new AppError('INTERNAL')
    await tx
      .insert(eventHosts)
      .values(body.hostUnionIds.map((unionId) => ({ eventId: created.id, unionId })))
    await audit(tx, {
      actorId: caller.id,
      action: 'event.create',
      entity: 'event',
      entityId: created.id,
      after: body,
    })
    const e = await eventById(tx, created.id)
    if (!e) throw new AppError('INTERNAL')
    return { event: staffEventView(e, new Date()) }
  })

  handle(app, routes.staffEvent, staffRoles, async ({ caller, params }) => ({
    event: staffEventView(await eventToRun(db(), caller, params.id), new Date()),
  }))

  handle(app, routes.updateEvent, staffRoles, async ({ caller, params, body }) =>
    db().transaction(async (tx) => {
      // The event row's lock: sign-ups, cancellations and edits of one event queue up here.
      const e = await eventToRun(tx, caller, params.id, 'update')
      const times = {
        signupOpensAt: body.signupOpensAt ?? iso(e.signup_opens_at),
        signupClosesAt: body.signupClosesAt ?? iso(e.signup_closes_at),
        startsAt: body.startsAt ?? iso(e.starts_at),
        endsAt: body.endsAt ?? iso(e.ends_at),
      }
      if (!eventWindowsValid(times)) throw new AppError('BAD_REQUEST', eventWindowsMessage)
      const capacity = body.capacity ?? e.capacity
      const perGender =
        body.capacityPerGender !== undefined
          ? body.capacityPerGender
          : e.capacity_male !== null && e.capacity_female !== null
            ? { male: e.capacity_male, female: e.capacity_female }
            : null
      const confirmed = e.confirmed_male + e.confirmed_female
      if (capacity < confirmed) {
        throw new AppError(
          'CAPACITY_BELOW_CONFIRMED',
          `已有 ${confirmed} 人报名成功，人数上限不能少于 ${confirmed}`,
        )
      }
      if (perGender) {
        if (!perGenderFits(capacity, perGender)) throw new AppError('BAD_REQUEST', perGenderMessage)
        for (const [g, label] of [
          ['male', '男生'],
          ['female', '女生'],
        ] as const) {
          const taken = g === 'male' ? e.confirmed_male : e.confirmed_female
          if (perGender[g] < taken) {
            throw new AppError(
              'CAPACITY_BELOW_CONFIRMED',
              `已有 ${taken} 位${label}报名成功，${label}名额不能少于 ${taken}`,
            )
          }
        }
      }
      const at = (value: string | undefined, column: ReturnType<typeof sql.raw>) =>
        value === undefined ? column : sql`${value}::timestamptz`
      try {
        await tx.execute(
          sql`UPDATE events SET
                title = ${body.title ?? e.title}, venue = ${body.venue ?? e.venue},
                signup_opens_at = ${at(body.signupOpensAt, sql.raw('signup_opens_at'))},
                signup_closes_at = ${at(body.signupClosesAt, sql.raw('signup_closes_at'))},
                starts_at = ${at(body.startsAt, sql.raw('starts_at'))},
                ends_at = ${at(body.endsAt, sql.raw('ends_at'))},
                capacity = ${capacity}, capacity_male = ${perGender?.male ?? null},
                capacity_female = ${perGender?.female ?? null},
                checkin_points = ${body.checkinPoints ?? e.checkin_points}
                ${
                  body.venueLocation === undefined
                    ? sql``
                    : body.venueLocation === null
                      ? sql`, venue_latitude = NULL, venue_longitude = NULL, venue_address = NULL`
                      : sql`, venue_latitude = ${body.venueLocation.latitude},
                            venue_longitude = ${body.venueLocation.longitude},
                            venue_address = ${body.venueLocation.address || null}`
                }
              WHERE id = ${e.id}`,
        )
      } catch (err) {
        // Times equal to the millisecond but not below it: the CHECK's word is final.
        if (pgConstraint(err) === 'events_windows_in_order') {
          throw new AppError('BAD_REQUEST', eventWindowsMessage)
        }
        throw err
      }
      // More places: the waitlist moves up at once, in order, in this transaction.
      const promoted = await fillFromWaitlist(tx, {
        id: e.id,
        capacity,
        capacity_male: perGender?.male ?? null,
        capacity_female: perGender?.female ?? null,
        confirmed_male: e.confirmed_male,
        confirmed_female: e.confirmed_female,
      })
      await audit(tx, {
        actorId: caller.id,
        action: 'event.update',
        entity: 'event',
        entityId: e.id,
        before: {
          title: e.title,
          venue: e.venue,
          venueLocation:
            e.venue_latitude === null
              ? null
              : {
                  latitude: e.venue_latitude,
                  longitude: e.venue_longitude,
                  address: e.venue_address,
                },
          signupOpensAt: iso(e.signup_opens_at),
          signupClosesAt: iso(e.signup_closes_at),
          startsAt: iso(e.starts_at),
          endsAt: iso(e.ends_at),
          capacity: e.capacity,
          capacityPerGender:
            e.capacity_male !== null ? { male: e.capacity_male, female: e.capacity_female } : null,
          checkinPoints: e.checkin_points,
        },
        after: { ...body, promoted: promoted.length },
      })
      const after = await eventById(tx, e.id)
      if (!after) throw new AppError('INTERNAL')
      return { event: staffEventView(after, new Date()) }
    }),
  )

  handle(app, routes.staffRegistrations, staffRoles, async ({ caller, params }) => {
    await eventToRun(db(), caller, params.id)
    return { registrations: await staffRegistrations(db(), params.id) }
  })

  handle(app, routes.checkinCode, staffRoles, async ({ caller, params }) => ({
    code: (await eventToRun(db(), caller, params.id)).checkin_code,
  }))

  handle(app, routes.staffCheckin, staffRoles, async ({ caller, params, body }) =>
    db().transaction(async (tx) => {
      await eventToRun(tx, caller, params.id)
      const where =
        'memberId' in body
          ? sql`r.event_id = ${params.id} AND r.member_id = ${body.memberId}`
          : sql`r.event_id = ${params.id} AND r.checkin_code = ${body.checkinCode}`
      const reg = await findRegistration(tx, where)
      if (!reg && 'checkinCode' in body) {
        throw new AppError('NOT_SIGNED_UP', '签到码不属于本活动的报名，请核对')
      }
      const { registrationId, changed } = await checkIn(tx, reg, true)
      if (changed) {
        await audit(tx, {
          actorId: caller.id,
          action: 'event.checkin',
          entity: 'event_registration',
          entityId: registrationId,
          after: { eventId: params.id, checkedIn: true },
        })
      }
      const [registration] = await staffRegistrations(tx, params.id, sql`r.id = ${registrationId}`)
      if (!registration) throw new AppError('INTERNAL')
      return { registration }
    }),
  )

  handle(app, routes.makeGroups, staffRoles, async ({ caller, params, body }) =>
    db().transaction(async (tx) => {
      // The event row's lock: two organisers making groups at once do so one after the other.
      const e = await eventToRun(tx, caller, params.id, 'update')
      await assertStarted(tx, e, '分组')
      const attendees = await rows<{ id: number; gender: 'male' | 'female' }>(
        tx,
        sql`SELECT id, gender FROM event_registrations
            WHERE event_id = ${params.id} AND status = 'confirmed' AND checked_in_at IS NOT NULL
            ORDER BY public_id`,
      )
      if (attendees.length === 0) {
        throw new AppError('NOT_ENOUGH_ATTENDEES', '还没有人签到，无法分组')
      }
      const plan = assignGroups(
        attendees.map((a) => ({ id: a.id, rotating: a.gender === body.rotating })),
        body.groupCount,
      )
      await tx.execute(
        sql`UPDATE event_registrations SET start_group = NULL, cohort = NULL
            WHERE event_id = ${params.id} AND start_group IS NOT NULL`,
      )
      await tx.execute(
        sql`UPDATE event_registrations r SET start_group = p.g, cohort = p.c
            FROM unnest(${`{${plan.map((p) => p.id).join(',')}}`}::int[],
                        ${`{${plan.map((p) => p.startGroup).join(',')}}`}::int[],
                        ${`{${plan.map((p) => p.cohort).join(',')}}`}::text[]) AS p(id, g, c)
            WHERE r.id = p.id AND r.event_id = ${params.id}`,
      )
      await tx.execute(
        sql`UPDATE events SET group_count = ${body.groupCount}, rounds = ${body.rounds},
                              rotating_gender = ${body.rotating}, current_round = 1
            WHERE id = ${params.id}`,
      )
      await audit(tx, {
        actorId: caller.id,
        action: 'event.groups',
        entity: 'event',
        entityId: params.id,
        after: { ...body, attendees: attendees.length },
      })
      const made = await eventById(tx, params.id)
      if (!made) throw new AppError('INTERNAL')
      return groupsOf(tx, made)
    }),
  )

  handle(app, routes.groups, staffRoles, async ({ caller, params }) =>
    groupsOf(db(), await eventToRun(db(), caller, params.id)),
  )

  handle(app, routes.flowerPhase, staffRoles, async ({ caller, params, body }) =>
    db().transaction(async (tx) => {
      // The event row's lock orders phase changes; closing also flags every registration
      // (see sendFlower), so that once the close commits no flower can land any more.
      const e = await eventToRun(tx, caller, params.id, 'update')
      const from = e.flower_phase
      const to = body.open ? 'open' : 'closed'
      if (from !== to) {
        if (body.open) await assertStarted(tx, e, '开启送花环节')
        if (body.open && from === 'closed') {
          throw new AppError('PHASE_CHANGE_NOT_ALLOWED', '送花环节已经结束，不能重新开启')
        }
        if (!body.open && from === 'not_open') {
          throw new AppError('PHASE_CHANGE_NOT_ALLOWED', '送花环节还没有开启，不能结束')
        }
        await tx.execute(sql`UPDATE events SET flower_phase = ${to} WHERE id = ${params.id}`)
        if (to === 'closed') {
          // Waits for every send in flight (each holds its sender's allowance); later sends see it.
          await tx.execute(
            sql`UPDATE flower_allowances SET closed = true WHERE event_id = ${params.id}`,
          )
          await notifyFlowersResult(tx, params.id)
        }
        await audit(tx, {
          actorId: caller.id,
          action: body.open ? 'event.flowers_open' : 'event.flowers_close',
          entity: 'event',
          entityId: params.id,
          before: { flowerPhase: from },
          after: { flowerPhase: to },
        })
      }
      const after = await eventById(tx, params.id)
      if (!after) throw new AppError('INTERNAL')
      return { event: staffEventView(after, new Date()) }
    }),
  )

  handle(app, routes.currentRound, staffRoles, async ({ caller, params, body }) =>
    db().transaction(async (tx) => {
      const e = await eventToRun(tx, caller, params.id, 'update')
      if (e.rounds === null) {
        throw new AppError('ROUND_OUT_OF_RANGE', '还没有分组：先分组，再开始各轮')
      }
      if (body.round > e.rounds) {
        throw new AppError('ROUND_OUT_OF_RANGE', `本场共 ${e.rounds} 轮，没有第 ${body.round} 轮`)
      }
      await assertStarted(tx, e, '开始各轮')
      if (e.current_round !== body.round) {
        await tx.execute(sql`UPDATE events SET current_round = ${body.round} WHERE id = ${e.id}`)
        await audit(tx, {
          actorId: caller.id,
          action: 'event.round',
          entity: 'event',
          entityId: e.id,
          before: { currentRound: e.current_round },
          after: { currentRound: body.round },
        })
      }
      const after = await eventById(tx, e.id)
      if (!after) throw new AppError('INTERNAL')
      return { event: staffEventView(after, new Date()) }
    }),
  )

  handle(app, routes.matches, staffRoles, async ({ caller, params }) =>
    db().transaction(async (tx) => {
      const e = await eventToRun(tx, caller, params.id)
      return organiserMatches(tx, params.id, e.flower_phase)
    }),
  )
}
