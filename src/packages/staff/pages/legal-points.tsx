import { RequireRole } from '@/components/require-role'
import { LegalPointsAdmin } from '@/features/legal/staff/points-admin'

/** 服务点 (staff): workstations and online services. */
export default function LegalPointsPage() {
  return (
    <RequireRole roles={['staff', 'admin']}>
      {(member) => <LegalPointsAdmin member={member} />}
    </RequireRole>
  )
}
