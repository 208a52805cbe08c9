import type { CoolingCampaign, CoolingItem, CoolingPack } from '@/contract/cooling'
import { checkPack, quotaUsed as packQuotaUsed, type PackLineInput } from '@/contract/cooling-pack'

/** The member's choice: item id → quantity (0 or missing: not chosen). */
export type Quantities = Record<number, number>

/** The quantities of a saved pack (or an empty choice). */
export function quantitiesOf(pack: CoolingPack | null): Quantities {
  const q: Quantities = {}
  for (const line of pack?.items ?? []) q[line.itemId] = line.quantity
  return q
}

/** Quota units the choice uses (the contract's count, as the server makes it). */
export function quotaUsed(campaign: CoolingCampaign, q: Quantities): number {
  return packQuotaUsed(campaign.items, packLines(campaign, q))
}

/** Pieces in the choice. */
export function pieceCount(q: Quantities): number {
  return Object.values(q).reduce((sum, n) => sum + n, 0)
}

/**
 * How many of an item the member can still get: the stock left plus what their saved pack
 * already holds (a change releases it first, as the server does).
 */
export function stockFor(item: CoolingItem, saved: Quantities): number {
  return item.stockLeft + (saved[item.id] ?? 0)
}

/**
 * Why one more of `item` cannot go into the pack, in the order a person meets the limits, or
 * null when it can: the item's stock, its per-pack maximum, the piece limit, the quota.
 */
export function addBlock(
  campaign: CoolingCampaign,
  item: CoolingItem,
  q: Quantities,
  saved: Quantities,
): string | null {
  const have = q[item.id] ?? 0
  const stock = stockFor(item, saved)
  if (have >= stock) {
    return stock === 0 ? `库存不足：${item.name}已被选完` : `库存不足：${item.name}仅剩 ${stock} 件`
  }
  if (have >= item.maxPerPack) return `${item.name}每份最多 ${item.maxPerPack} 件`
  if (campaign.maxItems !== null && pieceCount(q) >= campaign.maxItems) {
    return `整份礼包最多 ${campaign.maxItems} 件，已选满`
  }
  const left = campaign.quota - quotaUsed(campaign, q)
  if (item.quotaCost > left) return `额度不足：还剩 ${left}，${item.name}需要 ${item.quotaCost}`
  return null
}

/**
 * What keeps the choice from being submitted, or null: the contract's pack check (the one the
 * server makes: nothing chosen, a quantity over its maximum, too many pieces, over the quota),
 * then the stock as last seen (e.g. after a refresh; the server's reservation decides).
 */
export function packProblem(
  campaign: CoolingCampaign,
  q: Quantities,
  saved: Quantities,
): string | null {
  const check = checkPack(campaign, packLines(campaign, q))
  if (!check.ok) return check.message
  for (const item of campaign.items) {
    const have = q[item.id] ?? 0
    const stock = stockFor(item, saved)
    if (have > stock) {
      return stock === 0
        ? `库存不足：${item.name}已被选完，请减掉`
        : `库存不足：${item.name}仅剩 ${stock} 件`
    }
  }
  return null
}

/** The pack lines to send: every item once, zero quantities left out. */
export function packLines(campaign: CoolingCampaign, q: Quantities): PackLineInput[] {
  return campaign.items
    .filter((item) => (q[item.id] ?? 0) > 0)
    .map((item) => ({ itemId: item.id, quantity: q[item.id] }))
}
