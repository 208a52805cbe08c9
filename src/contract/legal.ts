import { z } from 'zod'
import { calendarDate, id, idParams, idText, isoDateTime } from './common'
import { route } from './route-def'
import { dialPhone, mapLocation, mapLocationInput } from './location'

/**
 * 法律咨询预约: weekly availability rules of union lawyers at service points (a workstation, or
 * online by phone or video) produce bookable slots; a member books one with a topic, a contact
 * phone and a confidential description (only the member and the assigned lawyer read it), may
 * cancel until 2 hours before, and rate it once the lawyer marked it completed.
 */

const count = z.number().int().nonnegative()

/** A member holds at most this many upcoming (booked, not yet started) consultations. */
export const maxUpcomingBookings = 2
/** A member may cancel a booking until this many hours before its start. */
export const cancelCutoffHours = 2
export const cancelCutoffMs = cancelCutoffHours * 3_600_000
/**
 * The shortest time between booking and the start: a slot starting sooner is not offered and
 * booking it is 422 `SLOT_TOO_SOON`. The same as the cancel cutoff, so every booking can still be
 * cancelled right after it was made.
 */
export const minBookingLeadHours = cancelCutoffHours
export const minBookingLeadMs = minBookingLeadHours * 3_600_000
/**
 * The longest range of days (both ends counted) one slots query may ask for: 14 without a lawyer
 * or service point (every visible slot: the app's two-week strip), 62 for one lawyer or point.
 */
export const slotRangeDays = { unfiltered: 14, filtered: 62 } as const
/** A problem description's length in characters, of the plain text. */
export const descriptionLength = { min: 10, max: 500 } as const

/** `booked` → `completed` | `no_show` (the lawyer), or `booked` → `cancelled` (the member). */
export const bookingStatuses = ['booked', 'cancelled', 'completed', 'no_show'] as const
export const bookingStatus = z.enum(bookingStatuses)
export type BookingStatus = z.infer<typeof bookingStatus>

export const servicePointKinds = ['workstation', 'online'] as const
export const servicePointKind = z.enum(servicePointKinds)
export type ServicePointKind = z.infer<typeof servicePointKind>

/** How an online consultation takes place. */
export const onlineChannels = ['phone', 'video'] as const
export const onlineChannel = z.enum(onlineChannels)
export type OnlineChannel = z.infer<typeof onlineChannel>

/** A calendar day, Asia/Shanghai: `YYYY-MM-DD`. */
export const localDate = calendarDate
/** A time of day, Asia/Shanghai: `HH:mm`. */
export const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间格式应为 HH:mm')

/** A mainland mobile number: 11 digits starting with 13–19. */
export const contactPhone = z
  .string()
  .trim()
  .regex(/^1[3-9]\d{9}$/, '请填写正确的 11 位手机号码（1 开头，第二位 3–9）')

export const problemDescription = z
  .string()
  .trim()
  .min(descriptionLength.min, `请用至少 ${descriptionLength.min} 个字描述你的问题`)
  .max(descriptionLength.max, `问题描述最多 ${descriptionLength.max} 个字`)

export const legalTopic = z.object({ id, name: z.string() })
export type LegalTopic = z.infer<typeof legalTopic>
export const legalTopicsResponse = z.object({ topics: z.array(legalTopic) })
export type LegalTopicsResponse = z.infer<typeof legalTopicsResponse>

export const lawyer = z.object({
  id,
  name: z.string(),
  firm: z.string(),
  specialties: z.array(z.string()),
  bio: z.string(),
  /** Set once staff retired the lawyer (only staff lists show retired ones). */
  retiredAt: isoDateTime.nullable().optional(),
})
export type Lawyer = z.infer<typeof lawyer>
export const lawyersResponse = z.object({ lawyers: z.array(lawyer) })
export type LawyersResponse = z.infer<typeof lawyersResponse>
export const lawyerResponse = z.object({ lawyer })
export type LawyerResponse = z.infer<typeof lawyerResponse>

