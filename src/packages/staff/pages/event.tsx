import { useRouter } from '@tarojs/taro'
import { RequireRole } from '@/components/require-role'
import { EventDesk } from '@/features/events/staff/event-desk'

/** One event's organiser desk (`?id=`) (staff). */
export default function StaffEventPage() {
  const { params } = useRouter()
  return (
    <RequireRole roles={['staff', 'admin']}>
      {() => <EventDesk eventId={Number(params.id)} />}
    </RequireRole>
  )
}
