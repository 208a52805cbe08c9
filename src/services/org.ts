import { orgRoutes as routes } from '@/contract/routes/org'
import {
  MEMBER_IMPORT_CSV,
  MEMBER_IMPORT_XLSX,
  type CreateMemberBody,
  type MemberImport,
  CreateUnionBody,
  type MemberSummary,
  type StaffMemberDetail,
  type Union,
} from '@/contract/org'
import type { ActivationCodeResponse, Member } from '@/contract/auth'
import { openSpreadsheet, XLSX_MEDIA_TYPE, type SavedFile } from '@/services/download'
import { call, callText, callWithFile, fileRequest, type CallOptions } from '@/services/http'

/** Every union of the tree, flat (`parentId` links a union to its parent). */
export async function listUnions(): Promise<Union[]> {
  const { unions } = await call(routes.unions)
  return unions
}

/** Creates a union under `parentId` (admin only). */
export async function createUnion(body: CreateUnionBody, options?: CallOptions): Promise<Union> {
  const { union } = await call(routes.createUnion, { body }, options)
  return union
}

/** Creates a member (admin only); `MEMBER_EXISTS` when the member number is taken. */
export async function createMember(body: CreateMemberBody, options?: CallOptions): Promise<Member> {
  const { member } = await call(routes.createMember, { body }, options)
  return member
}

/** Members a staff member may act on, found by part of a name or member number. */
export async function searchMembers(query: {
  q?: string
  unionId?: number
  limit?: number
}): Promise<MemberSummary[]> {
  const { members } = await call(routes.staffMembers, { query })
  return members
}

/** One member as staff see them when helping with sign-in: binding, live code, lock. */
export async function getStaffMember(id: number): Promise<StaffMemberDetail> {
  const { member } = await call(routes.staffMember, { params: { id } })
  return member
}

/**
 * Issues a one-time activation code for the member (any live one stops working). The code is
 * answered only this once: show it, never store it.
 */
export function issueActivationCode(id: number): Promise<ActivationCodeResponse> {
  return call(routes.issueActivationCode, { params: { id } })
}

/** Revokes the member's live activation code. */
export async function revokeActivationCode(id: number): Promise<StaffMemberDetail> {
  const { member } = await call(routes.revokeActivationCode, { params: { id } })
  return member
}

/** Unbinds the member's WeChat (a lost or changed phone); their sessions end. */
export async function staffUnbindWechat(id: number): Promise<StaffMemberDetail> {
  const { member } = await call(routes.staffUnbindWechat, { params: { id } })
  return member
}

/** The media type of a roster file by its name (`.csv` or `.xlsx`), or null for anything else. */
export function rosterFileType(fileName: string): string | null {
  const name = fileName.toLowerCase()
  if (name.endsWith('.csv')) return MEMBER_IMPORT_CSV
  if (name.endsWith('.xlsx')) return MEMBER_IMPORT_XLSX
  return null
}

/** Uploads a roster file (staff: into their subtree; admin: anywhere); the import runs on. */
export async function startMemberImport(
  data: ArrayBuffer,
  contentType: string,
): Promise<MemberImport> {
  const answer = await callWithFile(routes.createMemberImport, {}, { data, contentType })
  return answer.import
}

/** How far an import got: counts and status. */
export async function getMemberImport(id: number): Promise<MemberImport> {
  const answer = await call(routes.memberImport, { params: { id } })
  return answer.import
}

/** The rows an import refused, as CSV (UTF-8 with BOM): 行号, 原因, then the row's fields. */
export function getMemberImportRejectsCsv(id: number): Promise<string> {
  return callText(routes.memberImportRejects, { params: { id } }, { accept: 'text/csv' })
}

/**
 * The rows an import refused as an .xlsx (the CSV's rows, a bold header): downloaded on H5,
 * opened in WeChat's document viewer on weapp, whence staff forward it to a PC.
 */
export function openMemberImportRejectsXlsx(id: number): Promise<SavedFile> {
  const request = fileRequest(
    routes.memberImportRejects,
    { params: { id }, query: { format: 'xlsx' } },
    XLSX_MEDIA_TYPE,
  )
  return openSpreadsheet({ ...request, fileName: `导入会员-${id}-未导入.xlsx` })
}
