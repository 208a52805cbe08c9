import { z } from 'zod'
import { id, idText } from './common'
import { member, memberNo, role, rosterPhone } from './auth'

export const union = z.object({ id, name: z.string(), parentId: id.nullable() })
export type Union = z.infer<typeof union>

export const unionsResponse = z.object({ unions: z.array(union) })
export type UnionsResponse = z.infer<typeof unionsResponse>

export const createUnionBody = z
  .object({
    name: z.string().trim().min(1, '请填写工会名称').max(60, '工会名称最多 60 个字'),
    parentId: id.nullable(),
  })
  .strict()
export type CreateUnionBody = z.infer<typeof createUnionBody>

export const unionResponse = z.object({ union })

export const createMemberBody = z
  .object({
    memberNo,
    name: z.string().trim().min(1, '请填写姓名').max(40, '姓名最多 40 个字'),
    unionId: id,
    roles: z.array(role).min(1).optional(),
    staffUnionId: id.optional(),
    /** The roster phone, which a WeChat-verified phone number must match to bind. */
    phone: rosterPhone.optional(),
  })
  .strict()
export type CreateMemberBody = z.infer<typeof createMemberBody>

export const memberResponse = z.object({ member })

/** Members a staff member may act on (their union's subtree; admins: all), for picking grant targets. */
export const staffMembersQuery = z
  .object({
    /** Part of a name or member number. */
    q: z.string().trim().max(40, '搜索内容最多 40 个字').optional(),
    /** Only this union and the unions below it. */
    unionId: idText.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .strict()
export type StaffMembersQuery = z.infer<typeof staffMembersQuery>

export const memberSummary = z.object({
  id,
  memberNo: z.string(),
  name: z.string(),
  unionId: id,
  unionName: z.string(),
  /** Whether a WeChat account is bound (staff help members without one). */
  wechatBound: z.boolean().optional(),
})
export type MemberSummary = z.infer<typeof memberSummary>

export const staffMembersResponse = z.object({ members: z.array(memberSummary) })
export type StaffMembersResponse = z.infer<typeof staffMembersResponse>

/** Admin: change a member's roster entry or roles. Removing a role ends their sessions. */
export const patchMemberBody = z
  .object({
    name: z.string().trim().min(1, '请填写姓名').max(40, '姓名最多 40 个字').optional(),
    unionId: id.optional(),
    roles: z.array(role).min(1).optional(),
    staffUnionId: id.nullable().optional(),
    phone: rosterPhone.nullable().optional(),
  })
  .strict()
export type PatchMemberBody = z.infer<typeof patchMemberBody>

/** What staff see of one member when helping them sign in (never the full phone). */
export const staffMemberDetail = memberSummary.extend({
  wechatBound: z.boolean(),
  phoneMasked: z.string().nullable(),
  /** The live activation code's expiry (the code itself is shown only once, when issued). */
  activationCodeExpiresAt: z.string().nullable(),
  /** Binding is locked after too many wrong activation codes, until this time. */
  bindLockedUntil: z.string().nullable(),
})
export type StaffMemberDetail = z.infer<typeof staffMemberDetail>

export const staffMemberResponse = z.object({ member: staffMemberDetail })
export type StaffMemberResponse = z.infer<typeof staffMemberResponse>

export const revokedSessionsResponse = z.object({ revoked: z.number().int().nonnegative() })
export type RevokedSessionsResponse = z.infer<typeof revokedSessionsResponse>

/** The media types a roster file may be uploaded as (the request body is the file itself). */
export const MEMBER_IMPORT_CSV = 'text/csv'
export const MEMBER_IMPORT_XLSX =
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
/** The largest roster file the server takes. */
export const MEMBER_IMPORT_MAX_BYTES = 50 * 1024 * 1024

export const jobStatus = z.enum(['running', 'done', 'failed'])
export type JobStatus = z.infer<typeof jobStatus>

const count = z.number().int().nonnegative()

/**
 * A roster import and how far it got: `total` data rows in the file, `done` of them handled,
 * each either created, updated, rejected, or already as in the file (counted in none of the three).
 */
export const memberImport = z.object({
  id,
  status: jobStatus,
  total: count,
  done: count,
  created: count,
  updated: count,
  rejected: count,
  /** Why the import failed as a whole (e.g. a column missing), when `status` is `failed`. */
  error: z.string().nullable().optional(),
})
export type MemberImport = z.infer<typeof memberImport>

export const memberImportResponse = z.object({ import: memberImport })
export type MemberImportResponse = z.infer<typeof memberImportResponse>

/** The rejected rows as CSV text (`行号,原因` and the row's fields). */
export const memberImportRejectsCsv = z.string()

/** `?format=xlsx` gives the rejected rows as an .xlsx workbook instead of CSV. */
export const memberImportRejectsQuery = z
  .object({ format: z.enum(['csv', 'xlsx']).optional() })
  .strict()
export type MemberImportRejectsQuery = z.infer<typeof memberImportRejectsQuery>
