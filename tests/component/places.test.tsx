import Taro from '@tarojs/taro'
import { act, fireEvent, screen, waitFor } from '@testing-library/react'
import { BookingView } from '@/features/legal/components/booking-view'
import { useMyBookingsStore } from '@/features/legal/bookings-store'
import { useBookingStore } from '@/features/legal/store'
import { useStaffLegalStore } from '@/features/legal/staff/legal-store'
import { LegalPointsAdmin } from '@/features/legal/staff/points-admin'
import { EventView } from '@/features/events/components/event-view'
import { EventForm } from '@/features/events/staff/event-form'
import { useEventStore } from '@/features/events/event-store'
import { useUnionsStore } from '@/components/form/unions-store'
import { createEvent, getEvent, listEvents } from '@/services/events'
import {
  createServicePoint,
  listAvailability,
  listClosures,
  listLawyers,
  listLegalTopics,
  listMyBookings,
  listServicePoints,
  listStaffLawyers,
  listStaffServicePoints,
} from '@/services/legal'
import { listUnions } from '@/services/org'
import { aMember, mountPage, signedInAs, tap, typeInto } from './render'
import { aBooking, lawyers, NOW, points, topics } from './legal-fixtures'
import { aStaffEvent, anEvent } from './events-fixtures'

jest.mock('@/services/legal')
jest.mock('@/services/events')
jest.mock('@/services/org')

const WANDA = points[0]!
let windowOpen: jest.SpyInstance
let makePhoneCall: jest.SpyInstance
let clipboard: jest.SpyInstance

beforeEach(() => {
  jest.useFakeTimers({ doNotFake: ['requestAnimationFrame', 'queueMicrotask', 'nextTick'] })
  jest.setSystemTime(NOW)
  signedInAs(aMember({ name: '王建军', memberNo: 'M0004' }))
  useMyBookingsStore.setState(useMyBookingsStore.getInitialState())
  useBookingStore.setState(useBookingStore.getInitialState())
  useEventStore.setState(useEventStore.getInitialState())
  jest.mocked(listLegalTopics).mockResolvedValue(topics)
  jest.mocked(listServicePoints).mockResolvedValue(points)
  jest.mocked(listLawyers).mockResolvedValue(lawyers)
  jest.mocked(listEvents).mockResolvedValue([])
  makePhoneCall = jest.spyOn(Taro, 'makePhoneCall').mockResolvedValue({ errMsg: 'ok' })
  clipboard = jest.spyOn(Taro, 'setClipboardData').mockResolvedValue({ errMsg: 'ok' } as never)
  windowOpen = jest.spyOn(window, 'open').mockReturnValue({} as Window)
  jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'ok' })
})

afterEach(() => {
  jest.useRealTimers()
  jest.restoreAllMocks()
})

describe('the booking page of a workstation', () => {
  test('calls its desk (tel: on H5 through makePhoneCall) and opens its place on a web map', async () => {
    jest.mocked(listMyBookings).mockResolvedValue([aBooking({ id: 5 })])
    const { container } = await mountPage(<BookingView bookingId={5} />)
    await screen.findByText('拨打电话 010-68881234')
    await tap(container, '.place-call')
    expect(makePhoneCall).toHaveBeenCalledWith({ phoneNumber: '01068881234' })

    await tap(container, '.place-map')
    expect(windowOpen).toHaveBeenCalledTimes(1)
    const [url, target] = windowOpen.mock.calls[0] as [string, string]
    expect(target).toBe('_blank')
    const parsed = new URL(url)
    expect(parsed.host).toBe('uri.amap.com')
    // 高德 takes longitude first.
    expect(parsed.searchParams.get('position')).toBe(
      `${WANDA.location!.longitude},${WANDA.location!.latitude}`,
    )
    expect(parsed.searchParams.get('name')).toBe(WANDA.name)
    expect(parsed.searchParams.get('coordinate')).toBe('gaode')
    expect(clipboard).not.toHaveBeenCalled()
  })

  test('a browser that blocks the new tab gets the address copied instead', async () => {
    windowOpen.mockReturnValue(null)
    jest.mocked(listMyBookings).mockResolvedValue([aBooking({ id: 5 })])
    const { container } = await mountPage(<BookingView bookingId={5} />)
    await screen.findByText('查看地图')
    await tap(container, '.place-map')
    expect(clipboard).toHaveBeenCalledWith({ data: WANDA.address })
  })

  test('an online consultation without a phone or place shows neither button', async () => {
    jest
      .mocked(listMyBookings)
      .mockResolvedValue([
        aBooking({ id: 6, servicePointId: 3, servicePointName: '线上法律咨询（电话）' }),
      ])
    const { container } = await mountPage(<BookingView bookingId={6} />)
    await screen.findByText('线上法律咨询（电话）', { exact: false })
    expect(container.querySelector('.place-actions')).toBeNull()
  })
})

