import { useRequireSession } from '@/components/require-session'
import { hasRole } from '@/services/session'
import { LegalClosuresAdmin } from '@/features/staff/components/legal-admin'
import { StaffOnly } from '@/features/staff/components/staff-tools'

/** 停诊日 (staff): closure days (holidays). */
export default function LegalClosuresPage() {
  const session = useRequireSession()
  if (!session) return null
  return hasRole(session.member, 'staff', 'admin') ? <LegalClosuresAdmin /> : <StaffOnly />
}