/** A workstation (with its address) or an online service (with its channel, phone or video). */
export const servicePoint = z.object({
  id,
  name: z.string(),
  kind: servicePointKind,
  address: z.string().nullable(),
  channel: onlineChannel.nullable(),
  /** A number members may call (the workstation's desk, the online line), when set. */
  phone: z.string().nullable(),
  /** Where a workstation is on the map, when set (online services have none). */
  location: mapLocation.nullable(),
  unionId: id,
  unionName: z.string(),
  /** Set once staff retired the service point (only staff lists show retired ones). */
  retiredAt: isoDateTime.nullable().optional(),
})
export type ServicePoint = z.infer<typeof servicePoint>
export const servicePointsResponse = z.object({ servicePoints: z.array(servicePoint) })
export type ServicePointsResponse = z.infer<typeof servicePointsResponse>
export const servicePointResponse = z.object({ servicePoint })
export type ServicePointResponse = z.infer<typeof servicePointResponse>

/**
 * A bookable time with a lawyer at a service point. The id is stable (it encodes lawyer, service
 * point and start) and is what `POST /legal/bookings` takes; `available` is false once booked.
 */
export const legalSlot = z.object({
  id: z.string(),
  lawyerId: id,
  servicePointId: id,
  startsAt: isoDateTime,
  endsAt: isoDateTime,
  available: z.boolean(),
})
export type LegalSlot = z.infer<typeof legalSlot>

/** Chinese messages of a too-long slots range (400 `RANGE_TOO_LONG`). */
export const slotRangeMessages = {
  unfiltered: `查询时间范围过长：不指定律师或服务点时最多 ${slotRangeDays.unfiltered} 天`,
  filtered: `查询时间范围过长：最多 ${slotRangeDays.filtered} 天`,
} as const

/** Calendar days from `from` to `to` (`YYYY-MM-DD`), both counted; NaN if either is not a date. */
function daysInclusive(from: string, to: string): number {
  const utc = (d: string) =>
    Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)))
  return Math.round((utc(to) - utc(from)) / 86_400_000) + 1
}

/**
 * `from` to `to` (both `YYYY-MM-DD`, Asia/Shanghai, inclusive), `to` not before `from`, and at
 * most `slotRangeDays` days: a longer range is 400 `RANGE_TOO_LONG` (the issue's `params.code`).
 */
export const slotsQuery = z
  .object({
    from: localDate,
    to: localDate,
    lawyerId: idText.optional(),
    servicePointId: idText.optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    const days = daysInclusive(q.from, q.to)
    if (Number.isNaN(days)) return // the dates' own issues say why
    if (days < 1) {
      ctx.addIssue({ code: 'custom', message: '结束日期不能早于开始日期', path: ['to'] })
      return
    }
    const which =
      q.lawyerId === undefined && q.servicePointId === undefined ? 'unfiltered' : 'filtered'
    if (days > slotRangeDays[which]) {
      ctx.addIssue({
        code: 'custom',
        message: slotRangeMessages[which],
        path: ['to'],
        params: { code: 'RANGE_TOO_LONG' },
      })
    }
  })
export type SlotsQuery = z.infer<typeof slotsQuery>
export const slotsResponse = z.object({ slots: z.array(legalSlot) })
export type SlotsResponse = z.infer<typeof slotsResponse>

/** What every view of a booking shows. */
const bookingCore = z.object({
  id,
  slotId: z.string(),
  lawyerId: id,
  lawyerName: z.string(),
  servicePointId: id,
  servicePointName: z.string(),
  startsAt: isoDateTime,
  endsAt: isoDateTime,
  topicId: id,
  topicName: z.string(),
  status: bookingStatus,
  createdAt: isoDateTime,
  cancelledAt: isoDateTime.nullable(),
})

/** The member's own booking: with the description and the rating; never the lawyer's notes. */
export const memberBooking = bookingCore.extend({
  phone: z.string(),
  description: z.string(),
  ratingStars: z.number().int().min(1).max(5).nullable(),
  ratingComment: z.string().nullable(),
  /** Done for the member by union staff (代办): the app says 由工会工作人员代办. */
  actedByStaff: z.boolean().optional(),
})
export type MemberBooking = z.infer<typeof memberBooking>

/** A booking as union staff see it: who and when, but never the description or the notes. */
export const staffBooking = bookingCore.extend({
  memberId: id,
  memberNo: z.string(),
  memberName: z.string(),
  unionName: z.string(),
})
export type StaffBooking = z.infer<typeof staffBooking>

