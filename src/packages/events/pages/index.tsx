import { CarePage } from '@/components/care-page'
import { useRequireSession } from '@/components/require-session'
import { EventList } from '@/features/events/components/event-list'

/** 联谊活动: the mixers the member may join. */
export default function EventsPage() {
  const session = useRequireSession()
  return session ? (
    <CarePage>
      <EventList />
    </CarePage>
  ) : null
}