describe('the mixer page', () => {
  test('offers 查看地图 for a venue on the map, with the venue as its name', async () => {
    const venueLocation = { latitude: 39.8855, longitude: 116.7193, address: '大运河森林公园' }
    jest
      .mocked(getEvent)
      .mockResolvedValue({ event: anEvent({ venueLocation }) } as Awaited<
        ReturnType<typeof getEvent>
      >)
    const { container } = await mountPage(<EventView eventId={7} />)
    await screen.findByText('查看地图')
    // No phone for a venue.
    expect(container.querySelector('.place-call')).toBeNull()
    await tap(container, '.place-map')
    const url = new URL(windowOpen.mock.calls[0]![0] as string)
    expect(url.searchParams.get('position')).toBe('116.7193,39.8855')
    expect(url.searchParams.get('name')).toBe('城市绿心森林公园')
  })

  test('shows no map button when the organiser set no place', async () => {
    jest
      .mocked(getEvent)
      .mockResolvedValue({ event: anEvent() } as Awaited<ReturnType<typeof getEvent>>)
    const { container } = await mountPage(<EventView eventId={7} />)
    await screen.findByText('城市绿心森林公园')
    expect(container.querySelector('.place-map')).toBeNull()
  })
})

test('in the mini-program 查看地图 opens WeChat’s own map with name and address', () => {
  const env = process.env.TARO_ENV
  process.env.TARO_ENV = 'weapp'
  const openLocation = jest.fn(async (_o: Taro.openLocation.Option) => ({ errMsg: 'ok' }))
  try {
    // A fresh device module (IS_WEAPP is read once, at load) with its own Taro.
    jest.isolateModules(() => {
      /* eslint-disable @typescript-eslint/no-var-requires */
      const taro = require('@tarojs/taro') as { default: Record<string, unknown> }
      Object.assign(taro.default, { openLocation })
      const device = require('@/services/device') as typeof import('@/services/device')
      /* eslint-enable @typescript-eslint/no-var-requires */
      device.openMap({ latitude: 39.906, longitude: 116.2178, name: '万达工作站', address: null })
    })
  } finally {
    process.env.TARO_ENV = env
  }
  expect(openLocation).toHaveBeenCalledWith({
    latitude: 39.906,
    longitude: 116.2178,
    name: '万达工作站',
    address: '',
    scale: 17,
  })
  expect(windowOpen).not.toHaveBeenCalled()
})

describe('the staff service-point form', () => {
  const staff = aMember({ roles: ['member', 'staff'], staffUnionId: 2 })
  const created = { ...WANDA, id: 9, name: '石景山 鲁谷 工会驿站' }

  beforeEach(() => {
    jest.useRealTimers()
    signedInAs(staff)
    useStaffLegalStore.setState(useStaffLegalStore.getInitialState())
    useUnionsStore.setState({ unions: [], status: 'idle', error: null })
    jest.mocked(listUnions).mockResolvedValue([
      { id: 1, name: '北京市总工会', parentId: null },
      { id: 2, name: '石景山区总工会', parentId: 1 },
    ])
    jest.mocked(listStaffLawyers).mockResolvedValue(lawyers)
    jest.mocked(listStaffServicePoints).mockResolvedValue(points)
    jest.mocked(listAvailability).mockResolvedValue([])
    jest.mocked(listClosures).mockResolvedValue([])
    jest.mocked(createServicePoint).mockReset().mockResolvedValue(created)
  })

  test('lists each point’s phone and whether it is on the map', async () => {
    const { container } = await mountPage(<LegalPointsAdmin member={staff} />)
    await screen.findByText('电话 010-68881234')
    const maps = Array.from(container.querySelectorAll('.legal-point-map')).map(
      (n) => n.textContent,
    )
    expect(maps).toEqual([`地图位置 ${WANDA.location!.latitude}, ${WANDA.location!.longitude}`])
  })

  test('checks the coordinates in Chinese before anything is sent', async () => {
    const { container } = await mountPage(<LegalPointsAdmin member={staff} />)
    await screen.findByText('添加服务点', { selector: '.section-title' })
    await typeIntoNth(container, 0, '石景山 鲁谷 工会驿站')
    typeInto(container, '.legal-point-phone', '010 6863 9001')
    // Only the latitude: the longitude is asked for.
    typeInto(container, '.legal-point-lat', '39.8893')
    await tap(container, '.legal-admin-save')
    expect(await screen.findByText('请填写经度')).toBeTruthy()
    expect(createServicePoint).not.toHaveBeenCalled()

    // Swapped (longitude typed as latitude): out of range.
    typeInto(container, '.legal-point-lat', '116.2351')
    typeInto(container, '.legal-point-lng', '39.8893')
    await tap(container, '.legal-admin-save')
    expect(await screen.findByText('纬度应在 -90 到 90 之间（北京约为 39.9）')).toBeTruthy()
    expect(createServicePoint).not.toHaveBeenCalled()
  })

  test('a complete workstation goes out with its phone and coordinates as numbers', async () => {
    const { container } = await mountPage(<LegalPointsAdmin member={staff} />)
    await screen.findByText('添加服务点', { selector: '.section-title' })
    await typeIntoNth(container, 0, '石景山 鲁谷 工会驿站')
    await typeIntoNth(container, 1, '北京市石景山区鲁谷路 74 号')
    typeInto(container, '.legal-point-phone', '010 6863 9001')
    typeInto(container, '.legal-point-lat', '39.8893')
    typeInto(container, '.legal-point-lng', '116.2351')
    await tap(container, '.legal-admin-save')
    await waitFor(() => expect(createServicePoint).toHaveBeenCalledTimes(1))
    expect(jest.mocked(createServicePoint).mock.calls[0]![0]).toMatchObject({
      name: '石景山 鲁谷 工会驿站',
      kind: 'workstation',
      address: '北京市石景山区鲁谷路 74 号',
      phone: '010 6863 9001',
      location: { latitude: 39.8893, longitude: 116.2351 },
    })
  })
})

