import { useRouter } from '@tarojs/taro'
import { CarePage } from '@/components/care-page'
import { useRequireSession } from '@/components/require-session'
import { RoundsView } from '@/features/events/components/rounds-view'

/** 我的分组 (`?id=`): the member's group in each round. */
export default function RoundsPage() {
  const session = useRequireSession()
  const { params } = useRouter()
  return session ? (
    <CarePage>
      <RoundsView eventId={Number(params.id)} />
    </CarePage>
  ) : null
}
