import { z } from 'zod'
import { id, isoDateTime } from './common'

/** `awaiting_pickup` → `fulfilled` (staff verified the code) | `cancelled` (by the member) | `expired`. */
export const orderStatuses = ['awaiting_pickup', 'fulfilled', 'cancelled', 'expired'] as const
export const orderStatus = z.enum(orderStatuses)
export type OrderStatus = z.infer<typeof orderStatus>

/** The characters of a pickup code: no 0/O and no 1/I/L, so a code reads back without doubt. */
export const pickupCodeAlphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'
export const pickupCodeLength = 8

/**
 * A pickup code as staff type it: case, spaces and dashes do not matter (`ab3d-k7mn` finds
 * `AB3DK7MN`); an unknown code is answered with 404 `UNKNOWN_CODE`, not a format error.
 */
export const pickupCodeInput = z
  .string()
  .trim()
  .min(1, '请输入提货码')
  .max(32, '提货码太长')
  .overwrite((s) => s.toUpperCase().replace(/[\s-]/g, ''))

const count = z.number().int().nonnegative()
const positive = z.number().int().positive()

/** A mall item as everyone sees it (API.md fields, plus the ones the pages need). */
export const mallItem = z.object({
  id,
  unionId: id,
  /** The union that offers the item: where it is picked up. */
  unionName: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  imageUrl: z.string().nullable(),
  pointsCost: positive,
  stock: count,
  perMemberLimit: positive,
  saleStartsAt: isoDateTime.nullable(),
  saleEndsAt: isoDateTime.nullable(),
  /** Days an order waits for pickup; it expires at the end of the last day (Asia/Shanghai). */
  pickupDays: positive,
  soldOut: z.boolean(),
  /** Inside the sale window right now. */
  onSale: z.boolean(),
})
export type MallItem = z.infer<typeof mallItem>

/** An item in the member's mall, with how many the member holds already (for the limit). */
export const memberMallItem = mallItem.extend({
  /** The caller's awaiting-pickup and fulfilled quantity of this item. */
  redeemedQuantity: count,
})
export type MemberMallItem = z.infer<typeof memberMallItem>

export const mallItemsResponse = z.object({ items: z.array(memberMallItem) })
export type MallItemsResponse = z.infer<typeof mallItemsResponse>

/** An item as staff manage it, with the quantities its orders hold. */
export const staffMallItem = mallItem.extend({
  awaitingPickupQuantity: count,
  fulfilledQuantity: count,
})
export type StaffMallItem = z.infer<typeof staffMallItem>

export const staffMallItemsResponse = z.object({ items: z.array(staffMallItem) })
export type StaffMallItemsResponse = z.infer<typeof staffMallItemsResponse>

export const staffMallItemResponse = z.object({ item: staffMallItem })
export type StaffMallItemResponse = z.infer<typeof staffMallItemResponse>

const itemName = z.string().trim().min(1, '请填写商品名称').max(40, '商品名称最多 40 个字')
const description = z.string().trim().max(500, '商品说明最多 500 个字')
const imageUrl = z
  .string()
  .trim()
  .max(500, '图片地址太长')
  .regex(/^(https?:\/\/|\/)\S+$/, '图片地址应为 http(s):// 开头的网址或 / 开头的路径')
const pointsCost = z
  .number()
  .int('兑换积分须为整数')
  .min(1, '兑换积分至少为 1')
  .max(100_000, '兑换积分最多 100000')
const stock = z
  .number()
  .int('库存须为整数')
  .min(0, '库存不能为负数')
  .max(1_000_000, '库存最多 1000000')
const perMemberLimit = z
  .number()
  .int('每人限兑须为整数')
  .min(1, '每人限兑至少 1 件')
  .max(999, '每人限兑最多 999 件')
const pickupDays = z
  .number()
  .int('领取期限须为整数天')
  .min(1, '领取期限至少 1 天')
  .max(90, '领取期限最多 90 天')

