import { eventsRoutes as routes } from '@/contract/routes/events'
import type {
  AttendeesResponse,
  CreateEventInput,
  EventDetailResponse,
  FlowersResponse,
  GroupsResponse,
  MakeGroupsBody,
  MatchesResponse,
  MemberEvent,
  MyRegistration,
  ProfileInput,
  RoundsResponse,
  SendFlowerResponse,
  StaffCheckinBody,
  StaffEvent,
  StaffRegistration,
  UpdateEventInput,
} from '@/contract/events'
import { call, type CallOptions } from '@/services/http'

/** Events the member may join (hosted by their union or an ancestor), soonest first. */
export async function listEvents(): Promise<MemberEvent[]> {
  const { events } = await call(routes.events)
  return events
}

/** One event with the member's registration (null when they never signed up). */
export function getEvent(id: number): Promise<EventDetailResponse> {
  return call(routes.event, { params: { id } })
}

/**
 * Signs the member up with their profile: `confirmed`, or `waitlisted` past capacity.
 * `NOT_ELIGIBLE`, `ALREADY_SIGNED_UP`, `SIGNUP_CLOSED` otherwise.
 */
export async function signUp(
  id: number,
  profile: ProfileInput,
  options?: CallOptions,
): Promise<MyRegistration> {
  const { registration } = await call(routes.signup, { params: { id }, body: { profile } }, options)
  return registration
}

/** Cancels the member's registration; the first on the waitlist takes the place. */
export async function cancelSignup(id: number): Promise<MyRegistration> {
  const { registration } = await call(routes.cancelSignup, { params: { id } })
  return registration
}

/** Checks the member in with the event's code (scanned or typed at the venue). */
export async function checkIn(id: number, code: string): Promise<MyRegistration> {
  const { registration } = await call(routes.checkin, { params: { id }, body: { code } })
  return registration
}

/** Checked-in attendees (nickname, intro; never member numbers) and the caller's own handle. */
export function listAttendees(id: number): Promise<AttendeesResponse> {
  return call(routes.attendees, { params: { id } })
}

/** The member's group in each round (empty until the organiser made the groups). */
export function getRounds(id: number): Promise<RoundsResponse> {
  return call(routes.rounds, { params: { id } })
}

/** The member's flowers: left, sent to, the phase, and matches once the phase is closed. */
export function getFlowers(id: number): Promise<FlowersResponse> {
  return call(routes.flowers, { params: { id } })
}

/**
 * Sends one flower (final). Reuse the `idempotencyKey` when retrying the same flower by hand.
 * `NO_FLOWERS_LEFT`, `ALREADY_SENT`, `CANNOT_SEND_TO_SELF`, `NOT_CHECKED_IN`, `FLOWER_PHASE_CLOSED`.
 */
export function sendFlower(
  id: number,
  toAttendeeId: string,
  options?: CallOptions,
): Promise<SendFlowerResponse> {
  return call(routes.sendFlower, { params: { id }, body: { toAttendeeId } }, options)
}

/** Events the staff member runs (a host union in their scope; admins: all). */
export async function listStaffEvents(): Promise<StaffEvent[]> {
  const { events } = await call(routes.staffEvents)
  return events
}

/** One event as its organisers see it. */
export async function getStaffEvent(id: number): Promise<StaffEvent> {
  const { event } = await call(routes.staffEvent, { params: { id } })
  return event
}

/** Creates an event (staff). */
export async function createEvent(
  body: CreateEventInput,
  options?: CallOptions,
): Promise<StaffEvent> {
  const { event } = await call(routes.createEvent, { body }, options)
  return event
}

/** Sign-ups: confirmed in order, then the waitlist in order, then the cancelled (staff). */
export async function listRegistrations(id: number): Promise<StaffRegistration[]> {
  const { registrations } = await call(routes.staffRegistrations, { params: { id } })
  return registrations
}

/** The event's check-in code that attendees scan at the venue (staff). */
export async function getCheckinCode(id: number): Promise<string> {
  const { code } = await call(routes.checkinCode, { params: { id } })
  return code
}

/** Checks a member in by their personal check-in code or member id (staff). */
export async function checkInMember(
  id: number,
  body: StaffCheckinBody,
): Promise<StaffRegistration> {
  const { registration } = await call(routes.staffCheckin, { params: { id }, body })
  return registration
}

/** Splits the checked-in attendees into groups with a rotating cohort (staff). */
export function makeGroups(id: number, body: MakeGroupsBody): Promise<GroupsResponse> {
  return call(routes.makeGroups, { params: { id }, body })
}

/** The stored groups (`NOT_FOUND` until made) (staff). */
export function getGroups(id: number): Promise<GroupsResponse> {
  return call(routes.groups, { params: { id } })
}

/** Opens (`true`) or closes (`false`) the flower phase; closing reveals matches to all (staff). */
export async function setFlowerPhase(id: number, open: boolean): Promise<StaffEvent> {
  const { event } = await call(routes.flowerPhase, { params: { id }, body: { open } })
  return event
}

/** Totals and mutual pairs; never one-sided flowers (staff). */
export function getMatches(id: number): Promise<MatchesResponse> {
  return call(routes.matches, { params: { id } })
}

/**
 * Edits an event (staff): title, venue, times, capacity, check-in points. A larger capacity
 * promotes from the waitlist at once; `CAPACITY_BELOW_CONFIRMED` below the confirmed count.
 */
export async function updateEvent(id: number, body: UpdateEventInput): Promise<StaffEvent> {
  const { event } = await call(routes.updateEvent, { params: { id }, body })
  return event
}

/** Moves the mixer to round `round` (staff); attendees' round pages follow it. */
export async function setCurrentRound(id: number, round: number): Promise<StaffEvent> {
  const { event } = await call(routes.currentRound, { params: { id }, body: { round } })
  return event
}
