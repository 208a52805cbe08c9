import { orgRoutes as routes } from '@/contract/routes/org'
import type {
  CreateMemberBody,
  CreateUnionBody,
  MemberSummary,
  StaffMemberDetail,
  Union,
} from '@/contract/org'
import type { ActivationCodeResponse, Member } from '@/contract/auth'
import { call, type CallOptions } from '@/services/http'

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
