import { create } from 'zustand'
import type { StaffEvent } from '@/contract/events'
import { listStaffEvents } from '@/services/events'
import { makeLoader, upsertById, type Loadable } from '@/services/loadable'
import { registerReset } from '@/services/store-reset'

interface StaffEventsState extends Loadable {
  events: StaffEvent[]
  load: () => Promise<void>
  /** Puts a created or changed event in the list at once. */
  upsert: (event: StaffEvent) => void
}

/** 联谊活动管理: the events with a host union the staff member manages. */
export const useStaffEventsStore = create<StaffEventsState>()((set, get) => ({
  events: [],
  status: 'idle',
  error: null,
  load: makeLoader(set, get, async () => ({ events: await listStaffEvents() })),
  upsert: (event) => set({ events: upsertById(get().events, event) }),
}))

registerReset(useStaffEventsStore)
