import { RequireRole } from '@/components/require-role'
import { CoolingAdmin } from '@/features/cooling/staff/cooling-admin'

/** 夏送清凉 (staff): campaigns, counts, closing. */
export default function StaffCoolingPage() {
  return <RequireRole roles={['staff', 'admin']}>{() => <CoolingAdmin />}</RequireRole>
}
