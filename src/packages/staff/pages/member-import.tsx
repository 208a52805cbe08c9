import { RequireRole } from '@/components/require-role'
import { MemberImportPanel } from '@/features/org/components/member-import'

/** 导入会员 (staff, admin): a roster file in, progress, the refused rows out. */
export default function MemberImportPage() {
  return <RequireRole roles={['staff', 'admin']}>{() => <MemberImportPanel />}</RequireRole>
}