/** A booking as its lawyer sees it: with the description, the phone and their private notes. */
export const lawyerBooking = bookingCore.extend({
  memberId: id,
  memberName: z.string(),
  phone: z.string(),
  description: z.string(),
  notes: z.string().nullable(),
  ratingStars: z.number().int().min(1).max(5).nullable(),
})
export type LawyerBooking = z.infer<typeof lawyerBooking>

export const createBookingBody = z
  .object({
    slotId: z.string().min(1, '请选择时段').max(100, '时段标识不正确'),
    topicId: id,
    phone: contactPhone,
    description: problemDescription,
  })
  .strict()
export type CreateBookingBody = z.infer<typeof createBookingBody>

export const memberBookingResponse = z.object({ booking: memberBooking })
export type MemberBookingResponse = z.infer<typeof memberBookingResponse>
export const memberBookingsResponse = z.object({ bookings: z.array(memberBooking) })
export type MemberBookingsResponse = z.infer<typeof memberBookingsResponse>

export const ratingBody = z
  .object({
    stars: z.number().int('评分须为整数').min(1, '评分为 1–5 星').max(5, '评分为 1–5 星'),
    comment: z.string().trim().max(200, '评价最多 200 个字').optional(),
  })
  .strict()
export type RatingBody = z.infer<typeof ratingBody>

// Lawyer

/** Without `date`: today (Asia/Shanghai). */
export const lawyerBookingsQuery = z.object({ date: localDate.optional() }).strict()
export const lawyerBookingsResponse = z.object({
  date: localDate,
  bookings: z.array(lawyerBooking),
})
export type LawyerBookingsResponse = z.infer<typeof lawyerBookingsResponse>
export const lawyerBookingResponse = z.object({ booking: lawyerBooking })
export type LawyerBookingResponse = z.infer<typeof lawyerBookingResponse>

export const outcomeBody = z
  .object({
    status: z.enum(['completed', 'no_show'], '请选择“已完成”或“未到场”'),
    notes: z.string().trim().max(2000, '备注最多 2000 个字').optional(),
  })
  .strict()
export type OutcomeBody = z.infer<typeof outcomeBody>

/** The lawyer's private notes, written or rewritten any time after the consultation started. */
export const lawyerNotesBody = z
  .object({ notes: z.string().trim().max(2000, '备注最多 2000 个字') })
  .strict()
export type LawyerNotesBody = z.infer<typeof lawyerNotesBody>

// Staff

const shortName = (what: string, max: number) =>
  z.string().trim().min(1, `请填写${what}`).max(max, `${what}最多 ${max} 个字`)

/** A lawyer profile for a member who holds the `lawyer` role. */
export const createLawyerBody = z
  .object({
    memberId: id,
    firm: shortName('律师事务所', 60),
    specialties: z.array(shortName('擅长领域', 20)).max(10, '擅长领域最多 10 项').default([]),
    bio: z.string().trim().max(500, '简介最多 500 个字').default(''),
  })
  .strict()
export type CreateLawyerBody = z.input<typeof createLawyerBody>

export const createServicePointBody = z
  .object({
    unionId: id,
    name: shortName('服务点名称', 60),
    kind: servicePointKind,
    address: z.string().trim().min(1, '请填写地址').max(200, '地址最多 200 个字').optional(),
    channel: onlineChannel.optional(),
    phone: dialPhone.optional(),
    location: mapLocationInput.optional(),
  })
  .strict()
  .refine((b) => (b.kind === 'workstation' ? b.address !== undefined : true), {
    message: '工作站需要填写地址',
    path: ['address'],
  })
  .refine((b) => (b.kind === 'online' ? b.channel !== undefined : b.channel === undefined), {
    message: '线上服务需选择电话或视频，工作站不填此项',
    path: ['channel'],
  })
  .refine((b) => b.kind === 'workstation' || b.location === undefined, {
    message: '只有工作站可以标注地图位置',
    path: ['location'],
  })
export type CreateServicePointBody = z.infer<typeof createServicePointBody>

/** Weekly: `weekday` 1 (Monday) – 7 (Sunday), from `start` to `end`, cut into `slotMinutes`. */
export const availabilityRule = z.object({
  id,
  lawyerId: id,
  lawyerName: z.string(),
  servicePointId: id,
  servicePointName: z.string(),
  weekday: z.number().int().min(1).max(7),
  start: localTime,
  end: localTime,
  slotMinutes: z.number().int().positive(),
  validFrom: localDate,
  validTo: localDate.nullable(),
  /** Set once staff retired the rule: it gives no slots any more. */
  retiredAt: isoDateTime.nullable().optional(),
})
export type AvailabilityRule = z.infer<typeof availabilityRule>

