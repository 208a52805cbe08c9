import { useRouter } from '@tarojs/taro'
import { useRequireSession } from '@/components/require-session'
import { hasRole } from '@/services/session'
import { EventDesk } from '@/features/staff/components/event-desk'
import { StaffOnly } from '@/features/staff/components/staff-tools'

/** One event's organiser desk (`?id=`) (staff). */
export default function StaffEventPage() {
  const session = useRequireSession()
  const { params } = useRouter()
  if (!session) return null
  return hasRole(session.member, 'staff', 'admin') ? (
    <EventDesk eventId={Number(params.id)} />
  ) : (
    <StaffOnly />
  )
}
