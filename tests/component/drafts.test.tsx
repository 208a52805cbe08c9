/* eslint-disable @typescript-eslint/no-var-requires -- a reload is modelled with jest.isolateModules, which loads the app afresh through require */
import Taro from '@tarojs/taro'
import { act } from '@testing-library/react'
import { BookingForm } from '@/features/legal/components/booking-form'
import { useBookingStore } from '@/features/legal/store'
import { usePackStore } from '@/features/cooling/pack-store'
import type { MemberBooking } from '@/contract/legal'
import {
  getCoolingPack,
  listCoolingCampaigns,
  listCoolingSites,
  saveCoolingPack,
} from '@/services/cooling'
import {
  bookConsultation,
  listLawyers,
  listLegalTopics,
  listMyBookings,
  listServicePoints,
} from '@/services/legal'
import { ApiError, OFFLINE_MESSAGE } from '@/services/http'
import { useSession } from '@/services/session'
import { aMember, mountPage, signedInAs, typeInto } from './render'
import { aBooking, aSlot, lawyers, points, topics } from './legal-fixtures'
import { aCampaign, aPack, sites } from './cooling-fixtures'

jest.mock('@/services/legal')
jest.mock('@/services/cooling')

const DESCRIPTION = '公司已经两个月没有发工资了，我想知道怎么办。'
const slot = aSlot('2099-11-27', '14:00')

/** Everything the device keeps, as one string (to look for what must not be there). */
function deviceStorage(): string {
  return Object.keys(window.localStorage)
    .map((k) => `${k}=${window.localStorage.getItem(k)}`)
    .join('\n')
}

type LegalModule = typeof import('@/features/legal/store')
type CoolingModule = typeof import('@/features/cooling/pack-store')
type LegalServices = jest.Mocked<typeof import('@/services/legal')>
type CoolingServices = jest.Mocked<typeof import('@/services/cooling')>

/**
 * The app loaded afresh (a reload, a killed app): new modules over the same device storage, with
 * no network for the catalog and slots (so only the device can have kept the form).
 */
function reloadLegal(): LegalModule {
  let fresh: LegalModule | null = null
  jest.isolateModules(() => {
    const services = require('@/services/legal') as LegalServices
    const http = require('@/services/http') as typeof import('@/services/http')
    const offline = () => Promise.reject(new http.ApiError('NETWORK', OFFLINE_MESSAGE))
    for (const f of [
      services.listLegalTopics,
      services.listServicePoints,
      services.listLawyers,
      services.listSlots,
    ]) {
      f.mockImplementation(offline)
    }
    fresh = require('@/features/legal/store') as LegalModule
  })
  if (!fresh) throw new Error('no module')
  return fresh
}

/** The cooling page's store of an app loaded afresh, its server answering as given. */
function reloadCooling(pack: ReturnType<typeof aPack> | null): CoolingModule {
  let fresh: CoolingModule | null = null
  jest.isolateModules(() => {
    const services = require('@/services/cooling') as CoolingServices
    services.listCoolingCampaigns.mockResolvedValue([aCampaign()])
    services.getCoolingPack.mockResolvedValue(pack)
    services.listCoolingSites.mockResolvedValue(sites)
    const freshTaro = (require('@tarojs/taro') as { default: typeof Taro }).default
    freshTaro.showToast = Taro.showToast
    fresh = require('@/features/cooling/pack-store') as CoolingModule
  })
  if (!fresh) throw new Error('no module')
  return fresh
}

beforeEach(() => {
  signedInAs(aMember({ name: '王建军', memberNo: 'M0004' }))
  useBookingStore.setState(useBookingStore.getInitialState(), true)
  usePackStore.setState(usePackStore.getInitialState(), true)
  jest.mocked(listLegalTopics).mockResolvedValue(topics)
  jest.mocked(listServicePoints).mockResolvedValue(points)
  jest.mocked(listLawyers).mockResolvedValue(lawyers)
  jest.mocked(listMyBookings).mockResolvedValue([])
  jest.mocked(listCoolingCampaigns).mockResolvedValue([aCampaign()])
  jest.mocked(getCoolingPack).mockResolvedValue(null)
  jest.mocked(listCoolingSites).mockResolvedValue(sites)
  jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' })
})

afterEach(() => {
  jest.restoreAllMocks()
})

/** The booking form open on a chosen topic and slot, as after step one. */
async function openForm() {
  useBookingStore.setState({
    topics,
    servicePoints: points,
    lawyers,
    status: 'ready',
    topicId: 2,
    servicePointId: 1,
    date: '2099-11-27',
    slotId: slot.id,
    slots: [slot],
    slotsStatus: 'ready',
  })
  const page = await mountPage(<BookingForm />)
  await act(async () => {
    typeInto(page.container, '.legal-phone', '13912345678')
    typeInto(page.container, '.legal-description', DESCRIPTION)
  })
  return page
}

/** 确认预约 as the store does it (the modal is the page's), inside React's act. */
async function submitForm(): Promise<MemberBooking | null> {
  const result: { booking: MemberBooking | null } = { booking: null }
  await act(async () => {
    result.booking = await useBookingStore.getState().submit()
  })
  return result.booking
}

