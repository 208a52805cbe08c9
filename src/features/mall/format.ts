import type { MallItem, MemberMallItem } from '@/contract/mall'
import { formatMonthDay } from '@/services/time'

/** Where an item stands in its sale: redeemable, sold out, not yet or no longer on sale. */
export type SaleState =
  | { kind: 'on_sale' }
  | { kind: 'sold_out' }
  | { kind: 'not_started'; startsAt: string | null }
  | { kind: 'ended' }

/** The sale state of an item now; the server's `onSale` and `soldOut` decide, dates explain. */
export function saleState(item: MallItem, now = Date.now()): SaleState {
  const startsAt = item.saleStartsAt ? Date.parse(item.saleStartsAt) : null
  const endsAt = item.saleEndsAt ? Date.parse(item.saleEndsAt) : null
  if (endsAt !== null && endsAt <= now) return { kind: 'ended' }
  if (item.soldOut || item.stock <= 0) return { kind: 'sold_out' }
  if (startsAt !== null && startsAt > now)
    return { kind: 'not_started', startsAt: item.saleStartsAt }
  if (!item.onSale) return { kind: 'not_started', startsAt: item.saleStartsAt }
  return { kind: 'on_sale' }
}

/** The badge of an item that cannot be redeemed: 已兑完, 7月3日 开售, 已停售 (null when on sale). */
export function saleLabel(state: SaleState): string | null {
  switch (state.kind) {
    case 'sold_out':
      return '已兑完'
    case 'not_started':
      return state.startsAt ? `${formatMonthDay(state.startsAt)} 开售` : '暂未开售'
    case 'ended':
      return '已停售'
    default:
      return null
  }
}

/** `7月1日 – 8月31日`, `7月1日 起`, `即日起至 8月31日` or `长期有效`. */
export function saleWindowText(item: MallItem): string {
  const { saleStartsAt: from, saleEndsAt: to } = item
  if (from && to) return `${formatMonthDay(from)} – ${formatMonthDay(to)}`
  if (from) return `${formatMonthDay(from)} 起`
  if (to) return `即日起至 ${formatMonthDay(to)}`
  return '长期有效'
}

/** How many more of the item the member may redeem under the per-member limit. */
export function limitLeft(item: MemberMallItem): number {
  return Math.max(0, item.perMemberLimit - item.redeemedQuantity)
}

/** The most one redemption may take: stock, the member's remaining limit and the server's 99. */
export function maxQuantity(item: MemberMallItem): number {
  return Math.max(0, Math.min(item.stock, limitLeft(item), 99))
}
