import { mallRoutes as routes } from '@/contract/routes/mall'
import type {
  CreateItemBody,
  CreateOrderBody,
  MallOrder,
  MemberMallItem,
  OrderStatus,
  PatchItemBody,
  PickupOrder,
  StaffMallItem,
} from '@/contract/mall'
import { call, type CallOptions } from '@/services/http'

/** Items of the member's union and its ancestors (the server filters), with the member's holdings. */
export async function listMallItems(): Promise<MemberMallItem[]> {
  const { items } = await call(routes.mallItems)
  return items
}

/**
 * Redeems an item: points debited, stock decremented, an order with a pickup code created.
 * Pass the same `idempotencyKey` on every retry of one redemption so it never orders twice.
 */
export async function redeemItem(body: CreateOrderBody, options: CallOptions): Promise<MallOrder> {
  const { order } = await call(routes.createOrder, { body }, options)
  return order
}

/** The member's own orders, newest first. */
export async function listOrders(status?: OrderStatus): Promise<MallOrder[]> {
  const { orders } = await call(routes.orders, { query: { status } })
  return orders
}

/** Cancels an order before pickup; points and stock come back. `NOT_CANCELLABLE` otherwise. */
export async function cancelOrder(id: number): Promise<MallOrder> {
  const { order } = await call(routes.cancelOrder, { params: { id } })
  return order
}

/** Items of the unions the staff member manages (admins: all). */
export async function listStaffItems(): Promise<StaffMallItem[]> {
  const { items } = await call(routes.staffItems)
  return items
}

/** Puts a new item on the mall (staff). */
export async function createItem(
  body: CreateItemBody,
  options?: CallOptions,
): Promise<StaffMallItem> {
  const { item } = await call(routes.createItem, { body }, options)
  return item
}

/** Changes some of an item's fields; `null` clears an optional one (staff). */
export async function patchItem(id: number, body: PatchItemBody): Promise<StaffMallItem> {
  const { item } = await call(routes.patchItem, { params: { id }, body })
  return item
}

/** The order behind a pickup code, with whose it is (staff); `UNKNOWN_CODE` when none. */
export async function lookupPickup(code: string): Promise<PickupOrder> {
  const { order } = await call(routes.pickupLookup, { params: { code } })
  return order
}

/** Confirms a pickup: the order becomes `fulfilled` (staff). */
export async function fulfilPickup(pickupCode: string): Promise<PickupOrder> {
  const { order } = await call(routes.fulfilPickup, { body: { pickupCode } })
  return order
}
