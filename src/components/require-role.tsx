import type { ReactNode } from 'react'
import { Text, View } from '@tarojs/components'
import type { Member, Role } from '@/contract/auth'
import { hasRole } from '@/services/session'
import { PrivacySheet } from './privacy-sheet'
import { useRequireSession } from './require-session'

/** What a member without the wanted roles reads, by the roles a page is for. */
function deniedText(roles: Role[]): string {
  if (roles.includes('staff')) return '仅工会干部可用'
  if (roles.includes('lawyer')) return '仅律师可用'
  return '仅管理员可用'
}

/** Props of the role guard. */
export interface RequireRoleProps {
  /** The page is for members with any of these roles. */
  roles: Role[]
  /** The page itself, given the signed-in member. */
  children: (member: Member) => ReactNode
}

/**
 * A page for some roles only: sends a signed-out visitor to the sign-in page, tells a member
 * without the roles who may use it (仅工会干部可用, 仅律师可用, 仅管理员可用), and otherwise renders
 * the page. The server checks every request again.
 */
export function RequireRole({ roles, children }: RequireRoleProps) {
  const session = useRequireSession()
  if (!session) return null
  if (!hasRole(session.member, ...roles)) {
    return (
      <View className="state role-denied">
        <Text>{deniedText(roles)}</Text>
      </View>
    )
  }
  return (
    <>
      {children(session.member)}
      {/* Staff pages scan codes: WeChat's privacy prompt shows over them. */}
      <PrivacySheet />
    </>
  )
}
