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
  PatchAvailabilityBody,
  PatchClosureBody,
  PatchLawyerBody,
  PatchServicePointBody,
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

/** The lawyer writes or rewrites their private notes, any time after the start. */
export async function saveLawyerNotes(bookingId: number, notes: string): Promise<LawyerBooking> {
  const { booking } = await call(routes.lawyerBookingNotes, {
    params: { id: bookingId },
    body: { notes },
  })
  return booking
}

/** Edits a lawyer's firm, specialties or bio (staff). */
export async function patchLawyer(id: number, body: PatchLawyerBody): Promise<Lawyer> {
  const { lawyer } = await call(routes.patchLegalLawyer, { params: { id }, body })
  return lawyer
}

/** Retires a lawyer (staff): `BOOKINGS_AFFECTED` while they have upcoming bookings. */
export async function retireLawyer(id: number): Promise<Lawyer> {
  const { lawyer } = await call(routes.retireLegalLawyer, { params: { id } })
  return lawyer
}

/** Renames a service point or changes its address or channel (staff). */
export async function patchServicePoint(
  id: number,
  body: PatchServicePointBody,
): Promise<ServicePoint> {
  const { servicePoint } = await call(routes.patchLegalServicePoint, { params: { id }, body })
  return servicePoint
}

/** Retires a service point (staff): `BOOKINGS_AFFECTED` while it has upcoming bookings. */
export async function retireServicePoint(id: number): Promise<ServicePoint> {
  const { servicePoint } = await call(routes.retireLegalServicePoint, { params: { id } })
  return servicePoint
}

/** Changes a weekly rule (staff): `BOOKINGS_AFFECTED` when booked slots would go. */
export async function patchAvailability(
  id: number,
  body: PatchAvailabilityBody,
): Promise<AvailabilityRule> {
  const { rule } = await call(routes.patchLegalAvailability, { params: { id }, body })
  return rule
}

/** Retires a weekly rule (staff): `BOOKINGS_AFFECTED` when booked slots would go. */
export async function retireAvailability(id: number): Promise<AvailabilityRule> {
  const { rule } = await call(routes.retireLegalAvailability, { params: { id } })
  return rule
}

/** Changes a closure's day or reason (staff): `BOOKINGS_AFFECTED` for a booked day. */
export async function patchClosure(id: number, body: PatchClosureBody): Promise<Closure> {
  const { closure } = await call(routes.patchLegalClosure, { params: { id }, body })
  return closure
}

/** Lifts a closure: the day is open again (staff). */
export async function retireClosure(id: number): Promise<Closure> {
  const { closure } = await call(routes.retireLegalClosure, { params: { id } })
  return closure
}
