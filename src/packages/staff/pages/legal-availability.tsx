import { useRequireSession } from '@/components/require-session'
import { hasRole } from '@/services/session'
import { LegalAvailabilityAdmin } from '@/features/staff/components/legal-admin'
import { StaffOnly } from '@/features/staff/components/staff-tools'

/** 排班 (staff): weekly availability rules. */
export default function LegalAvailabilityPage() {
  const session = useRequireSession()
  if (!session) return null
  return hasRole(session.member, 'staff', 'admin') ? <LegalAvailabilityAdmin /> : <StaffOnly />
}
