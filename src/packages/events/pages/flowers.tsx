import { useRouter } from '@tarojs/taro'
import { CarePage } from '@/components/care-page'
import { useRequireSession } from '@/components/require-session'
import { FlowersView } from '@/features/events/components/flowers-view'

/** 送花 (`?id=`): the member's 3 flowers, and the matches once revealed. */
export default function FlowersPage() {
  const session = useRequireSession()
  const { params } = useRouter()
  return session ? (
    <CarePage>
      <FlowersView eventId={Number(params.id)} />
    </CarePage>
  ) : null
}
