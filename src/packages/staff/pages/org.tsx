import { useRequireSession } from '@/components/require-session'
import { OrgAdmin } from '@/features/staff/components/org-admin'

/** 组织与会员管理 (admin). */
export default function OrgPage() {
  const session = useRequireSession()
  return session ? <OrgAdmin member={session.member} /> : null
}
