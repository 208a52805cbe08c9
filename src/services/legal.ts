import { legalRoutes as routes } from '@/contract/routes/legal'
import type {
  AvailabilityRule,
  Closure,
  CreateAvailabilityBody,
  CreateBookingBody,
  CreateClosureBody,
  CreateLawyerBody,
  CreateServicePointBody,
  Lawyer,
  LawyerBooking,
  LawyerBookingsResponse,
  LegalSlot,
  LegalTopic,
  MemberBooking,
  OutcomeBody,
  RatingBody,
  ServicePoint,
  SlotsQuery,
  StaffBookingsResponse,
} from '@/contract/legal'
import { call, type CallOptions } from '@/services/http'

/** The consultation topics (劳动合同签订与解除, 工资拖欠…). */
export async function listLegalTopics(): Promise<LegalTopic[]> {
  const { topics } = await call(routes.legalTopics)
  return topics
}

/** The union lawyers with firm, specialties and bio. */
export async function listLawyers(): Promise<Lawyer[]> {
  const { lawyers } = await call(routes.legalLawyers)
  return lawyers
}

/** Service points of the member's union and its ancestors: workstations and online services. */
export async function listServicePoints(): Promise<ServicePoint[]> {
  const { servicePoints } = await call(routes.legalServicePoints)
  return servicePoints
}

/**
 * Upcoming slots between two days (`YYYY-MM-DD`, both counted: at most 14 days, 62 with a lawyer
 * or service point, else 400 `RANGE_TOO_LONG`), booked ones marked.
 */
export async function listSlots(query: SlotsQuery): Promise<LegalSlot[]> {
  const { slots } = await call(routes.legalSlots, { query })
  return slots
}

/**
 * ★ Books a slot. Pass the same `idempotencyKey` on a retry after a network error so a lost answer
 * never books twice. Refusals: `SLOT_TAKEN`, `TOO_MANY_BOOKINGS`, `SLOT_IN_PAST`.
 */
export async function bookConsultation(
  body: CreateBookingBody,
  options: CallOptions,
): Promise<MemberBooking> {
  const { booking } = await call(routes.createLegalBooking, { body }, options)
  return booking
}

/** The member's own bookings, with their descriptions. */
export async function listMyBookings(): Promise<MemberBooking[]> {
  const { bookings } = await call(routes.legalBookings)
  return bookings
}

/** Cancels a booking (`TOO_LATE_TO_CANCEL` within 2 hours of its start). */
export async function cancelBooking(bookingId: number): Promise<MemberBooking> {
  const { booking } = await call(routes.cancelLegalBooking, { params: { id: bookingId } })
  return booking
}

/** Rates a completed consultation, 1–5 stars with an optional comment. */
export async function rateBooking(bookingId: number, body: RatingBody): Promise<MemberBooking> {
  const { booking } = await call(routes.rateLegalBooking, { params: { id: bookingId }, body })
  return booking
}

/** The lawyer's bookings of one day (`YYYY-MM-DD`; today without it), with descriptions and notes. */
export async function listLawyerDay(date?: string): Promise<LawyerBookingsResponse> {
  return call(routes.lawyerBookings, { query: { date } })
}

/** The lawyer marks a booking completed or no-show, with private notes. */
export async function recordOutcome(bookingId: number, body: OutcomeBody): Promise<LawyerBooking> {
  const { booking } = await call(routes.lawyerBookingOutcome, { params: { id: bookingId }, body })
  return booking
}

/** Lawyers (staff). */
export async function listStaffLawyers(): Promise<Lawyer[]> {
  const { lawyers } = await call(routes.staffLegalLawyers)
  return lawyers
}

/** Adds the lawyer profile of a member with the lawyer role (staff). */
export async function createLawyer(body: CreateLawyerBody, options?: CallOptions): Promise<Lawyer> {
  const { lawyer } = await call(routes.createLegalLawyer, { body }, options)
  return lawyer
}

/** Service points of the unions the staff member manages. */
export async function listStaffServicePoints(): Promise<ServicePoint[]> {
  const { servicePoints } = await call(routes.staffLegalServicePoints)
  return servicePoints
}

/** Adds a workstation or an online service (staff). */
export async function createServicePoint(
  body: CreateServicePointBody,
  options?: CallOptions,
): Promise<ServicePoint> {
  const { servicePoint } = await call(routes.createLegalServicePoint, { body }, options)
  return servicePoint
}

/** Weekly availability rules (staff). */
export async function listAvailability(): Promise<AvailabilityRule[]> {
  const { rules } = await call(routes.staffLegalAvailability)
  return rules
}

/** Adds a weekly availability rule (staff). */
export async function createAvailability(
  body: CreateAvailabilityBody,
  options?: CallOptions,
): Promise<AvailabilityRule> {
  const { rule } = await call(routes.createLegalAvailability, { body }, options)
  return rule
}

/** Closure days (holidays) (staff). */
export async function listClosures(): Promise<Closure[]> {
  const { closures } = await call(routes.staffLegalClosures)
  return closures
}

/** Adds a closure day, everywhere or at one service point (staff). */
export async function createClosure(
  body: CreateClosureBody,
  options?: CallOptions,
): Promise<Closure> {
  const { closure } = await call(routes.createLegalClosure, { body }, options)
  return closure
}

/** Bookings at the staff member's service points — never with descriptions or notes. */
export async function listStaffBookings(date?: string): Promise<StaffBookingsResponse> {
  return call(routes.staffLegalBookings, { query: { date } })
}
