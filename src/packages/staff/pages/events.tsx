import { useRequireSession } from '@/components/require-session'
import { hasRole } from '@/services/session'
import { EventAdmin } from '@/features/staff/components/event-admin'
import { StaffOnly } from '@/features/staff/components/staff-tools'

/** 联谊活动管理 (staff). */
export default function StaffEventsPage() {
  const session = useRequireSession()
  if (!session) return null
  return hasRole(session.member, 'staff', 'admin') ? <EventAdmin /> : <StaffOnly />
}
