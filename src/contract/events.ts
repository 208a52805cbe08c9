import { z } from 'zod'
import { id, isoDateTime } from './common'
import { mapLocation, mapLocationInput } from './location'

/*
 * Mixer events (联谊活动) and virtual flowers (互送鲜花), PRODUCT.md §3.
 *
 * People see 1-based numbers: `round` 1…rounds, `group` 1…groupCount.
 * An `attendeeId` is a random public id of a registration, never the member id; it is the only
 * handle members get on each other.
 */

export const genders = ['male', 'female'] as const
export const gender = z.enum(genders, { error: '请选择性别' })
export type Gender = z.infer<typeof gender>

/** `confirmed` (has a place), `waitlisted` (in line, FIFO), `cancelled` (by the member). */
export const registrationStatuses = ['confirmed', 'waitlisted', 'cancelled'] as const
export const registrationStatus = z.enum(registrationStatuses)
export type RegistrationStatus = z.infer<typeof registrationStatus>

/** The flower phase only moves forward: `not_open` → `open` → `closed`. */
export const flowerPhases = ['not_open', 'open', 'closed'] as const
export const flowerPhase = z.enum(flowerPhases)
export type FlowerPhase = z.infer<typeof flowerPhase>

/** Every attendee has this many flowers to send once the organiser opens the phase. */
export const flowersPerAttendee = 3

/**
 * Check-in opens this many minutes before the event starts (and closes when it ends): a member
 * cannot check in days ahead, and the mixer's groups and flowers follow on the day.
 */
export const checkinOpensMinutesBefore = 60

/** When check-in opens for an event starting at `startsAt`. */
export function checkinOpensAt(startsAt: string | Date): Date {
  return new Date(new Date(startsAt).getTime() - checkinOpensMinutesBefore * 60_000)
}

/** The most points an event may award for checking in. */
export const maxCheckinPoints = 10_000

/** The public handle of an attendee (a registration), e.g. `k3VbX9qT2mLp`. */
export const attendeeId = z.string().trim().min(1, '请选择要送花的人').max(40, '参与者编号不正确')
export type AttendeeId = z.infer<typeof attendeeId>

const count = z.number().int().nonnegative()
const birthYear = z
  .number({ error: '请填写出生年份' })
  .int('出生年份须为整数')
  .min(1940, '出生年份不能早于 1940 年')
  .max(2015, '出生年份不能晚于 2015 年')

/** The short profile an attendee fills in when signing up. */
export const profile = z
  .object({
    nickname: z
      .string({ error: '请填写昵称' })
      .trim()
      .min(1, '请填写昵称')
      .max(20, '昵称最多 20 个字'),
    gender,
    birthYear,
    intro: z.string().trim().max(100, '自我介绍最多 100 个字').default(''),
    /**
     * Whether other attendees may see this attendee's gender and birth year. Off unless chosen:
     * others see only the nickname and the line about oneself (organisers always see all).
     */
    showDetails: z.boolean({ error: '请选择是否展示性别和出生年份' }).default(false),
  })
  .strict()
export type Profile = z.infer<typeof profile>
export type ProfileInput = z.input<typeof profile>

export const perGender = z.object({ male: count, female: count })
export type PerGender = z.infer<typeof perGender>

/** The caller's registration in brief (lists). */
export const registrationSummary = z.object({
  id,
  status: registrationStatus,
  /** 1-based place in the waitlist; only while `waitlisted`. */
  waitlistPosition: z.number().int().positive().optional(),
  checkedIn: z.boolean(),
  /** Done for the member by union staff (代办): the app says 由工会工作人员代办. */
  actedByStaff: z.boolean().optional(),
})
export type RegistrationSummary = z.infer<typeof registrationSummary>

/** The caller's own registration in full. */
export const myRegistration = registrationSummary.extend({
  eventId: id,
  /** The caller's public id at the event (what other attendees see and send flowers to). */
  attendeeId: z.string(),
  profile: z.object({
    nickname: z.string(),
    gender,
    birthYear: z.number().int(),
    intro: z.string(),
    /** Whether other attendees see the gender and birth year (else only nickname and intro). */
    showDetails: z.boolean(),
  }),
  /** The personal check-in code staff scan at the venue (show it as a QR). */
  checkinCode: z.string(),
  checkedInAt: isoDateTime.nullable(),
  /** When the member (last) signed up: the waitlist is in this order. */
  signedUpAt: isoDateTime,
  cancelledAt: isoDateTime.nullable(),
})
export type MyRegistration = z.infer<typeof myRegistration>

