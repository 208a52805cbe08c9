import { z } from 'zod'
import { calendarDate, id, idText, isoDateTime } from './common'
import { route } from './route-def'

/**
 * 数据看板 (issue #14): the figures union staff report upward, for a union's subtree and a period
 * of days (Asia/Shanghai, both ends included). Staff see their union's subtree, admins any union
 * (every union without `unionId`); `unionId` narrows to a union within that.
 *
 * What counts where:
 * - members and points, mall: by the member's union (what the union's members have and did);
 * - cooling: the campaigns of the subtree's unions whose window meets the period; coverage as it
 *   stands now (chose / default pack / not covered of the members the campaign reaches);
 * - events: the events a union of the subtree (co-)hosts that start in the period;
 * - legal: the bookings at the subtree's service points that start in the period.
 */

/** The longest period one request covers, in days (about three years). */
export const statsMaxDays = 1100

const count = z.number().int().nonnegative()
/** A share 0…1, null when there is nothing to divide by. */
const share = z.number().min(0).max(1).nullable()

export const statsQuery = z
  .object({
    unionId: idText.optional(),
    /** First and last day of the period, Asia/Shanghai, inclusive (default: this year to today). */
    from: calendarDate.optional(),
    to: calendarDate.optional(),
    /** `xlsx`: the same figures as a workbook to download. */
    format: z.enum(['json', 'xlsx']).optional(),
  })
  .strict()
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    message: '开始日期不能晚于结束日期',
    path: ['from'],
  })
export type StatsQuery = z.input<typeof statsQuery>

export const statsMembers = z.object({
  /** Members of the subtree now. */
  total: count,
  /** Of them, bound to WeChat. */
  bound: count,
})

/** Points moved in the period, each as a positive sum. */
export const statsPoints = z.object({
  granted: count,
  /** Earned by checking in at events. */
  earned: count,
  redeemed: count,
  /** Given back for cancelled or expired orders. */
  refunded: count,
  expired: count,
})

export const statsMallItem = z.object({
  itemId: id,
  name: z.string(),
  /** Orders placed in the period (any outcome). */
  orders: count,
  quantity: count,
  points: count,
  fulfilled: count,
})

export const statsMall = z.object({
  orders: count,
  quantity: count,
  points: count,
  fulfilled: count,
  /** Not picked up by the deadline. */
  expired: count,
  cancelled: count,
  awaiting: count,
  /** Picked up ÷ (picked up + not picked up in time): orders still awaiting are not counted. */
  pickupRate: share,
  items: z.array(statsMallItem),
})

export const statsCoolingSite = z.object({
  /** Null: pickup at the union (到工会自取). */
  siteId: id.nullable(),
  name: z.string(),
  packs: count,
})

export const statsCoolingCampaign = z.object({
  id,
  title: z.string(),
  unionName: z.string(),
  opensAt: isoDateTime,
  closesAt: isoDateTime,
  closed: z.boolean(),
  /** Members the campaign reaches: `member`s of its union's subtree. */
  reach: count,
  chose: count,
  defaulted: count,
  /** reach − chose − defaulted (never below 0). */
  notCovered: count,
  shipped: count,
  received: count,
  /** Packs per destination, pickup first, then sites by packs. */
  sites: z.array(statsCoolingSite),
})

export const statsEvent = z.object({
  id,
  title: z.string(),
  startsAt: isoDateTime,
  /** Signed up and not cancelled (confirmed + waitlist). */
  signups: count,
  checkins: count,
  waitlisted: count,
  flowers: count,
  /** Pairs who sent each other a flower. */
  matches: count,
})

export const statsEvents = z.object({
  events: count,
  signups: count,
  checkins: count,
  waitlisted: count,
  flowers: count,
  matches: count,
  list: z.array(statsEvent),
})

export const statsLegalGroup = z.object({
  id,
  name: z.string(),
  bookings: count,
  completed: count,
  noShow: count,
})

export const statsLegal = z.object({
  /** Bookings in the period that were not cancelled. */
  bookings: count,
  /** Still to take place (or awaiting the lawyer's outcome). */
  booked: count,
  completed: count,
  noShow: count,
  cancelled: count,
  ratings: count,
  /** Average stars (1–5) of the rated consultations, one decimal; null without ratings. */
  averageRating: z.number().min(1).max(5).nullable(),
  topics: z.array(statsLegalGroup),
  servicePoints: z.array(statsLegalGroup),
})

export const statsResponse = z.object({
  /** The subtree's top union; null: every union (an admin without `unionId`). */
  union: z.object({ id: id.nullable(), name: z.string() }),
  from: calendarDate,
  to: calendarDate,
  members: statsMembers,
  points: statsPoints,
  mall: statsMall,
  cooling: z.object({ campaigns: z.array(statsCoolingCampaign) }),
  events: statsEvents,
  legal: statsLegal,
})
export type StatsResponse = z.infer<typeof statsResponse>
export type StatsCoolingCampaign = z.infer<typeof statsCoolingCampaign>
export type StatsEvent = z.infer<typeof statsEvent>
export type StatsMallItem = z.infer<typeof statsMallItem>
export type StatsLegalGroup = z.infer<typeof statsLegalGroup>

export const statsRoutes = {
  /** Staff (their union's subtree) and admins (any union); `?format=xlsx` for the workbook. */
  staffStats: route({
    method: 'GET',
    path: '/staff/stats',
    query: statsQuery,
    response: statsResponse,
    status: 200,
  }),
} as const
