import Taro from '@tarojs/taro'
import { z } from 'zod'
import { create } from 'zustand'
import { attendee, flowersResponse, type Attendee, type FlowersResponse } from '@/contract/events'
import { keepCopy } from '@/services/device-keep'
import { ApiError, errorMessage, newIdempotencyKey } from '@/services/http'
import { fetchKept } from '@/services/loadable'
import { getFlowers, listAttendees, sendFlower } from '@/services/events'
import { registerReset } from '@/services/store-reset'

interface FlowersState {
  eventId: number | null
  flowers: FlowersResponse | null
  /** Checked-in attendees other than the member (loaded while the phase is open). */
  attendees: Attendee[]
  status: 'idle' | 'loading' | 'ready' | 'error'
  error: string | null
  /** Set when what is shown is older than asked for (no network): when it was loaded. */
  keptAt: number | null
  /** The attendee a flower is on its way to. */
  sendingTo: string | null
  /** The server's refusal of the last flower, in its own Chinese words. */
  sendError: string | null
  /**
   * Loads the member's flowers (and, while the phase is open, who can receive one). `quiet`: a
   * live refresh, whose failure keeps what is shown without a toast (the next one tries again).
   * Without an answer, what is shown stays (or, on a first load, the device's copy is shown) and
   * `keptAt` says how old it is.
   */
  load: (eventId: number, options?: { quiet?: boolean }) => Promise<void>
  /** Sends one flower (the page confirms first: a flower is final). */
  send: (toAttendeeId: string) => Promise<void>
}

const initial = {
  eventId: null,
  flowers: null,
  attendees: [],
  status: 'idle' as const,
  error: null,
  keptAt: null,
  sendingTo: null,
  sendError: null,
}

/**
 * Keys of flowers whose answer never came, per recipient: tapping again replays the first request
 * instead of spending a second flower.
 */
const pendingKeys = new Map<string, string>()

/** What the device keeps of one event's 送花 page: the flowers and who could receive one. */
const keptFlowers = z.object({ flowers: flowersResponse, attendees: z.array(attendee) })
type KeptFlowers = z.infer<typeof keptFlowers>
const keptName = (eventId: number) => `flowers:${eventId}`

/** When the data on screen was loaded from the server (per event), for the notice's time. */
let loaded: { eventId: number; at: number } | null = null

/** 送花: flowers left, who they went to, the phase and — once closed — the matches. */
export const useFlowersStore = create<FlowersState>()((set, get) => ({
  ...initial,
  load: async (eventId, options) => {
    if (get().eventId !== eventId) {
      pendingKeys.clear()
      set({ ...initial, eventId })
    }
    if (get().status !== 'ready') set({ status: 'loading', error: null })
    const startedAt = Date.now()
    try {
      const { data, keptAt } = await fetchKept(keptName(eventId), keptFlowers, async () => {
        const flowers = await getFlowers(eventId)
        let attendees = get().attendees
        if (flowers.phase === 'open') {
          const list = await listAttendees(eventId)
          attendees = list.attendees.filter((a) => a.attendeeId !== list.myAttendeeId)
        }
        return { flowers, attendees }
      })
      if (get().eventId !== eventId) return
      if (keptAt !== null && get().status === 'ready') {
        // No answer: what is on screen stays (it may be newer than the copy, a flower just sent);
        // the page says how old it is.
        set({ keptAt: get().keptAt ?? (loaded?.eventId === eventId ? loaded.at : keptAt) })
        return
      }
      if (keptAt === null) loaded = { eventId, at: startedAt }
      set({ ...data, status: 'ready', error: null, keptAt })
    } catch (e) {
      if (get().eventId !== eventId) return
      if (get().status !== 'ready') set({ status: 'error', error: errorMessage(e) })
      else if (!options?.quiet)
        Taro.showToast({ title: errorMessage(e), icon: 'none' }).catch(() => undefined)
    }
  },
  send: async (toAttendeeId) => {
    const { eventId, flowers, sendingTo } = get()
    if (eventId === null || !flowers || sendingTo) return
    const key = pendingKeys.get(toAttendeeId) ?? newIdempotencyKey()
    pendingKeys.set(toAttendeeId, key)
    set({ sendingTo: toAttendeeId, sendError: null })
    try {
      const { left, sentTo } = await sendFlower(eventId, toAttendeeId, { idempotencyKey: key })
      pendingKeys.delete(toAttendeeId)
      set({ flowers: { ...flowers, left, sentTo }, sendingTo: null })
      // The device's copy follows, so an offline reopen never offers the flower again.
      const kept: KeptFlowers = { flowers: get().flowers ?? flowers, attendees: get().attendees }
      if (loaded?.eventId === eventId) keepCopy(keptName(eventId), kept, loaded.at)
      Taro.showToast({ title: '鲜花已送出', icon: 'success' }).catch(() => undefined)
    } catch (e) {
      const message = errorMessage(e)
      const final = e instanceof ApiError && e.status >= 400 && e.status < 500
      if (final) pendingKeys.delete(toAttendeeId)
      set({ sendingTo: null, sendError: message })
      Taro.showToast({ title: message, icon: 'none', duration: 3000 }).catch(() => undefined)
      // The phase may have closed or the count changed elsewhere: show things as they are now.
      if (final) await get().load(eventId)
    }
  },
}))

registerReset(useFlowersStore, {
  also: () => {
    pendingKeys.clear()
    loaded = null
  },
})
