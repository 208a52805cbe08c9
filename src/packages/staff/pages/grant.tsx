import { useRequireSession } from '@/components/require-session'
import { hasRole } from '@/services/session'
import { GrantForm } from '@/features/staff/components/grant-form'
import { StaffOnly } from '@/features/staff/components/staff-tools'

/** 发放积分 (staff). */
export default function GrantPage() {
  const session = useRequireSession()
  if (!session) return null
  return hasRole(session.member, 'staff', 'admin') ? (
    <GrantForm member={session.member} />
  ) : (
    <StaffOnly />
  )
}
