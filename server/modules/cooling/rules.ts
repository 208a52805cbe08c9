import type { CampaignStatus } from '../../../src/contract/cooling'

/** What a campaign allows in one pack. */
export interface PackRules {
  quota: number
  /** "Pick up to N items": the pieces of a pack add up to at most this; null: no such limit. */
  maxItems: number | null
  items: ReadonlyArray<{ id: number; name: string; quotaCost: number; maxPerPack: number }>
}

export interface PackLineInput {
  itemId: number
  quantity: number
}

export type PackProblem =
  | 'EMPTY_PACK'
  | 'UNKNOWN_ITEM'
  | 'DUPLICATE_ITEM'
  | 'OVER_ITEM_MAX'
  | 'OVER_MAX_ITEMS'
  | 'OVER_QUOTA'

export type PackCheck =
  | {
      ok: true
      /** The chosen lines without zero quantities, in item id order. */
      lines: PackLineInput[]
      quotaUsed: number
      pieces: number
    }
  | { ok: false; problem: PackProblem; message: string; itemId?: number }

/**
 * Checks a pack against a campaign's rules, in the order a person fixes them: something chosen,
 * known items once each, each item within its per-pack maximum, the piece limit, the quota.
 * Stock is not a rule of the pack: the database decides it when reserving.
 */
export function checkPack(rules: PackRules, lines: readonly PackLineInput[]): PackCheck {
  const byId = new Map(rules.items.map((i) => [i.id, i]))
  const chosen = lines.filter((l) => l.quantity !== 0)
  if (chosen.length === 0) {
    return { ok: false, problem: 'EMPTY_PACK', message: '请至少选择一件物品' }
  }
  const seen = new Set<number>()
  for (const l of chosen) {
    if (!byId.has(l.itemId)) {
      return {
        ok: false,
        problem: 'UNKNOWN_ITEM',
        message: '所选物品不属于本次活动，请刷新后重选',
        itemId: l.itemId,
      }
    }
    if (seen.has(l.itemId)) {
      return {
        ok: false,
        problem: 'DUPLICATE_ITEM',
        message: '同一物品请只填写一次',
        itemId: l.itemId,
      }
    }
    seen.add(l.itemId)
  }
  for (const l of chosen) {
    const item = byId.get(l.itemId)!
    if (l.quantity > item.maxPerPack) {
      return {
        ok: false,
        problem: 'OVER_ITEM_MAX',
        message: `「${item.name}」每份最多选 ${item.maxPerPack} 件，你选了 ${l.quantity} 件`,
        itemId: l.itemId,
      }
    }
  }
  const pieces = chosen.reduce((n, l) => n + l.quantity, 0)
  if (rules.maxItems !== null && pieces > rules.maxItems) {
    return {
      ok: false,
      problem: 'OVER_MAX_ITEMS',
      message: `每份最多选 ${rules.maxItems} 件，你选了 ${pieces} 件`,
    }
  }
  const quotaUsed = chosen.reduce((n, l) => n + byId.get(l.itemId)!.quotaCost * l.quantity, 0)
  if (quotaUsed > rules.quota) {
    return {
      ok: false,
      problem: 'OVER_QUOTA',
      message: `超出可选额度：已选 ${quotaUsed}，每人额度 ${rules.quota}`,
    }
  }
  return {
    ok: true,
    lines: [...chosen].sort((a, b) => a.itemId - b.itemId),
    quotaUsed,
    pieces,
  }
}

/** The contract's error code for a problem: both piece and unit limits are the quota. */
export function problemCode(
  problem: PackProblem,
): 'EMPTY_PACK' | 'BAD_REQUEST' | 'OVER_ITEM_MAX' | 'OVER_QUOTA' {
  switch (problem) {
    case 'EMPTY_PACK':
      return 'EMPTY_PACK'
    case 'UNKNOWN_ITEM':
    case 'DUPLICATE_ITEM':
      return 'BAD_REQUEST'
    case 'OVER_ITEM_MAX':
      return 'OVER_ITEM_MAX'
    case 'OVER_MAX_ITEMS':
    case 'OVER_QUOTA':
      return 'OVER_QUOTA'
  }
}

/** Where `now` lies for a campaign. Closed from `closesAt` on, or earlier when staff closed it. */
export function campaignStatus(
  c: { opensAt: Date; closesAt: Date; closedAt: Date | null },
  now: Date,
): CampaignStatus {
  if (c.closedAt !== null || now >= c.closesAt) return 'closed'
  if (now < c.opensAt) return 'upcoming'
  return 'open'
}

/**
 * How a pack change moves stock: per item, what to take (positive) or give back (negative), in
 * item id order (the order locks are taken in). Unchanged items are left out.
 */
export function stockDeltas(
  before: readonly PackLineInput[],
  after: readonly PackLineInput[],
): Array<{ itemId: number; delta: number }> {
  const delta = new Map<number, number>()
  for (const l of after) delta.set(l.itemId, (delta.get(l.itemId) ?? 0) + l.quantity)
  for (const l of before) delta.set(l.itemId, (delta.get(l.itemId) ?? 0) - l.quantity)
  return [...delta]
    .filter(([, d]) => d !== 0)
    .map(([itemId, d]) => ({ itemId, delta: d }))
    .sort((a, b) => a.itemId - b.itemId)
}

export interface DefaultAllocation {
  /** Members who get the default pack, in member id order. */
  covered: number[]
  /** Members left without one because stock ran short, in member id order. */
  notCovered: number[]
  /** Stock taken per item. */
  taken: Array<{ itemId: number; quantity: number }>
}

/**
 * Hands the default pack to members without a pack, whole packs only, in member id order (the
 * order they joined: deterministic and explainable), until an item of the pack runs short. As
 * every member needs the same pack, that is the first ⌊stock ÷ quantity⌋ members of the
 * scarcest item; the rest are not covered.
 */
export function allocateDefaultPacks(
  memberIds: readonly number[],
  defaultPack: readonly PackLineInput[],
  stockLeft: ReadonlyMap<number, number>,
): DefaultAllocation {
  const ordered = [...new Set(memberIds)].sort((a, b) => a - b)
  const lines = defaultPack.filter((l) => l.quantity > 0)
  if (lines.length === 0) return { covered: [], notCovered: ordered, taken: [] }
  let capacity = Number.POSITIVE_INFINITY
  for (const l of lines) {
    capacity = Math.min(
      capacity,
      Math.floor(Math.max(0, stockLeft.get(l.itemId) ?? 0) / l.quantity),
    )
  }
  const n = Math.min(ordered.length, capacity)
  return {
    covered: ordered.slice(0, n),
    notCovered: ordered.slice(n),
    taken: lines
      .map((l) => ({ itemId: l.itemId, quantity: l.quantity * n }))
      .filter((t) => t.quantity > 0)
      .sort((a, b) => a.itemId - b.itemId),
  }
}