describe('the legal booking form', () => {
  test('what was typed and chosen survives a reload, even without a network', async () => {
    await openForm()
    expect(useBookingStore.getState().description).toBe(DESCRIPTION)

    const fresh = reloadLegal()
    expect(fresh.useBookingStore.getState().description).toBe('')
    await act(async () => fresh.useBookingStore.getState().load())
    const state = fresh.useBookingStore.getState()
    expect(state).toMatchObject({
      topicId: 2,
      servicePointId: 1,
      slotId: slot.id,
      phone: '13912345678',
      description: DESCRIPTION,
    })
    expect(fresh.chosenSlot(state)?.startsAt).toBe(slot.startsAt)
  })

  test('a booking without an answer keeps its key across a reload', async () => {
    jest.mocked(bookConsultation).mockRejectedValue(new ApiError('NETWORK', OFFLINE_MESSAGE))
    await openForm()
    expect(await submitForm()).toBeNull()
    const key = useBookingStore.getState().key
    expect(key).toBeTruthy()
    expect(useBookingStore.getState().description).toBe(DESCRIPTION)

    const fresh = reloadLegal()
    await act(async () => fresh.useBookingStore.getState().load())
    expect(fresh.useBookingStore.getState().key).toBe(key)
  })

  test('the description is wiped from the device once the booking is made', async () => {
    jest.mocked(bookConsultation).mockResolvedValue(aBooking({ description: DESCRIPTION }))
    await openForm()
    expect(deviceStorage()).toContain(DESCRIPTION)

    const booking = await submitForm()
    expect(booking?.id).toBe(5)
    expect(deviceStorage()).not.toContain(DESCRIPTION)

    const fresh = reloadLegal()
    await act(async () => fresh.useBookingStore.getState().load())
    expect(fresh.useBookingStore.getState()).toMatchObject({
      description: '',
      topicId: null,
      slotId: null,
      key: null,
      // The member's own contact number is still offered for the next booking.
      phone: '13912345678',
    })
  })

  test('the description is wiped from the device on sign-out', async () => {
    await openForm()
    expect(deviceStorage()).toContain(DESCRIPTION)
    expect(deviceStorage()).toContain('13912345678')

    act(() => useSession.getState().signOut())
    expect(deviceStorage()).not.toContain(DESCRIPTION)
    expect(deviceStorage()).not.toContain('13912345678')

    // Signed in again (same member): nothing comes back.
    act(() =>
      useSession.getState().signIn({ token: 't-2', member: aMember({ memberNo: 'M0004' }) }),
    )
    const fresh = reloadLegal()
    await act(async () => fresh.useBookingStore.getState().load())
    expect(fresh.useBookingStore.getState().description).toBe('')
  })

  test('another member on the same device never gets the form', async () => {
    await openForm()
    act(() =>
      useSession.getState().signIn({ token: 't-9', member: aMember({ id: 9, memberNo: 'M0009' }) }),
    )
    const fresh = reloadLegal()
    await act(async () => fresh.useBookingStore.getState().load())
    expect(fresh.useBookingStore.getState()).toMatchObject({ description: '', phone: '' })
  })
})

describe('the cooling pack', () => {
  test('an unsaved choice survives a reload and says so; a submitted one is not kept', async () => {
    await act(async () => usePackStore.getState().load(7))
    expect(usePackStore.getState().status).toBe('ready')
    act(() => {
      usePackStore.getState().step(1, 1)
      usePackStore.getState().step(4, 1)
    })
    expect(usePackStore.getState().quantities).toMatchObject({ 1: 1, 4: 1 })

    const fresh = reloadCooling(null)
    await act(async () => fresh.usePackStore.getState().load(7))
    expect(fresh.usePackStore.getState().quantities).toMatchObject({ 1: 1, 4: 1 })
    expect(fresh.usePackStore.getState().notice).toContain('已恢复')

    // Submitted: the server has it, the device keeps no draft of it.
    const saved = aPack({
      items: [
        { itemId: 1, name: '喷雾运动水壶', quantity: 1 },
        { itemId: 4, name: '风油精', quantity: 1 },
      ],
    } as Partial<ReturnType<typeof aPack>>)
    jest.mocked(saveCoolingPack).mockResolvedValue(saved)
    expect(await usePackStore.getState().submit()).toBe(true)

    const after = reloadCooling(saved)
    await act(async () => after.usePackStore.getState().load(7))
    expect(after.usePackStore.getState().notice).toBeNull()
    expect(after.usePackStore.getState().quantities).toEqual({ 1: 1, 4: 1 })
  })

  test('offline, the campaign page shows what it last loaded with the time', async () => {
    await act(async () => usePackStore.getState().load(7))
    let offline: CoolingModule | null = null
    jest.isolateModules(() => {
      const s = require('@/services/cooling') as CoolingServices
      // The fresh modules' own error class (the app's checks use instanceof).
      const http = require('@/services/http') as typeof import('@/services/http')
      const down = () => Promise.reject(new http.ApiError('NETWORK', OFFLINE_MESSAGE))
      s.listCoolingCampaigns.mockImplementation(down)
      s.getCoolingPack.mockImplementation(down)
      s.listCoolingSites.mockImplementation(down)
      offline = require('@/features/cooling/pack-store') as CoolingModule
    })
    if (!offline) throw new Error('no module')
    const store = (offline as CoolingModule).usePackStore
    await act(async () => store.getState().load(7))
    expect(store.getState()).toMatchObject({ status: 'ready', error: null })
    expect(store.getState().campaign?.id).toBe(7)
    expect(store.getState().keptAt).toEqual(expect.any(Number))
  })
})
