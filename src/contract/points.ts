import { z } from 'zod'
import { id, isoDateTime, MAX_INT } from './common'

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
    cursor: z
      .string()
      .regex(/^\d{1,10}$/, '分页参数不正确')
      .refine((c) => Number(c) <= MAX_INT, '分页参数不正确')
      .optional(),
  })
  .strict()
export type LedgerQuery = z.infer<typeof ledgerQuery>

export const ledgerResponse = z.object({
  entries: z.array(ledgerEntry),
  nextCursor: z.string().nullable(),
})
export type LedgerResponse = z.infer<typeof ledgerResponse>

/** The most member numbers one grant (or preview) takes. */
export const maxGrantMemberNos = 10_000

/**
 * Member numbers as staff paste them or read them from a file: split on whitespace, commas
 * (also ，、；;) and line breaks, upper-cased, duplicates dropped, in the order given.
 */
export function parseMemberNos(text: string): string[] {
  const seen = new Set<string>()
  for (const part of text.split(/[\s,，、;；]+/)) {
    const no = part.trim().toUpperCase()
    if (no) seen.add(no)
  }
  return [...seen]
}

/** Whom a grant reaches: listed members (by id or by member number), or a union's subtree. */
const grantTarget = {
  memberIds: z
    .array(id)
    .min(1, '请至少选择一位会员')
    .max(10_000, '一次最多向 10000 位会员发放')
    .optional(),
  /**
   * Member numbers, as staff have them (e.g. `M0001`; upper-cased). Numbers not found among the
   * members of the caller's unions are answered by the preview (`unknownMemberNos`) and refuse
   * the grant (422 `UNKNOWN_MEMBER_NOS`).
   */
  memberNos: z
    .array(
      z
        .string()
        .trim()
        .min(1, '会员号不能为空')
        .max(32, '会员号太长')
        .overwrite((s) => s.toUpperCase()),
    )
    .min(1, '请至少填写一个会员号')
    .max(maxGrantMemberNos, `一次最多填写 ${maxGrantMemberNos} 个会员号`)
    .optional(),
  unionId: id.optional(),
}
const oneTarget = (b: { memberIds?: number[]; memberNos?: string[]; unionId?: number }) =>
  [b.memberIds, b.memberNos, b.unionId].filter((x) => x !== undefined).length === 1
const oneTargetMessage = {
  message: '请选择一种发放对象：指定会员（memberIds 或会员号 memberNos）或整个工会（unionId）',
}

export const grantBody = z
  .object({
    amount: z
      .number()
      .int('积分须为整数')
      .min(1, '发放积分至少为 1')
      .max(100_000, '每人一次最多发放 100000 积分'),
    reason: z.string().trim().min(1, '请填写发放原因').max(60, '发放原因最多 60 个字'),
    ...grantTarget,
    /** The granted points expire then (must lie in the future); without it they never expire. */
    expiresAt: isoDateTime.optional(),
  })
  .strict()
  .refine(oneTarget, oneTargetMessage)
export type GrantBody = z.infer<typeof grantBody>

export const grantResponse = z.object({
  /** How many members received the points. */
  granted: z.number().int().nonnegative(),
  grantId: id,
})
export type GrantResponse = z.infer<typeof grantResponse>

export const grantStatuses = ['running', 'done', 'failed'] as const

/** A grant to many members, which a job carries out in batches (each member once, or not yet). */
export const grantJob = z.object({
  id,
  status: z.enum(grantStatuses),
  /** Members the grant reaches: counted when it starts, exact once it is over. */
  total: z.number().int().nonnegative(),
  /** Members who have received the points so far. */
  granted: z.number().int().nonnegative(),
})
export type GrantJob = z.infer<typeof grantJob>

/** The answer `202` of a grant to more members than one request handles, and of its status. */
export const grantJobResponse = z.object({ grant: grantJob })
export type GrantJobResponse = z.infer<typeof grantJobResponse>

/** The same target as a grant: answers whom it would reach, for the confirmation screen. */
export const grantPreviewBody = z.object(grantTarget).strict().refine(oneTarget, oneTargetMessage)
export type GrantPreviewBody = z.infer<typeof grantPreviewBody>

export const grantPreviewResponse = z.object({
  memberCount: z.number().int().nonnegative(),
  /** The first few members reached (by member number), to show who they are. */
  sample: z.array(z.object({ id, memberNo: z.string(), name: z.string(), unionName: z.string() })),
  /**
   * Of the `memberNos` asked, those not found among the members of the caller's unions (as
   * given, in order); empty for other targets. The grant refuses while any are left.
   */
  unknownMemberNos: z.array(z.string()),
})
export type GrantPreviewResponse = z.infer<typeof grantPreviewResponse>
