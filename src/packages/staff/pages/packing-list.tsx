import { useRouter } from '@tarojs/taro'
import { useRequireSession } from '@/components/require-session'
import { hasRole } from '@/services/session'
import { PackingListView } from '@/features/staff/components/packing-list-view'
import { StaffOnly } from '@/features/staff/components/staff-tools'

/** 装箱单 of one campaign (`?id=`, staff). */
export default function PackingListPage() {
  const session = useRequireSession()
  const { params } = useRouter()
  if (!session) return null
  return hasRole(session.member, 'staff', 'admin') ? (
    <PackingListView campaignId={Number(params.id)} />
  ) : (
    <StaffOnly />
  )
}
