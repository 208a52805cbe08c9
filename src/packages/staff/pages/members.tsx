import { RequireRole } from '@/components/require-role'
import { MemberAccess } from '@/features/org/components/member-access'

/** 会员账号 (staff): WeChat binding, activation codes, unbinding. */
export default function MembersPage() {
  return <RequireRole roles={['staff', 'admin']}>{() => <MemberAccess />}</RequireRole>
}
