import { useRouter } from '@tarojs/taro'
import { useRequireSession } from '@/components/require-session'
import { EventView } from '@/features/events/components/event-view'

/** One mixer (`?id=`): details, sign-up, registration and check-in. */
export default function EventPage() {
  const session = useRequireSession()
  const { params } = useRouter()
  return session ? <EventView eventId={Number(params.id)} /> : null
}
