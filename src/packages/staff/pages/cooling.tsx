import { useRequireSession } from '@/components/require-session'
import { hasRole } from '@/services/session'
import { CoolingAdmin } from '@/features/staff/components/cooling-admin'
import { StaffOnly } from '@/features/staff/components/staff-tools'

/** 夏送清凉 (staff): campaigns, counts, closing. */
export default function StaffCoolingPage() {
  const session = useRequireSession()
  if (!session) return null
  return hasRole(session.member, 'staff', 'admin') ? <CoolingAdmin /> : <StaffOnly />
}