export const hostUnion = z.object({ id, name: z.string() })

/** What everyone sees of an event. */
const eventBase = z.object({
  id,
  title: z.string(),
  venue: z.string(),
  /** Where the venue is on the map, when the organiser set it. */
  venueLocation: mapLocation.nullable(),
  description: z.string(),
  startsAt: isoDateTime,
  endsAt: isoDateTime,
  signupOpensAt: isoDateTime,
  signupClosesAt: isoDateTime,
  capacity: z.number().int().positive(),
  /** Places per gender, when capped per gender. */
  capacityPerGender: perGender.nullable(),
  hostUnionIds: z.array(id),
  hostUnions: z.array(hostUnion),
  /** Who may sign up by birth year (inclusive), when limited. */
  minBirthYear: z.number().int().nullable(),
  maxBirthYear: z.number().int().nullable(),
  confirmedCount: count,
  waitlistCount: count,
  /** Confirmed per gender. */
  confirmedPerGender: perGender,
  /** Free places in all. */
  placesLeft: count,
  /** Free places per gender, when capped per gender. */
  placesLeftPerGender: perGender.nullable(),
  /** Inside the sign-up window right now. */
  signupOpen: z.boolean(),
  flowerPhase,
  /** Points each attendee earns by checking in (0: none). */
  checkinPoints: count,
  /** When check-in opens (`checkinOpensMinutesBefore` before the start); it closes at the end. */
  checkinOpensAt: isoDateTime,
})

/** An event in the member's list: with the caller's registration (null when none). */
export const memberEvent = eventBase.extend({
  myRegistration: registrationSummary.nullable(),
})
export type MemberEvent = z.infer<typeof memberEvent>

/** The events the caller may join: hosted by their union or one of its ancestors. Soonest first. */
export const eventsResponse = z.object({ events: z.array(memberEvent) })
export type EventsResponse = z.infer<typeof eventsResponse>

export const eventDetailResponse = z.object({
  event: memberEvent,
  /** The caller's registration (also when cancelled), or null. */
  registration: myRegistration.nullable(),
})
export type EventDetailResponse = z.infer<typeof eventDetailResponse>

export const signupBody = z.object({ profile }).strict()
export type SignupBody = z.infer<typeof signupBody>
export type SignupInput = z.input<typeof signupBody>

export const registrationResponse = z.object({ registration: myRegistration })
export type RegistrationResponse = z.infer<typeof registrationResponse>

/** The event's check-in code, as the member scans or types it. */
const checkinCodeInput = z
  .string({ error: '请输入签到码' })
  .trim()
  .min(1, '请输入签到码')
  .max(32, '签到码太长')
  .overwrite((s) => s.toUpperCase().replace(/[\s-]/g, ''))

export const checkinBody = z.object({ code: checkinCodeInput }).strict()
export type CheckinBody = z.infer<typeof checkinBody>

/**
 * A checked-in attendee as other attendees see them: what the sign-up form promises, the
 * nickname and the line about themselves — no member number, no name. `gender` and `birthYear`
 * only when that attendee chose to show them (`showDetails` at sign-up); absent otherwise.
 */
export const attendee = z.object({
  attendeeId: z.string(),
  nickname: z.string(),
  intro: z.string(),
  gender: gender.optional(),
  birthYear: z.number().int().optional(),
})
export type Attendee = z.infer<typeof attendee>

/**
 * Checked-in attendees of the event (the caller included, see `myAttendeeId`), in an order that
 * says nothing about flowers. Only a checked-in attendee may ask (else 422 `NOT_CHECKED_IN`).
 */
export const attendeesResponse = z.object({
  attendees: z.array(attendee),
  myAttendeeId: z.string(),
})
export type AttendeesResponse = z.infer<typeof attendeesResponse>

/** Where the caller goes in each round (empty until the organiser made the groups). */
export const roundsResponse = z.object({
  rounds: z.array(
    z.object({ round: z.number().int().positive(), group: z.number().int().positive() }),
  ),
  groupCount: count,
  /** The round the organiser says is on now (null until the groups are made). */
  currentRound: z.number().int().positive().nullable(),
  /** Whether the caller stays at one table or moves on after every round (null: no group yet). */
  cohort: z.enum(['stationary', 'rotating']).nullable(),
})
export type RoundsResponse = z.infer<typeof roundsResponse>

