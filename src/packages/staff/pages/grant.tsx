import { RequireRole } from '@/components/require-role'
import { GrantForm } from '@/features/points/staff/grant-form'

/** 发放积分 (staff). */
export default function GrantPage() {
  return (
    <RequireRole roles={['staff', 'admin']}>
      {(member) => <GrantForm member={member} />}
    </RequireRole>
  )
}
