import { z } from 'zod'
import { id, isoDateTime } from './common'
import { route } from './route-def'

/**
 * 待办: what the signed-in member must act on, soonest first — each with the page that acts on it
 * (`link`, an app path) and the time it is due (`dueAt`).
 */

const base = z.object({
  /** Stable per thing (`pickup:12`), for list keys. */
  key: z.string(),
  /** The app page that acts on it, e.g. `/packages/mall/pages/orders`. */
  link: z.string(),
  /** When it is due: the pickup deadline, the campaign's close, the start of the event… */
  dueAt: isoDateTime,
})

/** An order waiting to be picked up with its code, until its deadline. */
export const pickupTodo = base.extend({
  kind: z.literal('pickup'),
  orderId: id,
  itemName: z.string(),
  quantity: z.number().int().positive(),
  pickupCode: z.string(),
  /** Where to pick it up. */
  unionName: z.string(),
})

/** An open cooling campaign the member has chosen no pack for yet; due when it closes. */
export const coolingTodo = base.extend({
  kind: z.literal('cooling'),
  campaignId: id,
  title: z.string(),
})

/**
 * An event the member signed up for: `checkin` (confirmed, due at the start), `waitlisted` (with
 * the place in the line), `flowers` (checked in, the flower phase open, flowers left), `matched`
 * (the flower phase closed with at least one match).
 */
export const eventTodoStates = ['checkin', 'waitlisted', 'flowers', 'matched'] as const
export const eventTodo = base.extend({
  kind: z.literal('event'),
  eventId: id,
  title: z.string(),
  venue: z.string(),
  state: z.enum(eventTodoStates),
  /** Only when `waitlisted`. */
  waitlistPosition: z.number().int().positive().optional(),
  /** Only when `matched`. */
  matchCount: z.number().int().positive().optional(),
})

/** The next legal appointment (booked, not yet started). */
export const legalTodo = base.extend({
  kind: z.literal('legal'),
  bookingId: id,
  lawyerName: z.string(),
  servicePointName: z.string(),
  topicName: z.string(),
})

/** Points that expire within `pointsExpiringDays`; due at the earliest expiry. */
export const pointsTodo = base.extend({
  kind: z.literal('points'),
  points: z.number().int().positive(),
})

export const todoItem = z.discriminatedUnion('kind', [
  pickupTodo,
  coolingTodo,
  eventTodo,
  legalTodo,
  pointsTodo,
])
export type TodoItem = z.infer<typeof todoItem>
export type TodoKind = TodoItem['kind']

/** The app pages a 待办 opens (server and app agree on them here). */
export const todoLinks = {
  pickup: '/packages/mall/pages/orders',
  cooling: (campaignId: number) => `/packages/cooling/pages/campaign?id=${campaignId}`,
  event: (eventId: number) => `/packages/events/pages/event?id=${eventId}`,
  flowers: (eventId: number) => `/packages/events/pages/flowers?id=${eventId}`,
  legal: (bookingId: number) => `/packages/legal/pages/booking?id=${bookingId}`,
  /** A tab page: opened with switchTab. */
  points: '/pages/points/index',
} as const

/** How long after an event its flower matches stay a 待办. */
export const matchesShownDays = 7

/** Points expiring within this many days are a 待办. */
export const pointsExpiringDays = 30

export const todoResponse = z.object({ todos: z.array(todoItem) })
export type TodoResponse = z.infer<typeof todoResponse>

export const todoRoutes = {
  /** 待办 of the caller, soonest first (a bounded list: a few indexed reads, each LIMITed). */
  myTodo: route({ method: 'GET', path: '/me/todo', response: todoResponse, status: 200 }),
} as const
