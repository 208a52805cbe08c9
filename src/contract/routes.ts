import type { z } from 'zod'
import { route, type RouteDef } from './route-def'
import { coolingRoutes } from './cooling'
import { legalRoutes } from './legal'
import { healthResponse, idParams } from './common'
import {
  activationCodeResponse,
  authOptionsResponse,
  authResponse,
  devLoginBody,
  logoutBody,
  meResponse,
  okResponse,
  qrApproveResponse,
  qrTicketCreatedResponse,
  qrTicketParams,
  qrTicketResponse,
  wechatLoginBody,
} from './auth'
import {
  createMemberBody,
  createUnionBody,
  memberResponse,
  patchMemberBody,
  revokedSessionsResponse,
  staffMemberResponse,
  staffMembersQuery,
  staffMembersResponse,
  unionResponse,
  unionsResponse,
} from './org'
import {
  grantBody,
  grantPreviewBody,
  grantPreviewResponse,
  grantResponse,
  ledgerQuery,
  ledgerResponse,
  pointsSummary,
} from './points'
import {
  createItemBody,
  createOrderBody,
  mallItemsResponse,
  orderResponse,
  ordersQuery,
  ordersResponse,
  patchItemBody,
  pickupBody,
  pickupParams,
  pickupResponse,
  staffMallItemResponse,
  staffMallItemsResponse,
} from './mall'
import {
  attendeesResponse,
  checkinBody,
  checkinCodeResponse,
  createEventBody,
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
} from './events'

export { route, type RouteDef }

