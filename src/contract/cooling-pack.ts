/**
 * The cooling pack check, one pure function for both sides: the app checks a choice before
 * sending it, the server checks it again (and the database backstops the quota:
 * `cooling_packs_quota_within_limit`).
 */

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

/** Quota units a pack's lines use (items not in `items` count nothing). */
export function quotaUsed(
  items: ReadonlyArray<{ id: number; quotaCost: number }>,
  lines: readonly PackLineInput[],
): number {
  const cost = new Map(items.map((i) => [i.id, i.quotaCost]))
  return lines.reduce((n, l) => n + (cost.get(l.itemId) ?? 0) * l.quantity, 0)
}

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
  const used = quotaUsed(rules.items, chosen)
  if (used > rules.quota) {
    return {
      ok: false,
      problem: 'OVER_QUOTA',
      message: `超出可选额度：已选 ${used}，每人额度 ${rules.quota}`,
    }
  }
  return {
    ok: true,
    lines: [...chosen].sort((a, b) => a.itemId - b.itemId),
    quotaUsed: used,
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
