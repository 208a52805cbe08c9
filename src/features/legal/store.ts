import Taro from '@tarojs/taro'
import { create } from 'zustand'
import { z } from 'zod'
import {
  createBookingBody,
  lawyer,
  legalSlot,
  legalTopic,
  servicePoint,
  type Lawyer,
  type LegalSlot,
  type LegalTopic,
  type MemberBooking,
  type ServicePoint,
} from '@/contract/legal'
import { ApiError, errorMessage, newIdempotencyKey } from '@/services/http'
import { requestSubscriptions } from '@/services/notifications'
import {
  bookConsultation,
  listLawyers,
  listLegalTopics,
  listServicePoints,
  listSlots,
} from '@/services/legal'
import { dropDraft, readDraft, saveDraft } from '@/services/device-keep'
import { keepAs, makeLoader, type LoadOptions, type LoadStatus } from '@/services/loadable'
import { registerReset } from '@/services/store-reset'
import { validate, type FieldErrors } from '@/services/validation'
import { dayStrip, hasFreeSlot } from '@/features/legal/rules'

/**
 * Days offered in the strip, today included: one slots query of the chosen service point, within
 * the contract's `slotRangeDays` (62 days with a service point, 14 even without one).
 */
export const BOOKING_DAYS = 14

interface BookingState {
  topics: LegalTopic[]
  servicePoints: ServicePoint[]
  lawyers: Lawyer[]
  status: LoadStatus
  error: string | null
  topicId: number | null
  servicePointId: number | null
  /** A chosen lawyer, or null for 不限. */
  lawyerId: number | null
  /** `YYYY-MM-DD` of the day shown in the strip. */
  date: string | null
  slotId: string | null
  /** Slots of the chosen service point over the strip's days. */
  slots: LegalSlot[]
  slotsStatus: LoadStatus
  slotsError: string | null
  phone: string
  description: string
  fieldErrors: FieldErrors
  submitting: boolean
  /** Why the last booking failed, in Chinese. */
  submitError: string | null
  /**
   * The Idempotency-Key of this booking: kept for a retry after a network error (the booking may
   * exist), renewed after a final refusal or when the slot changes.
   */
  key: string | null
  /** Set when the catalog shown is the device's copy (no network): when it was loaded. */
  keptAt?: number | null
  /**
   * Loads topics, service points and lawyers (once per session); first puts back the form the
   * member left unfinished on this device (a reload, a killed app).
   */
  load: () => Promise<void>
  chooseTopic: (topicId: number) => void
  choosePoint: (servicePointId: number) => void
  chooseLawyer: (lawyerId: number | null) => void
  chooseDate: (date: string) => void
  chooseSlot: (slotId: string) => void
  /** Loads the slots of the chosen service point for the strip's days. */
  loadSlots: () => Promise<void>
  setField: (field: 'phone' | 'description', value: string) => void
  /** Checks the choice and the form with the contract's rules; shows the messages by the fields. */
  check: () => boolean
  /** Checks the form and books; the booking on success, null otherwise (the state says why). */
  submit: () => Promise<MemberBooking | null>
  /** Starts over after a booking (keeps the catalog and the phone number). */
  reset: () => void
}

const choiceInitial = {
  topicId: null,
  servicePointId: null,
  lawyerId: null,
  date: null,
  slotId: null,
  slots: [],
  slotsStatus: 'idle' as LoadStatus,
  slotsError: null,
  description: '',
  fieldErrors: {},
  submitting: false,
  submitError: null,
  key: null,
}

const initial = {
  ...choiceInitial,
  topics: [],
  servicePoints: [],
  lawyers: [],
  status: 'idle' as LoadStatus,
  error: null,
  phone: '',
}

/** The chosen slot, if it is still among the loaded ones. */
export function chosenSlot(state: Pick<BookingState, 'slots' | 'slotId'>): LegalSlot | null {
  return state.slots.find((s) => s.id === state.slotId) ?? null
}

let slotsRequest = 0

