import { useRequireSession } from '@/components/require-session'
import { hasRole } from '@/services/session'
import { LegalBookings } from '@/features/staff/components/legal-bookings'
import { StaffOnly } from '@/features/staff/components/staff-tools'

/** 法律服务 (staff): bookings at the union's service points, without descriptions. */
export default function StaffLegalPage() {
  const session = useRequireSession()
  if (!session) return null
  return hasRole(session.member, 'staff', 'admin') ? <LegalBookings /> : <StaffOnly />
}
