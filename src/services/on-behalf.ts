import { onBehalfRoutes as routes } from '@/contract/routes/on-behalf'
import type { CoolingPack, SavePackBody } from '@/contract/cooling'
import type { StaffRegistration } from '@/contract/events'
import type { LegalSlot, SlotsQuery, StaffBooking } from '@/contract/legal'
import type { MallOrder } from '@/contract/mall'
import type {
  OnBehalfResponse,
  StaffBookingBody,
  StaffOrderBody,
  StaffSignupInput,
} from '@/contract/on-behalf'
import { call, type CallOptions } from '@/services/http'

// 代办: union staff act for a member (the same rules as the member's own routes).

/** What staff may do for the member: events, campaigns and sites, items, legal topics. */
export function getOnBehalf(memberId: number): Promise<OnBehalfResponse> {
  return call(routes.staffOnBehalf, { params: { id: memberId } })
}

/** The legal slots the member may book. */
export async function listMemberSlots(memberId: number, query: SlotsQuery): Promise<LegalSlot[]> {
  const { slots } = await call(routes.staffMemberLegalSlots, { params: { id: memberId }, query })
  return slots
}

/** Signs the member up with the profile they dictate (waitlisted past capacity). */
export async function signUpFor(
  eventId: number,
  body: StaffSignupInput,
  options?: CallOptions,
): Promise<StaffRegistration> {
  const { registration } = await call(
    routes.staffSignup,
    { params: { id: eventId }, body },
    options,
  )
  return registration
}

/** Submits or changes the member's cooling pack. */
export async function savePackFor(
  campaignId: number,
  memberId: number,
  body: SavePackBody,
): Promise<CoolingPack> {
  const { pack } = await call(routes.staffSaveCoolingPack, {
    params: { id: campaignId, memberId },
    body,
  })
  return pack
}

/** Books a lawyer for the member; pass the same key on a retry. The answer has no description. */
export async function bookFor(body: StaffBookingBody, options: CallOptions): Promise<StaffBooking> {
  const { booking } = await call(routes.staffCreateLegalBooking, { body }, options)
  return booking
}

/** Redeems an item at the desk for the member; pass the same key on a retry. */
export async function redeemFor(body: StaffOrderBody, options: CallOptions): Promise<MallOrder> {
  const { order } = await call(routes.staffCreateOrder, { body }, options)
  return order
}
