import { create } from 'zustand'
import type { StaffEvent } from '@/contract/events'
import { errorMessage } from '@/services/http'
import { listStaffEvents } from '@/services/events'
import { useSession } from '@/services/session'

interface StaffEventsState {
  events: StaffEvent[]
  status: 'idle' | 'loading' | 'ready' | 'error'
  error: string | null
  load: () => Promise<void>
  /** Puts a created or changed event in the list at once. */
  upsert: (event: StaffEvent) => void
}

/** 联谊活动管理: the events with a host union the staff member manages. */
export const useStaffEventsStore = create<StaffEventsState>()((set, get) => ({
  events: [],
  status: 'idle',
  error: null,
  load: async () => {
    if (get().status === 'loading') return
    if (get().status !== 'ready') set({ status: 'loading', error: null })
    try {
      set({ events: await listStaffEvents(), status: 'ready', error: null })
    } catch (e) {
      if (get().status !== 'ready') set({ status: 'error', error: errorMessage(e) })
    }
  },
  upsert: (event) => {
    const events = get().events
    set({
      events: events.some((e) => e.id === event.id)
        ? events.map((e) => (e.id === event.id ? event : e))
        : [event, ...events],
    })
  },
}))

useSession.subscribe((state, previous) => {
  if (state.session?.token !== previous.session?.token) {
    useStaffEventsStore.setState({ events: [], status: 'idle', error: null })
  }
})
