import { useRouter, useShareAppMessage } from '@tarojs/taro'
import { CarePage } from '@/components/care-page'
import { useRequireSession } from '@/components/require-session'
import { EventView } from '@/features/events/components/event-view'
import { useEventStore } from '@/features/events/event-store'
import { eventUrls } from '@/features/events/urls'

/** One mixer (`?id=`): details, sign-up, registration and check-in; shareable to a chat. */
export default function EventPage() {
  const session = useRequireSession()
  const { params } = useRouter()
  const eventId = Number(params.id)
  // The receiver opens this mixer (signed out: after sign-in, see goToLogin).
  useShareAppMessage(() => {
    const { event } = useEventStore.getState()
    return {
      title: event?.id === eventId ? `联谊活动：${event.title}` : '工会联谊活动',
      path: eventUrls.event(eventId),
    }
  })
  return session ? (
    <CarePage>
      <EventView eventId={eventId} />
    </CarePage>
  ) : null
}