/** Whether a sale window is well formed: the end, when both are set, lies after the start. */
export function saleWindowValid(w: {
  saleStartsAt?: string | null
  saleEndsAt?: string | null
}): boolean {
  if (!w.saleStartsAt || !w.saleEndsAt) return true
  return Date.parse(w.saleEndsAt) > Date.parse(w.saleStartsAt)
}
const saleWindowMessage = { message: '停售时间必须晚于开售时间', path: ['saleEndsAt'] }

export const createItemBody = z
  .object({
    unionId: id,
    name: itemName,
    description: description.optional(),
    imageUrl: imageUrl.optional(),
    pointsCost,
    stock,
    perMemberLimit,
    saleStartsAt: isoDateTime.optional(),
    saleEndsAt: isoDateTime.optional(),
    /** Default 7. */
    pickupDays: pickupDays.optional(),
  })
  .strict()
  .refine(saleWindowValid, saleWindowMessage)
export type CreateItemBody = z.infer<typeof createItemBody>

/** Any of the item's fields; `null` clears an optional one (e.g. no end of sale). */
export const patchItemBody = z
  .object({
    unionId: id.optional(),
    name: itemName.optional(),
    description: description.nullable().optional(),
    imageUrl: imageUrl.nullable().optional(),
    pointsCost: pointsCost.optional(),
    stock: stock.optional(),
    perMemberLimit: perMemberLimit.optional(),
    saleStartsAt: isoDateTime.nullable().optional(),
    saleEndsAt: isoDateTime.nullable().optional(),
    pickupDays: pickupDays.optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: '请至少修改一项' })
  .refine(saleWindowValid, saleWindowMessage)
export type PatchItemBody = z.infer<typeof patchItemBody>

/** An order as its member sees it. The price is the one at redemption time. */
export const mallOrder = z.object({
  id,
  itemId: id,
  itemName: z.string(),
  itemImageUrl: z.string().nullable(),
  /** The union that offers the item: where it is picked up. */
  unionName: z.string(),
  quantity: positive,
  /** Points per piece when redeemed. */
  unitCost: positive,
  pointsSpent: positive,
  pickupCode: z.string(),
  status: orderStatus,
  createdAt: isoDateTime,
  /** Not picked up by then: the order expires and points and stock come back. */
  pickupDeadline: isoDateTime,
  /** When the order left `awaiting_pickup` (fulfilled, cancelled or expired). */
  closedAt: isoDateTime.nullable(),
  /** Done for the member by union staff (代办): the app says 由工会工作人员代办. */
  actedByStaff: z.boolean().optional(),
})
export type MallOrder = z.infer<typeof mallOrder>

export const createOrderBody = z
  .object({
    itemId: id,
    quantity: z.number().int('数量须为整数').min(1, '数量至少为 1').max(99, '一次最多兑换 99 件'),
  })
  .strict()
export type CreateOrderBody = z.infer<typeof createOrderBody>

export const orderResponse = z.object({ order: mallOrder })
export type OrderResponse = z.infer<typeof orderResponse>

export const ordersQuery = z.object({ status: orderStatus.optional() }).strict()
export type OrdersQuery = z.infer<typeof ordersQuery>

/** The caller's orders, newest first (at most 200). */
export const ordersResponse = z.object({ orders: z.array(mallOrder) })
export type OrdersResponse = z.infer<typeof ordersResponse>

/** An order as staff see it at the pickup desk: with whose it is. */
export const pickupOrder = mallOrder.extend({
  memberId: id,
  memberNo: z.string(),
  memberName: z.string(),
})
export type PickupOrder = z.infer<typeof pickupOrder>

export const pickupBody = z.object({ pickupCode: pickupCodeInput }).strict()
export type PickupBody = z.infer<typeof pickupBody>

export const pickupParams = z.object({ code: pickupCodeInput }).strict()

export const pickupResponse = z.object({ order: pickupOrder })
export type PickupResponse = z.infer<typeof pickupResponse>