export const routes = {
  devLogin: route({
    method: 'POST',
    path: '/auth/dev-login',
    body: devLoginBody,
    response: authResponse,
    status: 200,
    public: true,
  }),
  wechatLogin: route({
    method: 'POST',
    path: '/auth/wechat',
    body: wechatLoginBody,
    response: authResponse,
    status: 200,
    public: true,
  }),
  /** What the sign-in page offers (public). */
  authOptions: route({
    method: 'GET',
    path: '/auth/options',
    response: authOptionsResponse,
    status: 200,
    public: true,
  }),
  /** Ends the caller's session at once (`everywhere`: every session of the member). */
  logout: route({
    method: 'POST',
    path: '/auth/logout',
    body: logoutBody.nullish(),
    response: okResponse,
    status: 200,
  }),
  /** The web page asks for a QR ticket to show (public, expires in 2 minutes). */
  createQrTicket: route({
    method: 'POST',
    path: '/auth/qr-tickets',
    response: qrTicketCreatedResponse,
    status: 201,
    public: true,
  }),
  /** The web page polls its ticket; the first poll after approval yields the token once. */
  qrTicket: route({
    method: 'GET',
    path: '/auth/qr-tickets/:ticket',
    params: qrTicketParams,
    response: qrTicketResponse,
    status: 200,
    public: true,
  }),
  /** The member, signed in on the mini-program, approves the ticket they scanned. */
  approveQrTicket: route({
    method: 'POST',
    path: '/auth/qr-tickets/:ticket/approve',
    params: qrTicketParams,
    response: qrApproveResponse,
    status: 200,
  }),
  /** The member declines the ticket they scanned (it expires at once). */
  cancelQrTicket: route({
    method: 'POST',
    path: '/auth/qr-tickets/:ticket/cancel',
    params: qrTicketParams,
    response: qrApproveResponse,
    status: 200,
  }),
  me: route({ method: 'GET', path: '/me', response: meResponse, status: 200 }),
  /** The member unbinds their WeChat (every session ends; binding again needs proof). */
  unbindMyWechat: route({
    method: 'POST',
    path: '/me/wechat/unbind',
    response: okResponse,
    status: 200,
  }),
  unions: route({ method: 'GET', path: '/unions', response: unionsResponse, status: 200 }),
  createUnion: route({
    method: 'POST',
    path: '/admin/unions',
    body: createUnionBody,
    response: unionResponse,
    status: 201,
    creates: true,
  }),
  createMember: route({
    method: 'POST',
    path: '/admin/members',
    body: createMemberBody,
    response: memberResponse,
    status: 201,
    creates: true,
  }),
  points: route({ method: 'GET', path: '/points', response: pointsSummary, status: 200 }),
  ledger: route({
    method: 'GET',
    path: '/points/ledger',
    query: ledgerQuery,
    response: ledgerResponse,
    status: 200,
  }),
  mallItems: route({
    method: 'GET',
    path: '/mall/items',
    response: mallItemsResponse,
    status: 200,
  }),
  /** ★ Redeem: requires `Idempotency-Key`; a retry with the same key answers the first order. */
  createOrder: route({
    method: 'POST',
    path: '/mall/orders',
    body: createOrderBody,
    response: orderResponse,
    status: 201,
    creates: true,
  }),
  orders: route({
    method: 'GET',
    path: '/mall/orders',
    query: ordersQuery,
    response: ordersResponse,
    status: 200,
  }),
  cancelOrder: route({
    method: 'POST',
    path: '/mall/orders/:id/cancel',
    params: idParams,
    response: orderResponse,
    status: 200,
  }),
  staffMembers: route({
    method: 'GET',
    path: '/staff/members',
    query: staffMembersQuery,
    response: staffMembersResponse,
    status: 200,
  }),
  /** One member of the staff's subtree: binding state, live activation code, lock. */
  staffMember: route({
    method: 'GET',
    path: '/staff/members/:id',
    params: idParams,
    response: staffMemberResponse,
    status: 200,
  }),
  /** Staff issue a one-time activation code (replaces any live one; shown once). */
  issueActivationCode: route({
    method: 'POST',
    path: '/staff/members/:id/activation-code',
    params: idParams,
    response: activationCodeResponse,
    status: 201,
  }),
  revokeActivationCode: route({
    method: 'POST',
    path: '/staff/members/:id/activation-code/revoke',
    params: idParams,
    response: staffMemberResponse,
    status: 200,
  }),
  /** Staff unbind a member's WeChat (a lost phone); the member's sessions end. */
  staffUnbindWechat: route({
    method: 'POST',
    path: '/staff/members/:id/wechat/unbind',
    params: idParams,
    response: staffMemberResponse,
    status: 200,
  }),
  /** Admin: change a member's roster entry or roles (removing a role ends their sessions). */
  patchMember: route({
    method: 'PATCH',
    path: '/admin/members/:id',
    params: idParams,
    body: patchMemberBody,
    response: memberResponse,
    status: 200,
  }),
  /** Admin: sign a member out everywhere. */
  revokeMemberSessions: route({
    method: 'POST',
    path: '/admin/members/:id/sessions/revoke',
    params: idParams,
    response: revokedSessionsResponse,
    status: 200,
  }),
  staffItems: route({
    method: 'GET',
    path: '/staff/mall/items',
    response: staffMallItemsResponse,
    status: 200,
  }),
  createItem: route({
    method: 'POST',
    path: '/staff/mall/items',
    body: createItemBody,
    response: staffMallItemResponse,
    status: 201,
    creates: true,
  }),
  patchItem: route({
    method: 'PATCH',
    path: '/staff/mall/items/:id',
    params: idParams,
    body: patchItemBody,
    response: staffMallItemResponse,
    status: 200,
  }),
  grantPoints: route({
    method: 'POST',
    path: '/staff/points/grants',
    body: grantBody,
    response: grantResponse,
    status: 201,
    creates: true,
  }),
  /** How many members a grant would reach (nothing is written). */
  previewGrant: route({
    method: 'POST',
    path: '/staff/points/grants/preview',
    body: grantPreviewBody,
    response: grantPreviewResponse,
    status: 200,
  }),
  /** The order behind a pickup code, so staff see it before confirming. */
  pickupLookup: route({
    method: 'GET',
    path: '/staff/mall/pickups/:code',
    params: pickupParams,
    response: pickupResponse,
    status: 200,
  }),
  /** Confirms a pickup: the order becomes `fulfilled`. */
  fulfilPickup: route({
    method: 'POST',
    path: '/staff/mall/pickups',
    body: pickupBody,
    response: pickupResponse,
    status: 200,
  }),
  ...coolingRoutes,
  // ------------------------------------------------------------ events and flowers
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
  ...legalRoutes,
} as const

export type Routes = typeof routes

/** The health check lives outside `/api/v1`. */
export const health = { path: '/api/health', response: healthResponse }

export { idParams }

/** What the caller sends for a route: its body, query and path parameters (each when declared). */
type Declared<S> = [NonNullable<S>] extends [never] ? false : true
type In<S> = NonNullable<S> extends z.ZodType ? z.input<NonNullable<S>> : never
export type RouteInput<D extends RouteDef> = (Declared<D['body']> extends true
  ? { body: In<D['body']> }
  : { body?: undefined }) &
  (Declared<D['query']> extends true ? { query?: In<D['query']> } : { query?: undefined }) &
  (Declared<D['params']> extends true ? { params: In<D['params']> } : { params?: undefined })

/** What the route answers on success. */
export type RouteOutput<D extends RouteDef> = z.infer<D['response']>
