import { RequireRole } from '@/components/require-role'
import { LegalBookings } from '@/features/legal/staff/legal-bookings'

/** 法律服务 (staff): bookings at the union's service points, without descriptions. */
export default function StaffLegalPage() {
  return <RequireRole roles={['staff', 'admin']}>{() => <LegalBookings />}</RequireRole>
}
