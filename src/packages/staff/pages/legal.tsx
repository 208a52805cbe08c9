import { RequireRole } from '@/components/require-role'
import { LegalBookings } from '@/features/legal/staff/legal-bookings'
import { useStaffBookingsStore } from '@/features/legal/staff/legal-store'
import { usePullToRefresh } from '@/services/device'

/** 法律服务 (staff): bookings at the union's service points, without descriptions. */
export default function StaffLegalPage() {
  // Pull down to load the list again (the page config enables it).
  usePullToRefresh(() => useStaffBookingsStore.getState().load())
  return <RequireRole roles={['staff', 'admin']}>{() => <LegalBookings />}</RequireRole>
}
