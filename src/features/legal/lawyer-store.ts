import { create } from 'zustand'
import type { LawyerBooking, OutcomeBody } from '@/contract/legal'
import { errorMessage } from '@/services/http'
import { listLawyerDay, recordOutcome, saveLawyerNotes } from '@/services/legal'
import { makeLoader, type Loadable } from '@/services/loadable'
import { registerReset } from '@/services/store-reset'
import { toDateInput } from '@/services/time'

interface LawyerDayState extends Loadable {
  /** `YYYY-MM-DD` of the day shown. */
  date: string
  bookings: LawyerBooking[]
  busyId: number | null
  actionError: { id: number; message: string } | null
  /** Shows another day (and loads it). */
  setDate: (date: string) => Promise<void>
  load: () => Promise<void>
  /** Records the outcome (completed / no-show) with private notes, or saves edited notes. */
  record: (id: number, body: OutcomeBody) => Promise<boolean>
  /** Saves the private notes alone, any time after the start (before or after the outcome). */
  saveNotes: (id: number, notes: string) => Promise<boolean>
}

/** 律师工作台: the lawyer's bookings of one day. */
export const useLawyerDayStore = create<LawyerDayState>()((set, get) => ({
  date: toDateInput(new Date()),
  bookings: [],
  status: 'idle',
  error: null,
  busyId: null,
  actionError: null,
  setDate: async (date) => {
    if (date === get().date && get().status === 'ready') return
    set({ date, bookings: [], status: 'idle', actionError: null })
    await get().load()
  },
  load: makeLoader(
    set,
    get,
    async () => {
      const { bookings } = await listLawyerDay(get().date)
      const sorted = [...bookings].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt))
      return { bookings: sorted }
    },
    { key: (s) => s.date },
  ),
  record: async (id, body) => {
    if (get().busyId !== null) return false
    set({ busyId: id, actionError: null })
    try {
      const booking = await recordOutcome(id, body)
      set({ bookings: get().bookings.map((b) => (b.id === id ? booking : b)), busyId: null })
      return true
    } catch (e) {
      set({ busyId: null, actionError: { id, message: errorMessage(e) } })
      return false
    }
  },
  saveNotes: async (id, notes) => {
    if (get().busyId !== null) return false
    set({ busyId: id, actionError: null })
    try {
      const booking = await saveLawyerNotes(id, notes.trim())
      set({ bookings: get().bookings.map((b) => (b.id === id ? booking : b)), busyId: null })
      return true
    } catch (e) {
      set({ busyId: null, actionError: { id, message: errorMessage(e) } })
      return false
    }
  },
}))

registerReset(useLawyerDayStore, { initial: () => ({ date: toDateInput(new Date()) }) })
