// Route table of one feature: the app's service module imports only this (and so only these
// schemas); `src/contract/routes.ts` gathers every table for the server and the tests.
import { route } from '../route-def'
import {
  attendeesResponse,
  checkinBody,
  checkinCodeResponse,
  createEventBody,
  currentRoundBody,
  eventDetailResponse,
  eventsResponse,
  flowerPhaseBody,
  flowersResponse,
  groupsResponse,
  makeGroupsBody,
  matchesResponse,
  registrationResponse,
  roundsResponse,
  sendFlowerBody,
  sendFlowerResponse,
  signupBody,
  staffCheckinBody,
  staffEventResponse,
  staffEventsResponse,
  staffRegistrationResponse,
  staffRegistrationsResponse,
  updateEventBody,
} from '../events'
import { idParams } from '../common'

/** Events, sign-ups, check-in, mixer rounds and flowers. */
export const eventsRoutes = {
  /** Events the caller may join (hosted by their union or an ancestor), soonest first. */
  events: route({ method: 'GET', path: '/events', response: eventsResponse, status: 200 }),
  event: route({
    method: 'GET',
    path: '/events/:id',
    params: idParams,
    response: eventDetailResponse,
    status: 200,
  }),
  /** 403 `NOT_ELIGIBLE`, 409 `ALREADY_SIGNED_UP`, 409 `SIGNUP_CLOSED`; past capacity: waitlisted. */
  signup: route({
    method: 'POST',
    path: '/events/:id/signup',
    params: idParams,
    body: signupBody,
    response: registrationResponse,
    status: 201,
    creates: true,
  }),
  /** Cancels the caller's registration; the first fitting one on the waitlist gets the place. */
  cancelSignup: route({
    method: 'DELETE',
    path: '/events/:id/signup',
    params: idParams,
    response: registrationResponse,
    status: 200,
  }),
  /** The member scans the event's code (idempotent). */
  checkin: route({
    method: 'POST',
    path: '/events/:id/checkin',
    params: idParams,
    body: checkinBody,
    response: registrationResponse,
    status: 200,
  }),
  attendees: route({
    method: 'GET',
    path: '/events/:id/attendees',
    params: idParams,
    response: attendeesResponse,
    status: 200,
  }),
  rounds: route({
    method: 'GET',
    path: '/events/:id/rounds',
    params: idParams,
    response: roundsResponse,
    status: 200,
  }),
  flowers: route({
    method: 'GET',
    path: '/events/:id/flowers',
    params: idParams,
    response: flowersResponse,
    status: 200,
  }),
  /** 409 `NO_FLOWERS_LEFT`, `ALREADY_SENT`, `FLOWER_PHASE_CLOSED`; 422 `CANNOT_SEND_TO_SELF`, `NOT_CHECKED_IN`. */
  sendFlower: route({
    method: 'POST',
    path: '/events/:id/flowers',
    params: idParams,
    body: sendFlowerBody,
    response: sendFlowerResponse,
    status: 201,
    creates: true,
  }),
  staffEvents: route({
    method: 'GET',
    path: '/staff/events',
    response: staffEventsResponse,
    status: 200,
  }),
  createEvent: route({
    method: 'POST',
    path: '/staff/events',
    body: createEventBody,
    response: staffEventResponse,
    status: 201,
    creates: true,
  }),
  staffEvent: route({
    method: 'GET',
    path: '/staff/events/:id',
    params: idParams,
    response: staffEventResponse,
    status: 200,
  }),
  /**
   * Edits an event (title, venue, times, capacity, check-in points). 422
   * `CAPACITY_BELOW_CONFIRMED` below the confirmed count; a larger capacity promotes from the
   * waitlist in the same transaction.
   */
  updateEvent: route({
    method: 'PATCH',
    path: '/staff/events/:id',
    params: idParams,
    body: updateEventBody,
    response: staffEventResponse,
    status: 200,
  }),
  staffRegistrations: route({
    method: 'GET',
    path: '/staff/events/:id/registrations',
    params: idParams,
    response: staffRegistrationsResponse,
    status: 200,
  }),
  checkinCode: route({
    method: 'GET',
    path: '/staff/events/:id/checkin-code',
    params: idParams,
    response: checkinCodeResponse,
    status: 200,
  }),
  /** Staff check a member in: `{memberId}` or `{checkinCode}` (the member's personal code). */
  staffCheckin: route({
    method: 'POST',
    path: '/staff/events/:id/checkins',
    params: idParams,
    body: staffCheckinBody,
    response: staffRegistrationResponse,
    status: 200,
  }),
  /** Splits the checked-in attendees into groups (replaces an earlier split). */
  makeGroups: route({
    method: 'POST',
    path: '/staff/events/:id/groups',
    params: idParams,
    body: makeGroupsBody,
    response: groupsResponse,
    status: 200,
  }),
  /** The stored groups (404 until made). */
  groups: route({
    method: 'GET',
    path: '/staff/events/:id/groups',
    params: idParams,
    response: groupsResponse,
    status: 200,
  }),
  /** Moves the mixer to a round (after the start, once groups are made); members see it. */
  currentRound: route({
    method: 'POST',
    path: '/staff/events/:id/rounds/current',
    params: idParams,
    body: currentRoundBody,
    response: staffEventResponse,
    status: 200,
  }),
  /** `{open:true}` opens, `{open:false}` closes; forward only (not_open → open → closed). */
  flowerPhase: route({
    method: 'POST',
    path: '/staff/events/:id/flower-phase',
    params: idParams,
    body: flowerPhaseBody,
    response: staffEventResponse,
    status: 200,
  }),
  matches: route({
    method: 'GET',
    path: '/staff/events/:id/matches',
    params: idParams,
    response: matchesResponse,
    status: 200,
  }),
} as const
