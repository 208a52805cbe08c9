import type { LedgerKind } from '@/contract/points'

/** Chinese names of ledger entry kinds. */
export const kindLabels: Record<LedgerKind, string> = {
  grant: '发放',
  earn: '获得',
  redeem: '兑换',
  refund: '退还',
  expire: '过期',
  adjust: '调整',
}

/** `+20`, `-15`, `0`: a ledger amount with its sign. */
export function signedAmount(amount: number): string {
  return amount > 0 ? `+${amount}` : String(amount)
}