export const flowerMatch = z.object({ attendeeId: z.string(), nickname: z.string() })
export type FlowerMatch = z.infer<typeof flowerMatch>

/**
 * The fewest attendees who could have sent a one-sided flower (other than the recipient and
 * those the recipient sent flowers to) and did send flowers in the event, for the recipient to
 * learn whether one-sided flowers arrived; and the fewest senders in an event for the organiser
 * to see the total of flowers sent. Below it, any hint could single a sender out.
 */
export const flowerAnonymityFloor = 5

/**
 * What the recipient learns of one-sided flowers (flowers that are not matches) once the phase is
 * closed — never a number, never from whom:
 *  - `some`: at least one arrived;
 *  - `none`: none arrived;
 *  - `withheld`: fewer than `flowerAnonymityFloor` attendees who could have sent one (not the
 *    recipient, not anyone the recipient sent a flower to) sent flowers in the event, so even
 *    "someone sent you a flower" could point at one of them: nothing is said.
 */
export const oneSidedFlowers = z.enum(['some', 'none', 'withheld'])
export type OneSidedFlowers = z.infer<typeof oneSidedFlowers>

/**
 * The caller's flowers. Nothing about received flowers is given until the organiser closes the
 * phase: a count that rises live would tell a watchful recipient who just sent one. Then
 * `matches` (mutual flowers) appear for everyone at once, and `oneSided` says only whether other
 * flowers arrived (see `oneSidedFlowers`) — no count: subtracting the matches from a count, or a
 * count as large as the number of possible senders, would single senders out.
 * Only a checked-in attendee may ask (else 422 `NOT_CHECKED_IN`).
 */
export const flowersResponse = z.object({
  left: z.number().int().min(0).max(flowersPerAttendee),
  sentTo: z.array(z.string()),
  /**
   * API.md's field, kept for compatibility: always null since the privacy rule of issue 9 — a
   * count of received flowers could single out a sender. `oneSided` says what may be said.
   */
  receivedCount: z.null(),
  /** Null until the phase is closed. */
  oneSided: oneSidedFlowers.nullable(),
  phase: flowerPhase,
  matches: z.array(flowerMatch),
  myAttendeeId: z.string(),
})
export type FlowersResponse = z.infer<typeof flowersResponse>

export const sendFlowerBody = z.object({ toAttendeeId: attendeeId }).strict()
export type SendFlowerBody = z.infer<typeof sendFlowerBody>

export const sendFlowerResponse = z.object({ left: count, sentTo: z.array(z.string()) })
export type SendFlowerResponse = z.infer<typeof sendFlowerResponse>

// ---------------------------------------------------------------- staff

const title = z
  .string({ error: '请填写活动名称' })
  .trim()
  .min(1, '请填写活动名称')
  .max(60, '活动名称最多 60 个字')
const venue = z
  .string({ error: '请填写活动地点' })
  .trim()
  .min(1, '请填写活动地点')
  .max(100, '活动地点最多 100 个字')
const capacity = z
  .number({ error: '请填写人数上限' })
  .int('人数上限须为整数')
  .min(1, '人数上限至少为 1')
  .max(10_000, '人数上限最多 10000')
const capacityPerGender = z
  .object({
    male: z
      .number()
      .int('男生名额须为整数')
      .min(0, '男生名额不能为负数')
      .max(10_000, '男生名额最多 10000'),
    female: z
      .number()
      .int('女生名额须为整数')
      .min(0, '女生名额不能为负数')
      .max(10_000, '女生名额最多 10000'),
  })
  .strict()
const checkinPoints = z
  .number({ error: '请填写签到积分' })
  .int('签到积分须为整数')
  .min(0, '签到积分不能为负数')
  .max(maxCheckinPoints, `签到积分最多 ${maxCheckinPoints}`)

/** The message of times out of order (create and edit). */
export const eventWindowsMessage = '时间须依次为：报名开始 < 报名截止 ≤ 活动开始 < 活动结束'

