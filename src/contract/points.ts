import { z } from 'zod'
import { id, isoDateTime } from './common'

export const ledgerKinds = ['grant', 'earn', 'redeem', 'refund', 'expire', 'adjust'] as const
export const ledgerKind = z.enum(ledgerKinds)
export type LedgerKind = z.infer<typeof ledgerKind>

export const pointsSummary = z.object({
  balance: z.number().int().nonnegative(),
  expiring: z.array(z.object({ amount: z.number().int().positive(), expiresAt: isoDateTime })),
})
export type PointsSummary = z.infer<typeof pointsSummary>

export const ledgerEntry = z.object({
  id,
  kind: ledgerKind,
  amount: z.number().int(),
  balanceAfter: z.number().int().nonnegative(),
  reason: z.string(),
  createdAt: isoDateTime,
})
export type LedgerEntry = z.infer<typeof ledgerEntry>

export const ledgerQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().regex(/^\d+$/, '分页参数不正确').optional(),
  })
  .strict()
export type LedgerQuery = z.infer<typeof ledgerQuery>

export const ledgerResponse = z.object({
  entries: z.array(ledgerEntry),
  nextCursor: z.string().nullable(),
})
export type LedgerResponse = z.infer<typeof ledgerResponse>
