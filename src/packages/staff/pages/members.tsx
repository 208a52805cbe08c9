import { useRequireSession } from '@/components/require-session'
import { hasRole } from '@/services/session'
import { MemberAccess } from '@/features/staff/components/member-access'
import { StaffOnly } from '@/features/staff/components/staff-tools'

/** 会员账号 (staff): WeChat binding, activation codes, unbinding. */
export default function MembersPage() {
  const session = useRequireSession()
  if (!session) return null
  return hasRole(session.member, 'staff', 'admin') ? <MemberAccess /> : <StaffOnly />
}