export const createAvailabilityBody = z
  .object({
    lawyerId: id,
    servicePointId: id,
    weekday: z
      .number()
      .int('星期须为整数')
      .min(1, '星期为 1（周一）到 7（周日）')
      .max(7, '星期为 1（周一）到 7（周日）'),
    start: localTime,
    end: localTime,
    slotMinutes: z
      .number()
      .int('时段长度须为整数分钟')
      .min(10, '每个时段至少 10 分钟')
      .max(240, '每个时段最多 240 分钟'),
    validFrom: localDate,
    validTo: localDate.optional(),
  })
  .strict()
  .refine((b) => b.end > b.start, { message: '结束时间必须晚于开始时间', path: ['end'] })
  .refine((b) => b.validTo === undefined || b.validTo >= b.validFrom, {
    message: '有效期结束日期不能早于开始日期',
    path: ['validTo'],
  })
export type CreateAvailabilityBody = z.infer<typeof createAvailabilityBody>
export const availabilityRuleResponse = z.object({ rule: availabilityRule })
export const availabilityRulesResponse = z.object({ rules: z.array(availabilityRule) })
export type AvailabilityRulesResponse = z.infer<typeof availabilityRulesResponse>

/** A day without consultations: everywhere, or only at one service point. */
export const closure = z.object({
  id,
  date: localDate,
  reason: z.string(),
  servicePointId: id.nullable(),
  /** Set once staff lifted the closure: the day is open again. */
  retiredAt: isoDateTime.nullable().optional(),
})
export type Closure = z.infer<typeof closure>
export const createClosureBody = z
  .object({
    date: localDate,
    reason: shortName('停诊原因', 60),
    servicePointId: id.optional(),
  })
  .strict()
export type CreateClosureBody = z.infer<typeof createClosureBody>
export const closureResponse = z.object({ closure })

// Staff edits. A change that would leave booked consultations without their slot (a closure on a
// booked day, a rule changed or retired under booked slots, a lawyer or service point retired with
// bookings ahead) is refused — 409 `BOOKINGS_AFFECTED`, the message listing the bookings (id, time,
// lawyer, the member's masked name) — so staff first reach the members and cancel or rebook.

const atLeastOne = (b: Record<string, unknown>) => Object.values(b).some((v) => v !== undefined)
const nothingToChange = { message: '没有要修改的内容' }

export const patchLawyerBody = z
  .object({
    firm: shortName('律师事务所', 60).optional(),
    specialties: z.array(shortName('擅长领域', 20)).max(10, '擅长领域最多 10 项').optional(),
    bio: z.string().trim().max(500, '简介最多 500 个字').optional(),
  })
  .strict()
  .refine(atLeastOne, nothingToChange)
export type PatchLawyerBody = z.infer<typeof patchLawyerBody>

/**
 * The kind stays; a workstation's address or an online point's channel may change, and so may the
 * phone and a workstation's place on the map (`null` clears either).
 */
export const patchServicePointBody = z
  .object({
    name: shortName('服务点名称', 60).optional(),
    address: z.string().trim().min(1, '请填写地址').max(200, '地址最多 200 个字').optional(),
    channel: onlineChannel.optional(),
    phone: dialPhone.nullable().optional(),
    location: mapLocationInput.nullable().optional(),
  })
  .strict()
  .refine(atLeastOne, nothingToChange)
export type PatchServicePointBody = z.infer<typeof patchServicePointBody>

/** Lawyer and service point stay (a new rule moves them); `validTo: null` is open-ended. */
export const patchAvailabilityBody = z
  .object({
    weekday: z
      .number()
      .int('星期须为整数')
      .min(1, '星期为 1（周一）到 7（周日）')
      .max(7, '星期为 1（周一）到 7（周日）')
      .optional(),
    start: localTime.optional(),
    end: localTime.optional(),
    slotMinutes: z
      .number()
      .int('时段长度须为整数分钟')
      .min(10, '每个时段至少 10 分钟')
      .max(240, '每个时段最多 240 分钟')
      .optional(),
    validFrom: localDate.optional(),
    validTo: localDate.nullable().optional(),
  })
  .strict()
  .refine(atLeastOne, nothingToChange)
