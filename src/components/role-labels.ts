import type { Role } from '@/contract/auth'

/**
 * Chinese names of member roles. Kept here, not in a feature: 我的 (profile) shows the member's own
 * roles and 组织与会员管理 (org) offers them when creating a member, and features never import
 * each other.
 */
export const roleLabels: Record<Role, string> = {
  member: '会员',
  staff: '工会干部',
  lawyer: '律师',
  admin: '管理员',
}
