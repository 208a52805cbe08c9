import { useRequireSession } from '@/components/require-session'
import { hasRole } from '@/services/session'
import { EventForm } from '@/features/staff/components/event-form'
import { StaffOnly } from '@/features/staff/components/staff-tools'

/** 新建联谊活动 (staff). */
export default function EventFormPage() {
  const session = useRequireSession()
  if (!session) return null
  return hasRole(session.member, 'staff', 'admin') ? (
    <EventForm member={session.member} />
  ) : (
    <StaffOnly />
  )
}
