import { useRequireSession } from '@/components/require-session'
import { hasRole } from '@/services/session'
import { PickupDesk } from '@/features/staff/components/pickup-desk'
import { StaffOnly } from '@/features/staff/components/staff-tools'

/** 核销提货 (staff). */
export default function PickupPage() {
  const session = useRequireSession()
  if (!session) return null
  return hasRole(session.member, 'staff', 'admin') ? <PickupDesk /> : <StaffOnly />
}
