import { RequireRole } from '@/components/require-role'
import { CoolingAdmin } from '@/features/cooling/staff/cooling-admin'
import { useStaffCoolingStore } from '@/features/cooling/staff/cooling-store'
import { usePullToRefresh } from '@/services/device'

/** 夏送清凉 (staff): campaigns, counts, closing. */
export default function StaffCoolingPage() {
  // Pull down to load the list again (the page config enables it).
  usePullToRefresh(() => useStaffCoolingStore.getState().load())
  return <RequireRole roles={['staff', 'admin']}>{() => <CoolingAdmin />}</RequireRole>
}
