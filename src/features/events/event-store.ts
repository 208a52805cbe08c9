import Taro from '@tarojs/taro'
import { create } from 'zustand'
import {
  eventDetailResponse,
  type MemberEvent,
  type MyRegistration,
  type ProfileInput,
} from '@/contract/events'
import { ApiError, errorMessage, newIdempotencyKey } from '@/services/http'
import { fetchKept } from '@/services/loadable'
import { requestSubscriptions } from '@/services/notifications'
import { cancelSignup, checkIn, getEvent, signUp } from '@/services/events'
import { registerReset } from '@/services/store-reset'
import { useEventsStore } from '@/features/events/store'

interface EventState {
  eventId: number | null
  event: MemberEvent | null
  /** The member's registration (also when cancelled), or null. */
  registration: MyRegistration | null
  status: 'idle' | 'loading' | 'ready' | 'error'
  error: string | null
  /** Set when what is shown is the device's copy (no network): when it was loaded. */
  keptAt: number | null
  /** What is being sent now, to disable its button. */
  busy: 'signup' | 'cancel' | 'checkin' | null
  /** The server's refusal of the last sign-up (shown above the form). */
  signupError: string | null
  /** The server's refusal of the last check-in (shown under the code field). */
  checkinError: string | null
  /** Loads one event and the member's registration (a new id starts afresh). */
  load: (eventId: number) => Promise<void>
  /** Signs up with the profile; a retry after no answer reuses the key so it never signs up twice. */
  signUp: (profile: ProfileInput) => Promise<boolean>
  /** Cancels the registration (the page confirms first). */
  cancel: () => Promise<void>
  /** Checks in with the event's code, scanned or typed. */
  checkIn: (code: string) => Promise<boolean>
}

const initial = {
  eventId: null,
  event: null,
  registration: null,
  status: 'idle' as const,
  error: null,
  keptAt: null,
  busy: null,
  signupError: null,
  checkinError: null,
}

/** The key of a sign-up whose answer never came: the retry must replay it, not sign up again. */
let pendingSignupKey: string | null = null

function toast(title: string, icon: 'success' | 'none' = 'none') {
  Taro.showToast({ title, icon, duration: icon === 'none' ? 3000 : 1500 }).catch(() => undefined)
}

/** One event page: details, the member's registration, sign-up, cancel and check-in. */
export const useEventStore = create<EventState>()((set, get) => ({
  ...initial,
  load: async (eventId) => {
    if (get().eventId !== eventId) {
      pendingSignupKey = null
      set({ ...initial, eventId })
    }
    if (get().status !== 'ready') set({ status: 'loading', error: null })
    try {
      const { data, keptAt } = await fetchKept(`event:${eventId}`, eventDetailResponse, () =>
        getEvent(eventId),
      )
      if (get().eventId !== eventId) return
      set({ ...data, status: 'ready', error: null, keptAt })
    } catch (e) {
      if (get().eventId !== eventId) return
      if (get().status !== 'ready') set({ status: 'error', error: errorMessage(e) })
      else toast(errorMessage(e))
    }
  },
  signUp: async (profile) => {
    const { eventId, busy } = get()
    if (eventId === null || busy) return false
    // Inside the tap, as WeChat requires; the sign-up does not wait for the answer.
    void requestSubscriptions(['waitlist_promoted', 'flowers_result'])
    const key = pendingSignupKey ?? newIdempotencyKey()
    pendingSignupKey = key
    set({ busy: 'signup', signupError: null })
    try {
      const registration = await signUp(eventId, profile, { idempotencyKey: key })
      pendingSignupKey = null
      set({ registration, busy: null })
      toast(registration.status === 'confirmed' ? '报名成功' : '已加入候补', 'success')
      void get().load(eventId)
      void useEventsStore.getState().load()
      return true
    } catch (e) {
      // A 4xx is final and created nothing: the next try is a new sign-up.
      if (e instanceof ApiError && e.status >= 400 && e.status < 500) pendingSignupKey = null
      set({ busy: null, signupError: errorMessage(e) })
      return false
    }
  },
  cancel: async () => {
    const { eventId, busy } = get()
    if (eventId === null || busy) return
    set({ busy: 'cancel' })
    try {
      const registration = await cancelSignup(eventId)
      set({ registration, busy: null })
      toast('已取消报名', 'success')
    } catch (e) {
      set({ busy: null })
      toast(errorMessage(e))
    }
    void get().load(eventId)
    void useEventsStore.getState().load()
  },
  checkIn: async (code) => {
    const { eventId, busy } = get()
    if (eventId === null || busy) return false
    set({ busy: 'checkin', checkinError: null })
    try {
      const registration = await checkIn(eventId, code)
      set({ registration, busy: null })
      toast('签到成功', 'success')
      return true
    } catch (e) {
      set({ busy: null, checkinError: errorMessage(e) })
      return false
    }
  },
}))

registerReset(useEventStore, { also: () => (pendingSignupKey = null) })
