import { z } from 'zod'
import { id } from './common'
import { member, memberNo, role } from './auth'

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
  })
  .strict()
export type CreateMemberBody = z.infer<typeof createMemberBody>

export const memberResponse = z.object({ member })
