import { z } from 'zod'
import { id } from './common'

export const roles = ['member', 'staff', 'lawyer', 'admin'] as const
export const role = z.enum(roles)
export type Role = z.infer<typeof role>

/** A member number such as `M0001`, `S0101`, `A0001`: a capital letter and digits. */
export const memberNo = z
  .string()
  .trim()
  .regex(/^[A-Z][0-9]{4,9}$/, '会员号格式不正确，例如 M0001')

export const member = z.object({
  id,
  memberNo: z.string(),
  name: z.string(),
  unionId: id,
  unionName: z.string(),
  roles: z.array(role),
  staffUnionId: id.optional(),
})
export type Member = z.infer<typeof member>

export const devLoginBody = z.object({ memberNo }).strict()
export type DevLoginBody = z.infer<typeof devLoginBody>

/**
 * A `wx.login` code. The first time a WeChat account signs in it is bound to a member: the app
 * then sends the member number and name as well (both must match the union's records).
 */
export const wechatLoginBody = z
  .object({
    code: z.string().min(1).max(200),
    memberNo: memberNo.optional(),
    name: z.string().trim().min(1).max(40).optional(),
  })
  .strict()
export type WechatLoginBody = z.infer<typeof wechatLoginBody>

export const authResponse = z.object({ token: z.string(), member })
export type AuthResponse = z.infer<typeof authResponse>

export const meResponse = z.object({ member })
export type MeResponse = z.infer<typeof meResponse>
