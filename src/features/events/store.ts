import { create } from 'zustand'
import { z } from 'zod'
import { memberEvent, type MemberEvent } from '@/contract/events'
import { listEvents } from '@/services/events'
import { keepAs, makeLoader, type Loadable } from '@/services/loadable'
import { registerReset } from '@/services/store-reset'

interface EventsState extends Loadable {
  events: MemberEvent[]
  /** Loads the events the member may join; concurrent calls share one request. */
  load: () => Promise<void>
}

/** 联谊活动: the events of the member's union and its ancestors. */
export const useEventsStore = create<EventsState>()((set, get) => ({
  events: [],
  status: 'idle',
  error: null,
  load: makeLoader(set, get, async () => ({ events: await listEvents() }), {
    keep: keepAs('events', z.object({ events: z.array(memberEvent) })),
  }),
}))

registerReset(useEventsStore)
