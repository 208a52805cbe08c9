import { create } from 'zustand'
import type { MemberEvent } from '@/contract/events'
import { errorMessage } from '@/services/http'
import { listEvents } from '@/services/events'
import { useSession } from '@/services/session'

interface EventsState {
  events: MemberEvent[]
  status: 'idle' | 'loading' | 'ready' | 'error'
  error: string | null
  /** Loads the events the member may join; concurrent calls share one request. */
  load: () => Promise<void>
}

let inFlight: Promise<void> | null = null

/** 联谊活动: the events of the member's union and its ancestors. */
export const useEventsStore = create<EventsState>()((set, get) => ({
  events: [],
  status: 'idle',
  error: null,
  load: () => {
    if (inFlight) return inFlight
    if (get().status !== 'ready') set({ status: 'loading', error: null })
    inFlight = (async () => {
      try {
        const token = useSession.getState().session?.token
        const events = await listEvents()
        if (useSession.getState().session?.token !== token) return
        set({ events, status: 'ready', error: null })
      } catch (e) {
        if (get().status !== 'ready') set({ status: 'error', error: errorMessage(e) })
      } finally {
        inFlight = null
      }
    })()
    return inFlight
  },
}))

useSession.subscribe((state, previous) => {
  if (state.session?.token !== previous.session?.token) {
    useEventsStore.setState({ events: [], status: 'idle', error: null })
  }
})
