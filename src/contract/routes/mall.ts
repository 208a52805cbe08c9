// Route table of one feature: the app's service module imports only this (and so only these
// schemas); `src/contract/routes.ts` gathers every table for the server and the tests.
import { route } from '../route-def'
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
} from '../mall'
import { idParams } from '../common'

/** The points mall: items, redemptions and pickups. */
export const mallRoutes = {
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
    idempotency: 'required',
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
} as const
