import { create } from 'zustand'
import type { MemberBooking, RatingBody } from '@/contract/legal'
import { errorMessage } from '@/services/http'
import { cancelBooking, listMyBookings, rateBooking } from '@/services/legal'
import { useSession } from '@/services/session'

interface MyBookingsState {
  bookings: MemberBooking[]
  status: 'idle' | 'loading' | 'ready' | 'error'
  error: string | null
  /** The booking whose cancel or rating is being sent. */
  busyId: number | null
  /** What the server said about the last cancel or rating, per booking. */
  actionError: { id: number; message: string } | null
  load: () => Promise<void>
  /** Puts a booking the member just made at the top (the booking page shows it at once). */
  add: (booking: MemberBooking) => void
  cancel: (id: number) => Promise<boolean>
  rate: (id: number, body: RatingBody) => Promise<boolean>
}

function replace(list: MemberBooking[], booking: MemberBooking): MemberBooking[] {
  return list.some((b) => b.id === booking.id)
    ? list.map((b) => (b.id === booking.id ? booking : b))
    : [booking, ...list]
}

/** 我的预约: the member's bookings with cancel and rating. */
export const useMyBookingsStore = create<MyBookingsState>()((set, get) => ({
  bookings: [],
  status: 'idle',
  error: null,
  busyId: null,
  actionError: null,
  load: async () => {
    if (get().status !== 'ready') set({ status: 'loading', error: null })
    try {
      const bookings = await listMyBookings()
      set({ bookings, status: 'ready', error: null })
    } catch (e) {
      if (get().status !== 'ready') set({ status: 'error', error: errorMessage(e) })
    }
  },
  add: (booking) => set({ bookings: replace(get().bookings, booking) }),
  cancel: async (id) => {
    if (get().busyId !== null) return false
    set({ busyId: id, actionError: null })
    try {
      const booking = await cancelBooking(id)
      set({ bookings: replace(get().bookings, booking), busyId: null })
      return true
    } catch (e) {
      set({ busyId: null, actionError: { id, message: errorMessage(e) } })
      void get().load()
      return false
    }
  },
  rate: async (id, body) => {
    if (get().busyId !== null) return false
    set({ busyId: id, actionError: null })
    try {
      const booking = await rateBooking(id, body)
      set({ bookings: replace(get().bookings, booking), busyId: null })
      return true
    } catch (e) {
      set({ busyId: null, actionError: { id, message: errorMessage(e) } })
      return false
    }
  },
}))

useSession.subscribe((state, previous) => {
  if (state.session?.token !== previous.session?.token) {
    useMyBookingsStore.setState({ bookings: [], status: 'idle', error: null, actionError: null })
  }
})
