import { RequireRole } from '@/components/require-role'
import { LegalClosuresAdmin } from '@/features/legal/staff/closures-admin'

/** 停诊日 (staff): closure days (holidays). */
export default function LegalClosuresPage() {
  return <RequireRole roles={['staff', 'admin']}>{() => <LegalClosuresAdmin />}</RequireRole>
}
