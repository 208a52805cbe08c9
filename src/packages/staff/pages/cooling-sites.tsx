import { RequireRole } from '@/components/require-role'
import { CoolingSites } from '@/features/cooling/staff/cooling-sites'

/** 收货地点 (staff): enterprise work sites for cooling packs. */
export default function CoolingSitesPage() {
  return (
    <RequireRole roles={['staff', 'admin']}>
      {(member) => <CoolingSites member={member} />}
    </RequireRole>
  )
}
