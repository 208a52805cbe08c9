import { z } from 'zod'
import { calendarDate, id, idText, isoDateTime } from './common'
import { route } from './route-def'

/**
 * 操作记录 (the audit log viewer). Staff of a union read the entries whose actor belongs to
 * their union's subtree — a staff member by the union they are staff of, anyone else (a lawyer, a
 * member) by their own union — newest first; admins read every entry. Scoping by the actor, not by
 * the entity, because every entry has an actor with a union while entities (a job, a session, a
 * booking) do not all have one. What changed is shown without phone numbers, codes, descriptions
 * or notes: a read of a confidential description shows who read which bookings, never the text.
 */

/** Entries per page, at most. */
export const auditPageSize = 50

/** What staff filter by: the area of the action (the part before the first `.`). */
export const auditAreas = {
  legal: '法律咨询',
  cooling: '夏送清凉',
  event: '联谊活动',
  mall: '积分商城',
  points: '积分发放',
  member: '会员',
  union: '工会',
  wechat: '微信绑定',
  session: '登录',
  job: '后台任务',
  activation_code: '激活码',
} as const

export const auditQuery = z
  .object({
    actorId: idText.optional(),
    /** An action (`legal_closure.create`) or its beginning (`legal`, `legal_closure`). */
    action: z
      .string()
      .trim()
      .regex(/^[a-z_.]{1,60}$/, '操作类型只能是小写字母、下划线和点')
      .optional(),
    /** First and last day, Asia/Shanghai, inclusive. */
    from: calendarDate.optional(),
    to: calendarDate.optional(),
    /** The `next` of the previous page. */
    cursor: idText.optional(),
  })
  .strict()
  .refine((q) => q.from === undefined || q.to === undefined || q.to >= q.from, {
    message: '结束日期不能早于开始日期',
    path: ['to'],
  })
export type AuditQuery = z.input<typeof auditQuery>

export const auditEntry = z.object({
  id,
  at: isoDateTime,
  actorId: id,
  actorNo: z.string(),
  actorName: z.string(),
  /** The union the actor acts for (staff) or belongs to. */
  actorUnionName: z.string(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  /** What changed, as short `字段: 值` text without confidential values; null when nothing. */
  details: z.string().nullable(),
})
export type AuditEntry = z.infer<typeof auditEntry>

export const auditResponse = z.object({
  entries: z.array(auditEntry),
  /** Pass as `cursor` for older entries; null on the last page. */
  next: z.string().nullable(),
})
export type AuditResponse = z.infer<typeof auditResponse>

export const auditRoutes = {
  /** Staff (their subtree's actors) and admins (everyone); newest first, pages of 50. */
  staffAudit: route({
    method: 'GET',
    path: '/staff/audit',
    query: auditQuery,
    response: auditResponse,
    status: 200,
  }),
} as const
