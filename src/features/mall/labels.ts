import type { OrderStatus } from '@/contract/mall'

/** Chinese names of order states (member's 我的兑换 and the staff pickup desk). */
export const orderStatusLabels: Record<OrderStatus, string> = {
  awaiting_pickup: '待领取',
  fulfilled: '已领取',
  cancelled: '已取消',
  expired: '已过期',
}
