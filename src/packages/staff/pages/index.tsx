import { RequireRole } from '@/components/require-role'
import { StaffTools } from '@/features/staff/components/staff-tools'

/** 工会干部: the staff tool list. */
export default function StaffPage() {
  return (
    <RequireRole roles={['staff', 'admin']}>
      {(member) => <StaffTools member={member} />}
    </RequireRole>
  )
}
