/**
 * The rules of point lots, as plain functions: which lots a redemption spends, how a refund
 * restores them, which lots expire at a given moment. The database code calls these under the
 * member's account lock; they know nothing of SQL.
 */

/** A lot with points left to spend. */
export interface OpenLot {
  id: number
  remaining: number
  expiresAt: Date | null
}

/** Points taken from (or given back to) one lot. */
export interface LotAmount {
  lotId: number
  amount: number
}

/** Thrown when the lots cannot cover a cost: the account and the lots disagree. */
export class LotsShortError extends Error {
  constructor(
    readonly cost: number,
    readonly available: number,
  ) {
    super(`lots hold ${available} points, ${cost} needed`)
    this.name = 'LotsShortError'
  }
}

/** Spending order: the lot that expires first goes first; lots that never expire go last. */
export function bySpendOrder(a: OpenLot, b: OpenLot): number {
  if (a.expiresAt && b.expiresAt) {
    const d = a.expiresAt.getTime() - b.expiresAt.getTime()
    if (d !== 0) return d
  } else if (a.expiresAt) {
    return -1
  } else if (b.expiresAt) {
    return 1
  }
  return a.id - b.id
}

/**
 * Which lots pay `cost`, earliest expiry first (older lot first on a tie), each lot emptied before
 * the next is touched. Throws `LotsShortError` when the lots hold less than `cost`.
 */
export function planSpend(lots: readonly OpenLot[], cost: number): LotAmount[] {
  if (!Number.isInteger(cost) || cost <= 0) throw new RangeError(`cost must be positive: ${cost}`)
  const spends: LotAmount[] = []
  let left = cost
  for (const lot of [...lots].sort(bySpendOrder)) {
    if (left === 0) break
    if (lot.remaining <= 0) continue
    const amount = Math.min(lot.remaining, left)
    spends.push({ lotId: lot.id, amount })
    left -= amount
  }
  if (left > 0) {
    throw new LotsShortError(
      cost,
      lots.reduce((sum, l) => sum + Math.max(0, l.remaining), 0),
    )
  }
  return spends
}

/** A lot an order spent from, as it stands when the order is refunded. */
export interface SpentLot {
  lotId: number
  amount: number
  expiresAt: Date | null
  /** Set once the expiry job emptied the lot. */
  expiredAt: Date | null
}

export interface RefundPlan {
  /** Points that go back into their own lot (still open). */
  restore: LotAmount[]
  /**
   * Points whose lot was expired meanwhile: they come back as a new lot with the same expiry, so
   * the expiry job takes them once more — through that new lot, never the old one twice.
   */
  reissue: Array<{ amount: number; expiresAt: Date; fromLotIds: number[] }>
  total: number
}

/** How a refund gives an order's points back: to the lots it spent, as they stand now. */
export function planRefund(spent: readonly SpentLot[]): RefundPlan {
  const restore: LotAmount[] = []
  const reissue = new Map<number, { amount: number; expiresAt: Date; fromLotIds: number[] }>()
  let total = 0
  for (const s of spent) {
    if (s.amount <= 0) continue
    total += s.amount
    if (s.expiredAt === null || s.expiresAt === null) {
      restore.push({ lotId: s.lotId, amount: s.amount })
      continue
    }
    const key = s.expiresAt.getTime()
    const r = reissue.get(key) ?? { amount: 0, expiresAt: s.expiresAt, fromLotIds: [] }
    r.amount += s.amount
    r.fromLotIds.push(s.lotId)
    reissue.set(key, r)
  }
  restore.sort((a, b) => a.lotId - b.lotId)
  return {
    restore,
    reissue: [...reissue.values()].sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime()),
    total,
  }
}

/** A lot as the expiry job sees it. */
export interface ExpiringLot {
  id: number
  remaining: number
  expiresAt: Date | null
  expiredAt: Date | null
}

/** Whether the expiry job empties this lot at `now`: it has an expiry, reached, and is not done. */
export function isDue(lot: ExpiringLot, now: Date): boolean {
  return lot.expiredAt === null && lot.expiresAt !== null && lot.expiresAt <= now
}

/** The ledger entries expiring `due` lots write, from `balance` down (lots already empty write none). */
export function expiryEntries(
  balance: number,
  due: readonly ExpiringLot[],
): Array<{ lotId: number; amount: number; balanceAfter: number }> {
  const entries: Array<{ lotId: number; amount: number; balanceAfter: number }> = []
  let after = balance
  for (const lot of [...due].sort((a, b) => bySpendOrder(a, b))) {
    if (lot.remaining <= 0) continue
    after -= lot.remaining
    if (after < 0) throw new LotsShortError(balance - after, balance)
    entries.push({ lotId: lot.id, amount: -lot.remaining, balanceAfter: after })
  }
  return entries
}

/** Sums `remaining` per expiry moment: the "expiring soon" list, earliest first. */
export function groupByExpiry(
  lots: ReadonlyArray<{ remaining: number; expiresAt: Date }>,
): Array<{ amount: number; expiresAt: Date }> {
  const groups = new Map<number, number>()
  for (const l of lots) {
    if (l.remaining <= 0) continue
    const key = l.expiresAt.getTime()
    groups.set(key, (groups.get(key) ?? 0) + l.remaining)
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a - b)
    .map(([t, amount]) => ({ amount, expiresAt: new Date(t) }))
}
