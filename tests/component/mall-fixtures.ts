import type { MallOrder, MemberMallItem, PickupOrder } from '@/contract/mall'

/** A mall item as GET /mall/items answers it: on sale, in stock, nothing redeemed yet. */
export function anItem(overrides: Partial<MemberMallItem> = {}): MemberMallItem {
  return {
    id: 1,
    unionId: 5,
    unionName: '中关村科学城工会',
    name: '酸梅汤',
    description: '老北京风味酸梅汤',
    imageUrl: null,
    pointsCost: 20,
    stock: 300,
    perMemberLimit: 4,
    saleStartsAt: null,
    saleEndsAt: null,
    pickupDays: 7,
    soldOut: false,
    onSale: true,
    redeemedQuantity: 0,
    ...overrides,
  }
}

/** An order waiting for pickup. */
export function anOrder(overrides: Partial<MallOrder> = {}): MallOrder {
  return {
    id: 10,
    itemId: 1,
    itemName: '酸梅汤',
    itemImageUrl: null,
    unionName: '中关村科学城工会',
    quantity: 2,
    unitCost: 20,
    pointsSpent: 40,
    pickupCode: 'AB3DK7MN',
    status: 'awaiting_pickup',
    createdAt: '2026-07-01T02:00:00.000Z',
    pickupDeadline: '2026-07-08T15:59:59.000Z',
    closedAt: null,
    ...overrides,
  }
}

/** An order as the pickup desk sees it. */
export function aPickupOrder(overrides: Partial<PickupOrder> = {}): PickupOrder {
  return {
    ...anOrder(),
    memberId: 1,
    memberNo: 'M0001',
    memberName: '张伟',
    pickupDeadline: '2099-07-08T15:59:59.000Z',
    ...overrides,
  }
}
