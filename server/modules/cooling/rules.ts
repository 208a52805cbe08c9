import type { CampaignStatus } from '../../../src/contract/cooling'
import type { PackLineInput } from '../../../src/contract/cooling-pack'

// Server-only cooling rules: campaign status, stock moves, default packs. The pack check itself
// (`checkPack`, `quotaUsed`) is the contract's, shared with the app.

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