/** Types into the `n`th plain text input of the add form (name, then address). */
async function typeIntoNth(container: HTMLElement, n: number, value: string): Promise<void> {
  const find = () =>
    Array.from(
      container.querySelectorAll<HTMLElement>('.legal-points-admin .field taro-input-core'),
    )
      .filter((el) => !/legal-point-/.test(el.className))
      [n]?.querySelector('input')
  // Taro's web component builds its inner <input> a moment after it mounts.
  await waitFor(() => expect(find()).toBeTruthy())
  const input = find()!
  input.value = value
  fireEvent.input(input, { target: { value } })
}

describe('the staff event form', () => {
  const staff = aMember({ memberNo: 'S0101', roles: ['member', 'staff'], staffUnionId: 2 })

  async function pick(container: HTMLElement, selector: string, value: string) {
    const picker = container.querySelector(selector)?.closest('taro-picker-core')
    if (!picker) throw new Error(`no picker around ${selector}`)
    await act(async () => {
      fireEvent(picker, new CustomEvent('change', { detail: { value } }))
    })
  }

  beforeEach(() => {
    jest.useRealTimers()
    signedInAs(staff)
    useUnionsStore.setState({ unions: [], status: 'idle', error: null })
    jest.mocked(listUnions).mockResolvedValue([
      { id: 1, name: '北京市总工会', parentId: null },
      { id: 2, name: '石景山区总工会', parentId: 1 },
    ])
    jest
      .mocked(createEvent)
      .mockReset()
      .mockResolvedValue(aStaffEvent({ id: 9 }))
    jest.spyOn(Taro, 'redirectTo').mockResolvedValue({ errMsg: 'ok' })
  })

  test('the venue’s place on the map is optional, checked, and sent as numbers', async () => {
    const { container } = await mountPage(<EventForm member={staff} />)
    await waitFor(() => expect(container.querySelector('.host-chip')).not.toBeNull())
    await waitFor(() => expect(container.querySelector('.event-venue-lat input')).not.toBeNull())
    typeInto(container, '.event-title-input', '爱在永定河畔')
    typeInto(container, '.event-venue-input', '石景山 万达广场')
    typeInto(container, '.event-capacity-input', '60')
    const chip = Array.from(container.querySelectorAll<HTMLElement>('.host-chip')).find(
      (c) => c.textContent === '石景山区总工会',
    )!
    await tap(chip, '*')
    await pick(container, '.event-signupOpensAt-date', '2026-08-01')
    await pick(container, '.event-signupClosesAt-date', '2026-08-20')
    await pick(container, '.event-startsAt-date', '2026-08-22')
    await pick(container, '.event-endsAt-date', '2026-08-22')

    typeInto(container, '.event-venue-lng', '116.2178')
    await tap(container, '.event-save')
    expect(await screen.findByText('请填写纬度')).toBeTruthy()
    expect(createEvent).not.toHaveBeenCalled()

    typeInto(container, '.event-venue-lat', '39.906')
    await tap(container, '.event-save')
    await waitFor(() => expect(createEvent).toHaveBeenCalledTimes(1))
    expect(jest.mocked(createEvent).mock.calls[0]![0]).toMatchObject({
      venue: '石景山 万达广场',
      venueLocation: { latitude: 39.906, longitude: 116.2178 },
    })
  })
})
