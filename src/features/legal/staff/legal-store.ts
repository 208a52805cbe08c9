import { create } from 'zustand'
import type {
  AvailabilityRule,
  Closure,
  Lawyer,
  ServicePoint,
  StaffBooking,
} from '@/contract/legal'
import {
  listAvailability,
  listClosures,
  listStaffBookings,
  listStaffLawyers,
  listStaffServicePoints,
} from '@/services/legal'
import { makeLoader, type Loadable } from '@/services/loadable'
import { registerReset } from '@/services/store-reset'

interface StaffLegalState extends Loadable {
  lawyers: Lawyer[]
  servicePoints: ServicePoint[]
  rules: AvailabilityRule[]
  closures: Closure[]
  /** Loads lawyers, service points, rules and closures together. */
  load: () => Promise<void>
  addLawyer: (lawyer: Lawyer) => void
  addServicePoint: (point: ServicePoint) => void
  addRule: (rule: AvailabilityRule) => void
  addClosure: (closure: Closure) => void
  /** Puts an edited (or retired) lawyer in place of the old one. */
  replaceLawyer: (lawyer: Lawyer) => void
  replaceServicePoint: (point: ServicePoint) => void
  replaceRule: (rule: AvailabilityRule) => void
  /** Puts an edited closure in place; a lifted one (`retiredAt`) leaves the list. */
  replaceClosure: (closure: Closure) => void
}

/** 法律服务 (staff): lawyers, service points, weekly availability and closure days. */
export const useStaffLegalStore = create<StaffLegalState>()((set, get) => ({
  lawyers: [],
  servicePoints: [],
  rules: [],
  closures: [],
  status: 'idle',
  error: null,
  load: makeLoader(set, get, async () => {
    const [lawyers, servicePoints, rules, closures] = await Promise.all([
      listStaffLawyers(),
      listStaffServicePoints(),
      listAvailability(),
      listClosures(),
    ])
    return { lawyers, servicePoints, rules, closures }
  }),
  addLawyer: (lawyer) => set({ lawyers: [...get().lawyers, lawyer] }),
  addServicePoint: (point) => set({ servicePoints: [...get().servicePoints, point] }),
  addRule: (rule) => set({ rules: [...get().rules, rule] }),
  addClosure: (closure) =>
    set({
      closures: [...get().closures.filter((c) => c.id !== closure.id), closure].sort((a, b) =>
        a.date.localeCompare(b.date),
      ),
    }),
  replaceLawyer: (lawyer) =>
    set({ lawyers: get().lawyers.map((l) => (l.id === lawyer.id ? lawyer : l)) }),
  replaceServicePoint: (point) =>
    set({ servicePoints: get().servicePoints.map((p) => (p.id === point.id ? point : p)) }),
  replaceRule: (rule) => set({ rules: get().rules.map((r) => (r.id === rule.id ? rule : r)) }),
  replaceClosure: (closure) =>
    set({
      closures: get()
        .closures.filter((c) => c.id !== closure.id)
        .concat(closure.retiredAt ? [] : [closure])
        .sort((a, b) => a.date.localeCompare(b.date)),
    }),
}))

interface StaffBookingsState extends Loadable {
  /** `YYYY-MM-DD`, or '' for all upcoming and recent bookings the server returns. */
  date: string
  bookings: StaffBooking[]
  total: number
  /** Loads the bookings of `date` (another day clears the list first), or again of the day shown. */
  load: (date?: string) => Promise<void>
}

/** Bookings at the staff member's service points — never with descriptions or notes. */
export const useStaffBookingsStore = create<StaffBookingsState>()((set, get) => {
  const loadDay = makeLoader(
    set,
    get,
    async () => await listStaffBookings(get().date || undefined),
    { key: (s) => s.date },
  )
  return {
    date: '',
    bookings: [],
    total: 0,
    status: 'idle',
    error: null,
    load: (date) => {
      if (date !== undefined && date !== get().date) {
        set({ date, bookings: [], total: 0, status: 'idle', error: null })
      }
      return loadDay()
    },
  }
})

registerReset(useStaffLegalStore)
registerReset(useStaffBookingsStore)
