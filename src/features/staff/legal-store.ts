import { create } from 'zustand'
import type {
  AvailabilityRule,
  Closure,
  Lawyer,
  ServicePoint,
  StaffBooking,
} from '@/contract/legal'
import { errorMessage } from '@/services/http'
import {
  listAvailability,
  listClosures,
  listStaffBookings,
  listStaffLawyers,
  listStaffServicePoints,
} from '@/services/legal'
import { useSession } from '@/services/session'

type Status = 'idle' | 'loading' | 'ready' | 'error'

interface StaffLegalState {
  lawyers: Lawyer[]
  servicePoints: ServicePoint[]
  rules: AvailabilityRule[]
  closures: Closure[]
  status: Status
  error: string | null
  /** Loads lawyers, service points, rules and closures together. */
  load: () => Promise<void>
  addLawyer: (lawyer: Lawyer) => void
  addServicePoint: (point: ServicePoint) => void
  addRule: (rule: AvailabilityRule) => void
  addClosure: (closure: Closure) => void
}

const empty = {
  lawyers: [],
  servicePoints: [],
  rules: [],
  closures: [],
  status: 'idle' as Status,
  error: null,
}

/** 法律服务 (staff): lawyers, service points, weekly availability and closure days. */
export const useStaffLegalStore = create<StaffLegalState>()((set, get) => ({
  ...empty,
  load: async () => {
    if (get().status !== 'ready') set({ status: 'loading', error: null })
    try {
      const [lawyers, servicePoints, rules, closures] = await Promise.all([
        listStaffLawyers(),
        listStaffServicePoints(),
        listAvailability(),
        listClosures(),
      ])
      set({ lawyers, servicePoints, rules, closures, status: 'ready', error: null })
    } catch (e) {
      if (get().status !== 'ready') set({ status: 'error', error: errorMessage(e) })
    }
  },
  addLawyer: (lawyer) => set({ lawyers: [...get().lawyers, lawyer] }),
  addServicePoint: (point) => set({ servicePoints: [...get().servicePoints, point] }),
  addRule: (rule) => set({ rules: [...get().rules, rule] }),
  addClosure: (closure) =>
    set({ closures: [...get().closures, closure].sort((a, b) => a.date.localeCompare(b.date)) }),
}))

interface StaffBookingsState {
  /** `YYYY-MM-DD`, or '' for all upcoming and recent bookings the server returns. */
  date: string
  bookings: StaffBooking[]
  total: number
  status: Status
  error: string | null
  load: (date?: string) => Promise<void>
}

/** Bookings at the staff member's service points — never with descriptions or notes. */
export const useStaffBookingsStore = create<StaffBookingsState>()((set, get) => ({
  date: '',
  bookings: [],
  total: 0,
  status: 'idle',
  error: null,
  load: async (date) => {
    const day = date ?? get().date
    set({ date: day, status: 'loading', error: null })
    try {
      const { bookings, total } = await listStaffBookings(day || undefined)
      if (get().date !== day) return
      set({ bookings, total, status: 'ready' })
    } catch (e) {
      if (get().date === day) set({ status: 'error', error: errorMessage(e) })
    }
  },
}))

useSession.subscribe((state, previous) => {
  if (state.session?.token !== previous.session?.token) {
    useStaffLegalStore.setState({ ...empty })
    useStaffBookingsStore.setState({ date: '', bookings: [], total: 0, status: 'idle' })
  }
})
