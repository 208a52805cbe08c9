import { RequireRole } from '@/components/require-role'
import { PickupDesk } from '@/features/mall/staff/pickup-desk'

/** 核销提货 (staff). */
export default function PickupPage() {
  return <RequireRole roles={['staff', 'admin']}>{() => <PickupDesk />}</RequireRole>
}
