import { RequireRole } from '@/components/require-role'
import { LegalAvailabilityAdmin } from '@/features/legal/staff/availability-admin'

/** 排班 (staff): weekly availability rules. */
export default function LegalAvailabilityPage() {
  return <RequireRole roles={['staff', 'admin']}>{() => <LegalAvailabilityAdmin />}</RequireRole>
}
