import { useRequireSession } from '@/components/require-session'
import { hasRole } from '@/services/session'
import { LegalLawyersAdmin } from '@/features/staff/components/legal-admin'
import { StaffOnly } from '@/features/staff/components/staff-tools'

/** 律师 (staff): lawyers and adding one. */
export default function LegalLawyersPage() {
  const session = useRequireSession()
  if (!session) return null
  return hasRole(session.member, 'staff', 'admin') ? <LegalLawyersAdmin /> : <StaffOnly />
}
