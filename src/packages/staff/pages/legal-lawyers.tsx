import { RequireRole } from '@/components/require-role'
import { LegalLawyersAdmin } from '@/features/legal/staff/lawyers-admin'

/** 律师 (staff): lawyers and adding one. */
export default function LegalLawyersPage() {
  return <RequireRole roles={['staff', 'admin']}>{() => <LegalLawyersAdmin />}</RequireRole>
}