/** Whether per-gender places fit the capacity: each within it, together at least it. */
export function perGenderFits(capacity: number, per: { male: number; female: number }): boolean {
  return per.male <= capacity && per.female <= capacity && per.male + per.female >= capacity
}
export const perGenderMessage = '男女名额各自不能超过人数上限，两者之和不能少于人数上限'

/** Whether an event's times are in order: sign-up opens < closes ≤ event starts < ends. */
export function eventWindowsValid(b: {
  signupOpensAt: string
  signupClosesAt: string
  startsAt: string
  endsAt: string
}): boolean {
  const t = (s: string) => Date.parse(s)
  return (
    t(b.signupOpensAt) < t(b.signupClosesAt) &&
    t(b.signupClosesAt) <= t(b.startsAt) &&
    t(b.startsAt) < t(b.endsAt)
  )
}

export const createEventBody = z
  .object({
    title,
    venue,
    venueLocation: mapLocationInput.optional(),
    description: z.string().trim().max(1000, '活动介绍最多 1000 个字').optional(),
    startsAt: isoDateTime,
    endsAt: isoDateTime,
    signupOpensAt: isoDateTime,
    signupClosesAt: isoDateTime,
    capacity,
    capacityPerGender: capacityPerGender.optional(),
    /** Points each attendee earns by checking in; 0 or absent: none. */
    checkinPoints: checkinPoints.optional(),
    hostUnionIds: z
      .array(id, { error: '请选择主办工会' })
      .min(1, '请至少选择一个主办工会')
      .max(10, '最多 10 个主办工会')
      .refine((ids) => new Set(ids).size === ids.length, '主办工会不能重复'),
    minBirthYear: birthYear.optional(),
    maxBirthYear: birthYear.optional(),
  })
  .strict()
  .refine(eventWindowsValid, {
    message: eventWindowsMessage,
    path: ['signupClosesAt'],
  })
  .refine((b) => !b.capacityPerGender || perGenderFits(b.capacity, b.capacityPerGender), {
    message: perGenderMessage,
    path: ['capacityPerGender'],
  })
  .refine(
    (b) =>
      b.minBirthYear === undefined ||
      b.maxBirthYear === undefined ||
      b.minBirthYear <= b.maxBirthYear,
    { message: '出生年份范围的起始年份不能晚于结束年份', path: ['maxBirthYear'] },
  )
export type CreateEventBody = z.infer<typeof createEventBody>
export type CreateEventInput = z.input<typeof createEventBody>

/**
 * What an organiser may change once the event exists; every field optional, at least one given.
 * The server checks the times in order and the capacity against the event as it is: never below
 * the confirmed count (422 `CAPACITY_BELOW_CONFIRMED`); a larger capacity promotes from the
 * waitlist at once, in order. `capacityPerGender: null` lifts the per-gender caps. Changed
 * `checkinPoints` apply to check-ins from then on.
 */
export const updateEventBody = z
  .object({
    title: title.optional(),
    venue: venue.optional(),
    /** The venue on the map; null clears it. */
    venueLocation: mapLocationInput.nullable().optional(),
    startsAt: isoDateTime.optional(),
    endsAt: isoDateTime.optional(),
    signupOpensAt: isoDateTime.optional(),
    signupClosesAt: isoDateTime.optional(),
    capacity: capacity.optional(),
    capacityPerGender: capacityPerGender.nullable().optional(),
    checkinPoints: checkinPoints.optional(),
  })
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), {
    message: '没有要修改的内容',
  })
export type UpdateEventBody = z.infer<typeof updateEventBody>
export type UpdateEventInput = z.input<typeof updateEventBody>

/** An event as its organisers see it. */
export const staffEvent = eventBase.extend({
  checkedInCount: count,
  /** Set once the organiser made the groups. */
  groupCount: count.nullable(),
  rounds: count.nullable(),
  rotating: gender.nullable(),
  /** The round on now, as the organiser advances them (null until groups are made). */
  currentRound: z.number().int().positive().nullable(),
  createdAt: isoDateTime,
})
export type StaffEvent = z.infer<typeof staffEvent>

export const staffEventResponse = z.object({ event: staffEvent })
export type StaffEventResponse = z.infer<typeof staffEventResponse>

/** Events the caller may run: those with a host union in their scope (admins: all). */
export const staffEventsResponse = z.object({ events: z.array(staffEvent) })
export type StaffEventsResponse = z.infer<typeof staffEventsResponse>

