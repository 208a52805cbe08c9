import { create } from 'zustand'
import { z } from 'zod'
import { memberBooking, type MemberBooking, type RatingBody } from '@/contract/legal'
import { errorMessage } from '@/services/http'
import { cancelBooking, listMyBookings, rateBooking } from '@/services/legal'
import { keepAs, makeLoader, upsertById, type Loadable } from '@/services/loadable'
import { registerReset } from '@/services/store-reset'

interface MyBookingsState extends Loadable {
  bookings: MemberBooking[]
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

/** 我的预约: the member's bookings with cancel and rating. */
export const useMyBookingsStore = create<MyBookingsState>()((set, get) => ({
  bookings: [],
  status: 'idle',
  error: null,
  busyId: null,
  actionError: null,
  load: makeLoader(set, get, async () => ({ bookings: await listMyBookings() }), {
    keep: keepAs('legal-bookings', z.object({ bookings: z.array(memberBooking) })),
  }),
  add: (booking) => set({ bookings: upsertById(get().bookings, booking) }),
  cancel: async (id) => {
    if (get().busyId !== null) return false
    set({ busyId: id, actionError: null })
    try {
      const booking = await cancelBooking(id)
      set({ bookings: upsertById(get().bookings, booking), busyId: null })
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
      set({ bookings: upsertById(get().bookings, booking), busyId: null })
      return true
    } catch (e) {
      set({ busyId: null, actionError: { id, message: errorMessage(e) } })
      return false
    }
  },
}))

registerReset(useMyBookingsStore)
