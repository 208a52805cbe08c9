import { RequireRole } from '@/components/require-role'
import { EventAdmin } from '@/features/events/staff/event-admin'

/** 联谊活动管理 (staff). */
export default function StaffEventsPage() {
  return <RequireRole roles={['staff', 'admin']}>{() => <EventAdmin />}</RequireRole>
}
