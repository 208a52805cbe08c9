import type { Role } from '@/contract/auth'

/** Chinese names of member roles. */
export const roleLabels: Record<Role, string> = {
  member: '会员',
  staff: '工会干部',
  lawyer: '律师',
  admin: '管理员',
}
