import { useRouter } from '@tarojs/taro'
import { useRequireSession } from '@/components/require-session'
import { RoundsView } from '@/features/events/components/rounds-view'

/** 我的分组 (`?id=`): the member's group in each round. */
export default function RoundsPage() {
  const session = useRequireSession()
  const { params } = useRouter()
  return session ? <RoundsView eventId={Number(params.id)} /> : null
}