/**
 * The unfinished booking kept on the device (never sent anywhere): the choice with its slot (so
 * the form shows it without a network), the phone, the description and the key of an attempt that
 * got no answer. Wiped on sign-out and once the booking is made.
 */
const DRAFT = 'legal-booking'
const bookingDraft = z.object({
  topicId: z.number().nullable(),
  servicePointId: z.number().nullable(),
  lawyerId: z.number().nullable(),
  date: z.string().nullable(),
  slotId: z.string().nullable(),
  slot: legalSlot.nullable(),
  phone: z.string(),
  description: z.string(),
  key: z.string().nullable(),
})
type BookingDraft = z.infer<typeof bookingDraft>

function draftOf(s: BookingState): BookingDraft | null {
  const draft = {
    topicId: s.topicId,
    servicePointId: s.servicePointId,
    lawyerId: s.lawyerId,
    date: s.date,
    slotId: s.slotId,
    slot: chosenSlot(s),
    phone: s.phone,
    description: s.description,
    key: s.key,
  }
  const empty =
    draft.topicId === null && draft.servicePointId === null && !draft.phone && !draft.description
  return empty ? null : draft
}

/** The kept draft as state, when the store holds no choice of its own yet. */
function resumeDraft(s: BookingState): Partial<BookingState> | null {
  if (s.topicId !== null || s.servicePointId !== null || s.description || s.phone) return null
  const draft = readDraft(DRAFT, bookingDraft)
  if (!draft) return null
  const { slot, ...rest } = draft
  // The kept slot stands in until the slots load (which keep it only if it is still free).
  return { ...rest, slots: slot ? [slot] : [], slotsStatus: 'idle' }
}

