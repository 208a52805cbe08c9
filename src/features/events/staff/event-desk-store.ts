import Taro from '@tarojs/taro'
import { create } from 'zustand'
import type {
  GroupsResponse,
  MakeGroupsBody,
  MatchesResponse,
  StaffEvent,
  StaffRegistration,
} from '@/contract/events'
import { ApiError, errorMessage } from '@/services/http'
import {
  checkInMember,
  getCheckinCode,
  getGroups,
  getMatches,
  getStaffEvent,
  listRegistrations,
  makeGroups,
  setCurrentRound,
  setFlowerPhase,
} from '@/services/events'
import { registerReset } from '@/services/store-reset'
import { useStaffEventsStore } from '@/features/events/staff/events-store'

type Loadable<T> = {
  data: T | null
  status: 'idle' | 'loading' | 'ready' | 'error'
  error: string | null
}

const idle = { data: null, status: 'idle' as const, error: null }

interface EventDeskState {
  eventId: number | null
  event: Loadable<StaffEvent>
  registrations: Loadable<StaffRegistration[]>
  checkinCode: Loadable<string>
  groups: Loadable<GroupsResponse>
  matches: Loadable<MatchesResponse>
  busy: 'checkin' | 'groups' | 'phase' | 'round' | null
  /** The member checked in last (shown as a success line at the desk). */
  lastCheckin: StaffRegistration | null
  checkinError: string | null
  groupsError: string | null
  /** Starts on an event (a new id forgets the previous one) and loads its details. */
  open: (eventId: number) => Promise<void>
  loadEvent: () => Promise<void>
  loadRegistrations: () => Promise<void>
  loadCheckinCode: () => Promise<void>
  loadGroups: () => Promise<void>
  loadMatches: () => Promise<void>
  /** Checks a member in by their personal code (scanned or typed). */
  checkIn: (checkinCode: string) => Promise<boolean>
  makeGroups: (body: MakeGroupsBody) => Promise<boolean>
  /** Opens or closes the flower phase (the page confirms first). */
  setPhase: (open: boolean) => Promise<void>
  /** Announces round `round` (attendees' round pages follow it). */
  setRound: (round: number) => Promise<void>
  /**
   * The live refresh (every few seconds while the desk is shown): the event and whatever else is
   * loaded already, quietly — a failure keeps what is shown, the next refresh tries again.
   */
  refresh: () => Promise<void>
}

const initial = {
  eventId: null,
  event: idle,
  registrations: idle,
  checkinCode: idle,
  groups: idle,
  matches: idle,
  busy: null,
  lastCheckin: null,
  checkinError: null,
  groupsError: null,
}

type LoadableKey = 'event' | 'registrations' | 'checkinCode' | 'groups' | 'matches'

/** One event's organiser desk: sign-ups, check-in, groups, flower phase and matches. */
export const useEventDeskStore = create<EventDeskState>()((set, get) => {
  const put = <K extends LoadableKey>(key: K, value: EventDeskState[K]) =>
    set({ [key]: value } as unknown as Pick<EventDeskState, K>)

  /** Loads one part; keeps what is shown after a failed refresh (and says so in a toast). */
  async function loadPart<K extends LoadableKey>(
    key: K,
    fetch: (id: number) => Promise<EventDeskState[K]['data']>,
    onNotFound?: EventDeskState[K]['data'],
    quiet = false,
  ): Promise<void> {
    const id = get().eventId
    if (id === null) return
    const before = get()[key]
    if (before.status !== 'ready') put(key, { ...before, status: 'loading', error: null })
    try {
      const data = await fetch(id)
      if (get().eventId !== id) return
      put(key, { data, status: 'ready', error: null } as EventDeskState[K])
    } catch (e) {
      if (get().eventId !== id) return
      if (onNotFound !== undefined && e instanceof ApiError && e.code === 'NOT_FOUND') {
        put(key, { data: onNotFound, status: 'ready', error: null } as EventDeskState[K])
        return
      }
      const message = errorMessage(e)
      if (get()[key].status === 'ready') {
        if (quiet) return
        Taro.showToast({ title: message, icon: 'none' }).catch(() => undefined)
      } else put(key, { data: null, status: 'error', error: message } as EventDeskState[K])
    }
  }

  return {
    ...initial,
    open: async (eventId) => {
      if (get().eventId !== eventId) set({ ...initial, eventId })
      await get().loadEvent()
    },
    loadEvent: () => loadPart('event', getStaffEvent),
    loadRegistrations: () => loadPart('registrations', listRegistrations),
    loadCheckinCode: () => loadPart('checkinCode', getCheckinCode),
    // No groups yet answers 404: that is an empty state, not an error.
    loadGroups: () => loadPart('groups', getGroups, null),
    loadMatches: () => loadPart('matches', getMatches),
    checkIn: async (checkinCode) => {
      const id = get().eventId
      if (id === null || get().busy) return false
      set({ busy: 'checkin', checkinError: null, lastCheckin: null })
      try {
        const registration = await checkInMember(id, { checkinCode })
        set({ busy: null, lastCheckin: registration })
        void get().loadEvent()
        if (get().registrations.status === 'ready') void get().loadRegistrations()
        return true
      } catch (e) {
        set({ busy: null, checkinError: errorMessage(e) })
        return false
      }
    },
    makeGroups: async (body) => {
      const id = get().eventId
      if (id === null || get().busy) return false
      set({ busy: 'groups', groupsError: null })
      try {
        const groups = await makeGroups(id, body)
        set({ busy: null, groups: { data: groups, status: 'ready', error: null } })
        Taro.showToast({ title: '分组完成', icon: 'success' }).catch(() => undefined)
        void get().loadEvent()
        return true
      } catch (e) {
        set({ busy: null, groupsError: errorMessage(e) })
        return false
      }
    },
    setPhase: async (open) => {
      const id = get().eventId
      if (id === null || get().busy) return
      set({ busy: 'phase' })
      try {
        const event = await setFlowerPhase(id, open)
        set({ busy: null, event: { data: event, status: 'ready', error: null } })
        useStaffEventsStore.getState().upsert(event)
        Taro.showToast({ title: open ? '送花已开启' : '送花已结束', icon: 'success' }).catch(
          () => undefined,
        )
      } catch (e) {
        set({ busy: null })
        Taro.showToast({ title: errorMessage(e), icon: 'none', duration: 3000 }).catch(
          () => undefined,
        )
        void get().loadEvent()
      }
      void get().loadMatches()
    },
    setRound: async (round) => {
      const id = get().eventId
      if (id === null || get().busy) return
      set({ busy: 'round' })
      try {
        const event = await setCurrentRound(id, round)
        set({ busy: null, event: { data: event, status: 'ready', error: null } })
        Taro.showToast({ title: `已开始第 ${round} 轮`, icon: 'success' }).catch(() => undefined)
      } catch (e) {
        set({ busy: null })
        Taro.showToast({ title: errorMessage(e), icon: 'none', duration: 3000 }).catch(
          () => undefined,
        )
      }
    },
    refresh: async () => {
      if (get().eventId === null || get().busy) return
      const ready = (key: LoadableKey) => get()[key].status === 'ready'
      await Promise.all([
        loadPart('event', getStaffEvent, undefined, true),
        ready('registrations')
          ? loadPart('registrations', listRegistrations, undefined, true)
          : null,
        ready('groups') ? loadPart('groups', getGroups, null, true) : null,
        ready('matches') ? loadPart('matches', getMatches, undefined, true) : null,
      ])
    },
  }
})

registerReset(useEventDeskStore)
