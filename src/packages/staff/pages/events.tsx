import { RequireRole } from '@/components/require-role'
import { EventAdmin } from '@/features/events/staff/event-admin'
import { useStaffEventsStore } from '@/features/events/staff/events-store'
import { usePullToRefresh } from '@/services/device'

/** 联谊活动管理 (staff). */
export default function StaffEventsPage() {
  // Pull down to load the list again (the page config enables it).
  usePullToRefresh(() => useStaffEventsStore.getState().load())
  return <RequireRole roles={['staff', 'admin']}>{() => <EventAdmin />}</RequireRole>
}