export type PatchAvailabilityBody = z.infer<typeof patchAvailabilityBody>

export const patchClosureBody = z
  .object({
    date: localDate.optional(),
    reason: shortName('停诊原因', 60).optional(),
  })
  .strict()
  .refine(atLeastOne, nothingToChange)
export type PatchClosureBody = z.infer<typeof patchClosureBody>

export const closuresResponse = z.object({ closures: z.array(closure) })
export type ClosuresResponse = z.infer<typeof closuresResponse>

/** Bookings at service points of the staff member's union subtree (optionally one day). */
export const staffBookingsQuery = z
  .object({
    date: localDate.optional(),
    servicePointId: idText.optional(),
  })
  .strict()
export const staffBookingsResponse = z.object({ bookings: z.array(staffBooking), total: count })
export type StaffBookingsResponse = z.infer<typeof staffBookingsResponse>

export const legalRoutes = {
  legalTopics: route({
    method: 'GET',
    path: '/legal/topics',
    response: legalTopicsResponse,
    status: 200,
  }),
  legalLawyers: route({
    method: 'GET',
    path: '/legal/lawyers',
    response: lawyersResponse,
    status: 200,
  }),
  /** Service points of the caller's union and its ancestors. */
  legalServicePoints: route({
    method: 'GET',
    path: '/legal/service-points',
    response: servicePointsResponse,
    status: 200,
  }),
  /**
   * Upcoming slots between two days (at most 14 days, 62 for one lawyer or service point: 400
   * `RANGE_TOO_LONG`); past ones are left out.
   */
  legalSlots: route({
    method: 'GET',
    path: '/legal/slots',
    query: slotsQuery,
    response: slotsResponse,
    status: 200,
  }),
  /**
   * ★ Books a slot: requires `Idempotency-Key`. 409 `SLOT_TAKEN`, 422 `TOO_MANY_BOOKINGS`
   * (2 upcoming), 422 `SLOT_IN_PAST`, 422 `SLOT_TOO_SOON` (within `minBookingLeadHours`), 404 for
   * an unknown slot id or topic.
   */
  createLegalBooking: route({
    method: 'POST',
    path: '/legal/bookings',
    body: createBookingBody,
    response: memberBookingResponse,
    status: 201,
    creates: true,
    idempotency: 'required',
  }),
  /** The caller's own bookings, newest slot first, with descriptions. */
  legalBookings: route({
    method: 'GET',
    path: '/legal/bookings',
    response: memberBookingsResponse,
    status: 200,
  }),
  /** 422 `TOO_LATE_TO_CANCEL` within 2 hours of the start; 409 `NOT_CANCELLABLE` unless booked. */
  cancelLegalBooking: route({
    method: 'POST',
    path: '/legal/bookings/:id/cancel',
    params: idParams,
    response: memberBookingResponse,
    status: 200,
  }),
  /** Once, after the lawyer marked it completed: 422 `NOT_RATEABLE`, 409 `ALREADY_RATED`. */
  rateLegalBooking: route({
    method: 'POST',
    path: '/legal/bookings/:id/rating',
    params: idParams,
    body: ratingBody,
    response: memberBookingResponse,
    status: 200,
  }),
  lawyerBookings: route({
    method: 'GET',
    path: '/lawyer/bookings',
    query: lawyerBookingsQuery,
    response: lawyerBookingsResponse,
    status: 200,
  }),
  /** After the start only (422 `CONSULTATION_NOT_STARTED`); 409 `NOT_BOOKED` for cancelled ones. */
  lawyerBookingOutcome: route({
    method: 'POST',
    path: '/lawyer/bookings/:id/outcome',
    params: idParams,
    body: outcomeBody,
    response: lawyerBookingResponse,
    status: 200,
  }),
  staffLegalLawyers: route({
    method: 'GET',
    path: '/staff/legal/lawyers',
    response: lawyersResponse,
    status: 200,
  }),
  /** 409 `LAWYER_EXISTS`; 422 `NOT_A_LAWYER` unless the member holds the lawyer role. */
  createLegalLawyer: route({
    method: 'POST',
    path: '/staff/legal/lawyers',
    body: createLawyerBody,
    response: lawyerResponse,
    status: 201,
    creates: true,
  }),
  staffLegalServicePoints: route({
    method: 'GET',
    path: '/staff/legal/service-points',
    response: servicePointsResponse,
    status: 200,
  }),
  createLegalServicePoint: route({
    method: 'POST',
    path: '/staff/legal/service-points',
    body: createServicePointBody,
    response: servicePointResponse,
    status: 201,
    creates: true,
  }),
  staffLegalAvailability: route({
    method: 'GET',
    path: '/staff/legal/availability',
    response: availabilityRulesResponse,
    status: 200,
  }),
  createLegalAvailability: route({
    method: 'POST',
    path: '/staff/legal/availability',
    body: createAvailabilityBody,
    response: availabilityRuleResponse,
    status: 201,
    creates: true,
  }),
  staffLegalClosures: route({
    method: 'GET',
    path: '/staff/legal/closures',
    response: closuresResponse,
    status: 200,
  }),
  /** 409 `BOOKINGS_AFFECTED` when consultations are booked that day (at that service point). */
  createLegalClosure: route({
    method: 'POST',
    path: '/staff/legal/closures',
    body: createClosureBody,
    response: closureResponse,
    status: 201,
    creates: true,
  }),
  /** Firm, specialties and bio. */
  patchLegalLawyer: route({
    method: 'PATCH',
    path: '/staff/legal/lawyers/:id',
    params: idParams,
    body: patchLawyerBody,
    response: lawyerResponse,
    status: 200,
  }),
  /** Soft delete; 409 `BOOKINGS_AFFECTED` while they have upcoming bookings. */
  retireLegalLawyer: route({
    method: 'POST',
    path: '/staff/legal/lawyers/:id/retire',
    params: idParams,
    response: lawyerResponse,
    status: 200,
  }),
  patchLegalServicePoint: route({
    method: 'PATCH',
    path: '/staff/legal/service-points/:id',
    params: idParams,
    body: patchServicePointBody,
    response: servicePointResponse,
    status: 200,
  }),
  /** Soft delete; 409 `BOOKINGS_AFFECTED` while it has upcoming bookings. */
  retireLegalServicePoint: route({
    method: 'POST',
    path: '/staff/legal/service-points/:id/retire',
    params: idParams,
    response: servicePointResponse,
    status: 200,
  }),
  /** 409 `BOOKINGS_AFFECTED` when an upcoming booking's slot would no longer exist. */
  patchLegalAvailability: route({
    method: 'PATCH',
    path: '/staff/legal/availability/:id',
    params: idParams,
    body: patchAvailabilityBody,
    response: availabilityRuleResponse,
    status: 200,
  }),
  /** Soft delete; 409 `BOOKINGS_AFFECTED` when an upcoming booking's slot would go with it. */
  retireLegalAvailability: route({
    method: 'POST',
    path: '/staff/legal/availability/:id/retire',
    params: idParams,
    response: availabilityRuleResponse,
    status: 200,
  }),
  /** A new date with bookings on it: 409 `BOOKINGS_AFFECTED`. */
  patchLegalClosure: route({
    method: 'PATCH',
    path: '/staff/legal/closures/:id',
    params: idParams,
    body: patchClosureBody,
    response: closureResponse,
    status: 200,
  }),
  /** Lifts the closure: the day is open again. */
  retireLegalClosure: route({
    method: 'POST',
    path: '/staff/legal/closures/:id/retire',
    params: idParams,
    response: closureResponse,
    status: 200,
  }),
  /**
   * The lawyer's private notes, sealed at rest, any time after the start (422
   * `CONSULTATION_NOT_STARTED`); 409 `NOT_BOOKED` for a cancelled booking.
   */
  lawyerBookingNotes: route({
    method: 'PUT',
    path: '/lawyer/bookings/:id/notes',
    params: idParams,
    body: lawyerNotesBody,
    response: lawyerBookingResponse,
    status: 200,
  }),
  /** Without descriptions or notes. */
  staffLegalBookings: route({
    method: 'GET',
    path: '/staff/legal/bookings',
    query: staffBookingsQuery,
    response: staffBookingsResponse,
    status: 200,
  }),
} as const
