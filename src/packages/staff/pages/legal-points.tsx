import { useRequireSession } from '@/components/require-session'
import { hasRole } from '@/services/session'
import { LegalPointsAdmin } from '@/features/staff/components/legal-admin'
import { StaffOnly } from '@/features/staff/components/staff-tools'

/** 服务点 (staff): workstations and online services. */
export default function LegalPointsPage() {
  const session = useRequireSession()
  if (!session) return null
  return hasRole(session.member, 'staff', 'admin') ? (
    <LegalPointsAdmin member={session.member} />
  ) : (
    <StaffOnly />
  )
}
