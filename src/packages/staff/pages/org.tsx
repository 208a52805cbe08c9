import { RequireRole } from '@/components/require-role'
import { OrgAdmin } from '@/features/org/components/org-admin'

/** 组织与会员管理 (admin). */
export default function OrgPage() {
  return <RequireRole roles={['admin']}>{() => <OrgAdmin />}</RequireRole>
}
