import { create } from 'zustand'
import type { MemberEvent } from '@/contract/events'
import { listEvents } from '@/services/events'
import { makeLoader, resetOnSessionChange, type Loadable } from '@/services/loadable'

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
  load: makeLoader(set, get, async () => ({ events: await listEvents() })),
}))

resetOnSessionChange(useEventsStore, { events: [], status: 'idle', error: null })