/** A registration as staff see it: who signed up (never anything about flowers). */
export const staffRegistration = z.object({
  id,
  attendeeId: z.string(),
  memberId: id,
  memberNo: z.string(),
  memberName: z.string(),
  unionName: z.string(),
  nickname: z.string(),
  gender,
  birthYear: z.number().int(),
  intro: z.string(),
  status: registrationStatus,
  waitlistPosition: z.number().int().positive().optional(),
  checkedIn: z.boolean(),
  checkedInAt: isoDateTime.nullable(),
  signedUpAt: isoDateTime,
})
export type StaffRegistration = z.infer<typeof staffRegistration>

/** Confirmed first (in sign-up order), then the waitlist in order, then the cancelled. */
export const staffRegistrationsResponse = z.object({ registrations: z.array(staffRegistration) })
export type StaffRegistrationsResponse = z.infer<typeof staffRegistrationsResponse>

export const checkinCodeResponse = z.object({ code: z.string() })
export type CheckinCodeResponse = z.infer<typeof checkinCodeResponse>

/** Staff check a member in by member id, or by scanning the member's personal check-in code. */
export const staffCheckinBody = z.union(
  [z.object({ memberId: id }).strict(), z.object({ checkinCode: checkinCodeInput }).strict()],
  { error: '请提供会员 ID（memberId）或会员的签到码（checkinCode）' },
)
export type StaffCheckinBody = z.infer<typeof staffCheckinBody>

export const staffRegistrationResponse = z.object({ registration: staffRegistration })
export type StaffRegistrationResponse = z.infer<typeof staffRegistrationResponse>

export const makeGroupsBody = z
  .object({
    groupCount: z
      .number({ error: '请填写分组数' })
      .int('分组数须为整数')
      .min(1, '至少分 1 组')
      .max(100, '最多分 100 组'),
    rounds: z
      .number({ error: '请填写轮数' })
      .int('轮数须为整数')
      .min(1, '至少 1 轮')
      .max(100, '最多 100 轮'),
    /** The gender that moves on after every round; the other stays at its table. */
    rotating: gender,
  })
  .strict()
  .refine((b) => b.rounds <= b.groupCount, {
    message: '轮数不能多于分组数（否则会与同一组重复见面）',
    path: ['rounds'],
  })
export type MakeGroupsBody = z.infer<typeof makeGroupsBody>

export const groupMember = z.object({
  attendeeId: z.string(),
  nickname: z.string(),
  gender,
  cohort: z.enum(['stationary', 'rotating']),
})
export type GroupMember = z.infer<typeof groupMember>

/** The groups of round 1 (rotating attendees of group g are in group g + r − 1, wrapping, in round r). */
export const groupsResponse = z.object({
  groups: z.array(z.object({ group: z.number().int().positive(), members: z.array(groupMember) })),
  groupCount: count,
  rounds: count,
  rotating: gender,
})
export type GroupsResponse = z.infer<typeof groupsResponse>

/** The organiser moves the mixer to round `round` (1…rounds; back too, to correct a slip). */
export const currentRoundBody = z
  .object({
    round: z
      .number({ error: '请选择轮次' })
      .int('轮次须为整数')
      .min(1, '轮次从 1 开始')
      .max(100, '最多 100 轮'),
  })
  .strict()
export type CurrentRoundBody = z.infer<typeof currentRoundBody>

export const flowerPhaseBody = z.object({ open: z.boolean({ error: '请选择开启或结束' }) }).strict()
export type FlowerPhaseBody = z.infer<typeof flowerPhaseBody>

/**
 * What the organiser sees of the flowers: mutual pairs (empty until the phase is closed) and
 * totals — never one-sided flowers.
 */
export const matchesResponse = z.object({
  pairs: z.array(z.tuple([z.string(), z.string()])),
  /** The pairs with nicknames, to hand out souvenirs. */
  pairDetails: z.array(z.tuple([flowerMatch, flowerMatch])),
  /**
   * Flowers sent in all; null while fewer than `flowerAnonymityFloor` attendees sent flowers
   * (in a small event the total minus twice the pairs could point at the sender of a one-sided
   * flower).
   */
  flowersSent: count.nullable(),
  /** Checked-in attendees. */
  attendees: count,
  phase: flowerPhase,
})
export type MatchesResponse = z.infer<typeof matchesResponse>