/** 法律咨询预约: topic, place, lawyer, day and slot, then the form and the booking itself. */
export const useBookingStore = create<BookingState>()((set, get) => ({
  ...initial,
  load: () => {
    const resumed = resumeDraft(get())
    if (resumed) set(resumed)
    return loadCatalog({ maxAgeMs: Infinity })
  },
  chooseTopic: (topicId) => set({ topicId, fieldErrors: { ...get().fieldErrors, topicId: '' } }),
  choosePoint: (servicePointId) => {
    if (servicePointId === get().servicePointId) return
    set({ servicePointId, lawyerId: null, date: null, slotId: null, slots: [], key: null })
    void get().loadSlots()
  },
  chooseLawyer: (lawyerId) => {
    const slot = chosenSlot(get())
    const keep = slot && (lawyerId === null || slot.lawyerId === lawyerId)
    set({ lawyerId, slotId: keep ? slot.id : null })
  },
  chooseDate: (date) => set({ date }),
  chooseSlot: (slotId) => {
    const slot = get().slots.find((s) => s.id === slotId)
    if (!slot || !slot.available) return
    if (slotId !== get().slotId) set({ slotId, key: null, submitError: null })
  },
  loadSlots: async () => {
    const { servicePointId } = get()
    if (servicePointId === null) return
    const request = ++slotsRequest
    set({ slotsStatus: 'loading', slotsError: null })
    const days = dayStrip(Date.now(), BOOKING_DAYS)
    try {
      const slots = await listSlots({
        from: days[0].date,
        to: days[days.length - 1].date,
        servicePointId,
      })
      if (request !== slotsRequest) return
      const { date, slotId } = get()
      const now = Date.now()
      // Open on the first day with a free slot, unless the member already chose a day.
      const firstFree = days.find((d) => hasFreeSlot(slots, d.date, now))?.date ?? days[0].date
      const stillFree = slots.some((s) => s.id === slotId && s.available)
      set({
        slots,
        slotsStatus: 'ready',
        date: date ?? firstFree,
        slotId: stillFree ? slotId : null,
      })
    } catch (e) {
      if (request === slotsRequest) set({ slotsStatus: 'error', slotsError: errorMessage(e) })
    }
  },
  setField: (field, value) => {
    const fieldErrors = { ...get().fieldErrors }
    delete fieldErrors[field]
    set({ [field]: value, fieldErrors, submitError: null } as Partial<BookingState>)
  },
  check: () => {
    const { topicId, slotId, phone, description } = get()
    const checked = validate(createBookingBody, {
      slotId: slotId ?? '',
      topicId: topicId ?? 0,
      phone,
      description,
    })
    const errors: FieldErrors = checked.ok ? {} : { ...checked.errors }
    if (topicId === null) errors.topicId = '请选择咨询问题'
    if (slotId === null) errors.slotId = '请选择预约时间'
    set({ fieldErrors: errors })
    return Object.keys(errors).length === 0
  },
  submit: async () => {
    if (get().submitting || !get().check()) return null
    const { topicId, slotId, phone, description } = get()
    const body = createBookingBody.parse({ slotId, topicId, phone, description })
    void requestSubscriptions(['legal_reminder'])
    const key = get().key ?? newIdempotencyKey()
    set({ submitting: true, key, fieldErrors: {}, submitError: null })
    try {
      const booking = await bookConsultation(body, { idempotencyKey: key })
      set({ ...choiceInitial })
      // Booked: the description is the lawyer's to read now, not the device's to keep.
      dropDraft(DRAFT)
      saveDraft(DRAFT, draftOf(get()))
      return booking
    } catch (e) {
      const message = errorMessage(e)
      // A 4xx answer is final and booked nothing: the next try is a new booking. Without an
      // answer (or on a 5xx) the booking may exist, so a retry keeps the key.
      const final = e instanceof ApiError && e.status >= 400 && e.status < 500
      set({ submitting: false, submitError: message, key: final ? null : key })
      // The slot is gone (taken, past, too soon to be cancellable, or the schedule changed):
      // choose again from fresh slots.
      const gone = ['SLOT_TAKEN', 'SLOT_IN_PAST', 'SLOT_TOO_SOON', 'UNKNOWN_SLOT'] as const
      if (e instanceof ApiError && (gone as readonly string[]).includes(e.code)) {
        set({
          slotId: null,
          // The too-soon message already says to choose a later time.
          submitError:
            e.code === 'SLOT_TOO_SOON'
              ? message
              : `${message.replace(/[。.！!]$/, '')}，请重新选择一个时段`,
        })
        const title =
          e.code === 'SLOT_TAKEN'
            ? '这个时段刚被预约了'
            : e.code === 'SLOT_IN_PAST'
              ? '这个时段已经过去了'
              : e.code === 'SLOT_TOO_SOON'
                ? '这个时段快开始了'
                : '这个时段已调整'
        Taro.showToast({ title, icon: 'none', duration: 2500 }).catch(() => undefined)
        void get().loadSlots()
      }
      return null
    }
  },
  reset: () => set({ ...choiceInitial }),
}))

/** Topics, service points and lawyers: asked once per member. */
const loadCatalog: (options?: LoadOptions) => Promise<void> = makeLoader<BookingState>(
  useBookingStore.setState,
  useBookingStore.getState,
  async () => {
    const [topics, servicePoints, lawyers] = await Promise.all([
      listLegalTopics(),
      listServicePoints(),
      listLawyers(),
    ])
    return { topics, servicePoints, lawyers }
  },
  {
    keep: keepAs(
      'legal-catalog',
      z.object({
        topics: z.array(legalTopic),
        servicePoints: z.array(servicePoint),
        lawyers: z.array(lawyer),
      }),
    ),
  },
)

// Every change of the form is kept on the device at once, so nothing typed is lost.
useBookingStore.subscribe((state, previous) => {
  const fields = [
    'topicId',
    'servicePointId',
    'lawyerId',
    'date',
    'slotId',
    'slots',
    'phone',
    'description',
    'key',
  ] as const
  if (fields.some((f) => !Object.is(state[f], previous[f]))) saveDraft(DRAFT, draftOf(state))
})

// A slots answer still on its way belongs to the previous member: drop it.
registerReset(useBookingStore, { also: () => void ++slotsRequest })
