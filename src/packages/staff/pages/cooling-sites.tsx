import { useRequireSession } from '@/components/require-session'
import { hasRole } from '@/services/session'
import { CoolingSites } from '@/features/staff/components/cooling-sites'
import { StaffOnly } from '@/features/staff/components/staff-tools'

/** 收货地点 (staff): enterprise work sites for cooling packs. */
export default function CoolingSitesPage() {
  const session = useRequireSession()
  if (!session) return null
  return hasRole(session.member, 'staff', 'admin') ? (
    <CoolingSites member={session.member} />
  ) : (
    <StaffOnly />
  )
}
