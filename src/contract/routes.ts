import type { z } from 'zod'
import { route, type RouteDef } from './route-def'
import { coolingRoutes } from './cooling'
import { legalRoutes } from './legal'
import { healthResponse, idParams } from './common'
import { authResponse, devLoginBody, meResponse, wechatLoginBody } from './auth'
import {
  createMemberBody,
  createUnionBody,
  memberResponse,
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
  me: route({ method: 'GET', path: '/me', response: meResponse, status: 200 }),
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
