import { useRouter } from '@tarojs/taro'
import { RequireRole } from '@/components/require-role'
import { PackingListView } from '@/features/cooling/staff/packing-list-view'

/** 装箱单 of one campaign (`?id=`, staff). */
export default function PackingListPage() {
  const { params } = useRouter()
  return (
    <RequireRole roles={['staff', 'admin']}>
      {() => <PackingListView campaignId={Number(params.id)} />}
    </RequireRole>
  )
}
