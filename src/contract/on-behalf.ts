import { z } from 'zod'
import { id, idParams, idText } from './common'
import { coolingCampaign, coolingPackResponse, coolingSite, savePackBody } from './cooling'
import { memberEvent, profile, staffRegistrationResponse } from './events'
import {
  createBookingBody,
  lawyer,
  legalTopic,
  servicePoint,
  slotsQuery,
  slotsResponse,
  staffBooking,
} from './legal'
import { createOrderBody, memberMallItem, orderResponse } from './mall'
import { memberSummary } from './org'
import { route } from './route-def'

/**
 * 代办: union staff act for a member without a phone — sign them up for an event, compose their
 * cooling pack, book a lawyer, redeem an item at the desk. The same rules, errors, idempotency and
 * races as the member's own routes; staff of the member's union subtree only (403 outside, 404 for
 * an unknown member), admins anywhere. Each is recorded with who acted and in the audit log, and
 * the member sees 由工会工作人员代办 on it.
 */

const memberId = id

/** Staff sign a member up with the profile the member dictates. */
export const staffSignupBody = z.object({ memberId, profile }).strict()
export type StaffSignupBody = z.infer<typeof staffSignupBody>
export type StaffSignupInput = z.input<typeof staffSignupBody>

export const staffPackParams = z.object({ id: idText, memberId: idText }).strict()

/** A booking for a member: the description is sealed as the member's own and never answered. */
export const staffBookingBody = createBookingBody.extend({ memberId }).strict()
export type StaffBookingBody = z.infer<typeof staffBookingBody>

export const staffBookingResponse = z.object({ booking: staffBooking })
export type StaffBookingResponse = z.infer<typeof staffBookingResponse>

export const staffOrderBody = createOrderBody.extend({ memberId }).strict()
export type StaffOrderBody = z.infer<typeof staffOrderBody>

/**
 * What staff may do for one member, as the member would see it: the events they may join, the
 * cooling campaigns offered (with the member's pack status) and their enterprise's sites, the mall
 * items in their reach, the legal topics, lawyers and service points.
 */
export const onBehalfResponse = z.object({
  member: memberSummary,
  events: z.array(memberEvent),
  campaigns: z.array(coolingCampaign),
  sites: z.array(coolingSite),
  items: z.array(memberMallItem),
  topics: z.array(legalTopic),
  /** The lawyers and the service points the member may book (to name a slot's who and where). */
  lawyers: z.array(lawyer),
  servicePoints: z.array(servicePoint),
})
export type OnBehalfResponse = z.infer<typeof onBehalfResponse>

export const onBehalfRoutes = {
  /** What staff may do for the member (`:id`): 403 outside the staff's unions, 404 unknown. */
  staffOnBehalf: route({
    method: 'GET',
    path: '/staff/members/:id/on-behalf',
    params: idParams,
    response: onBehalfResponse,
    status: 200,
  }),
  /** The legal slots the member (`:id`) may book (as `GET /legal/slots` for the member). */
  staffMemberLegalSlots: route({
    method: 'GET',
    path: '/staff/members/:id/legal/slots',
    params: idParams,
    query: slotsQuery,
    response: slotsResponse,
    status: 200,
  }),
  /** Signs the member up: as `POST /events/:id/signup` (403 `NOT_ELIGIBLE`, 409 …, waitlist). */
  staffSignup: route({
    method: 'POST',
    path: '/staff/events/:id/registrations',
    params: idParams,
    body: staffSignupBody,
    response: staffRegistrationResponse,
    status: 201,
    creates: true,
  }),
  /** Submits or changes the member's pack: as `PUT /cooling/campaigns/:id/pack`. */
  staffSaveCoolingPack: route({
    method: 'PUT',
    path: '/staff/cooling/campaigns/:id/packs/:memberId',
    params: staffPackParams,
    body: savePackBody,
    response: coolingPackResponse,
    status: 200,
  }),
  /** ★ Books a slot for the member: requires `Idempotency-Key`; as `POST /legal/bookings`. */
  staffCreateLegalBooking: route({
    method: 'POST',
    path: '/staff/legal/bookings',
    body: staffBookingBody,
    response: staffBookingResponse,
    status: 201,
    creates: true,
    idempotency: 'required',
  }),
  /** ★ Redeems at the desk for the member: requires `Idempotency-Key`; as `POST /mall/orders`. */
  staffCreateOrder: route({
    method: 'POST',
    path: '/staff/mall/orders',
    body: staffOrderBody,
    response: orderResponse,
    status: 201,
    creates: true,
    idempotency: 'required',
  }),
} as const
