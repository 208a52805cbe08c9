import Taro from '@tarojs/taro'
import { act, screen } from '@testing-library/react'
import { MyBookings } from '@/features/legal/components/my-bookings'
import { useMyBookingsStore } from '@/features/legal/bookings-store'
import { useBookingStore } from '@/features/legal/store'
import { ApiError } from '@/services/http'
import {
  cancelBooking,
  listLawyers,
  listLegalTopics,
  listMyBookings,
  listServicePoints,
  rateBooking,
} from '@/services/legal'
import { aMember, mountPage, signedInAs } from './render'
import { aBooking, lawyers, NOW, points, topics } from './legal-fixtures'

jest.mock('@/services/legal')
const mockedMine = jest.mocked(listMyBookings)
const mockedCancel = jest.mocked(cancelBooking)
const mockedRate = jest.mocked(rateBooking)

let showModal: jest.SpyInstance

beforeEach(() => {
  jest.useFakeTimers({ doNotFake: ['requestAnimationFrame', 'queueMicrotask', 'nextTick'] })
  jest.setSystemTime(NOW)
  signedInAs(aMember({ name: '王建军', memberNo: 'M0004' }))
  useMyBookingsStore.setState(useMyBookingsStore.getInitialState())
  useBookingStore.setState(useBookingStore.getInitialState())
  for (const m of [mockedMine, mockedCancel, mockedRate]) m.mockReset()
  jest.mocked(listLegalTopics).mockResolvedValue(topics)
  jest.mocked(listServicePoints).mockResolvedValue(points)
  jest.mocked(listLawyers).mockResolvedValue(lawyers)
  showModal = jest.spyOn(Taro, 'showModal').mockResolvedValue({
    confirm: true,
    cancel: false,
    errMsg: 'showModal:ok',
  })
  jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' })
})

afterEach(() => {
  jest.useRealTimers()
  jest.restoreAllMocks()
})

function card(container: HTMLElement, id: number): HTMLElement {
  const found = container.querySelector<HTMLElement>(`.booking-card[data-id="${id}"]`)
  if (!found) throw new Error(`no booking ${id}`)
  return found
}

const TOO_LATE = '距开始不足 2 小时，如需取消请电话联系工作站'

test('cancel is offered until 2 hours before; inside the window the button is gone with the reason', async () => {
  mockedMine.mockResolvedValue([
    // Tomorrow 14:00: far enough ahead.
    aBooking({ id: 5 }),
    // Today 11:45: 1 h 45 min ahead.
    aBooking({
      id: 6,
      startsAt: '2026-11-26T03:45:00.000Z',
      endsAt: '2026-11-26T04:15:00.000Z',
    }),
  ])
  const { container } = await mountPage(<MyBookings />)
  await screen.findByText('即将进行（2）')

  const soon = card(container, 6)
  expect(soon.querySelector('.booking-cancel')).toBeNull()
  expect(soon.querySelector('.booking-late-note')?.textContent).toBe(TOO_LATE)
  expect(soon.querySelector('.booking-time')?.textContent).toBe('今天 11/26 11:45–12:15')

  const later = card(container, 5)
  expect(later.querySelector('.booking-late-note')).toBeNull()
  expect(later.querySelector('.booking-cancel')?.textContent).toBe('取消预约')

  // It is cancelled after the confirm modal and moves to 历史预约.
  mockedCancel.mockResolvedValue(
    aBooking({ id: 5, status: 'cancelled', cancelledAt: NOW.toISOString() }),
  )
  await act(async () => {
    ;(later.querySelector('.booking-cancel') as HTMLElement).click()
  })
  expect(showModal).toHaveBeenCalledWith(expect.objectContaining({ title: '取消预约' }))
  expect(mockedCancel).toHaveBeenCalledWith(5)
  expect(screen.getByText('即将进行（1）')).toBeTruthy()
  expect(card(container, 5).querySelector('.booking-status')?.textContent).toBe('已取消')
  expect(card(container, 5).querySelector('.booking-cancel')).toBeNull()
})

test('the button disappears by itself when the 2-hour window begins', async () => {
  // 12:30 today: 2 h 30 min ahead at 10:00.
  mockedMine.mockResolvedValue([
    aBooking({ id: 7, startsAt: '2026-11-26T04:30:00.000Z', endsAt: '2026-11-26T05:00:00.000Z' }),
  ])
  const { container } = await mountPage(<MyBookings />)
  await screen.findByText('即将进行（1）')
  expect(card(container, 7).querySelector('.booking-cancel')).not.toBeNull()
  await act(async () => {
    jest.advanceTimersByTime(31 * 60_000)
  })
  expect(card(container, 7).querySelector('.booking-cancel')).toBeNull()
  expect(screen.getByText(TOO_LATE)).toBeTruthy()
})

test('a refused cancel shows the server’s reason', async () => {
  mockedMine.mockResolvedValue([aBooking({ id: 5 })])
  mockedCancel.mockRejectedValue(
    new ApiError('TOO_LATE_TO_CANCEL', '距开始不足 2 小时，无法取消', 422),
  )
  const { container } = await mountPage(<MyBookings />)
  await screen.findByText('即将进行（1）')
  await act(async () => {
    ;(card(container, 5).querySelector('.booking-cancel') as HTMLElement).click()
  })
  expect(await screen.findByText('距开始不足 2 小时，无法取消')).toBeTruthy()
})

test('a completed consultation can be rated with stars and a comment', async () => {
  mockedMine.mockResolvedValue([
    aBooking({ id: 8, status: 'completed', startsAt: '2026-11-20T06:00:00.000Z' }),
  ])
  const { container } = await mountPage(<MyBookings />)
  await screen.findByText('历史预约')
  const rated = card(container, 8)
  // Nothing chosen yet: no star lit, and the line under them says how to choose.
  expect(rated.querySelectorAll('.star.is-on')).toHaveLength(0)
  expect(rated.querySelector('.stars-chosen')?.textContent).toBe(
    '点星星打分：1 星很不满意，5 星非常满意',
  )
  // Each star is named by what it means, for screen readers.
  const stars = Array.from(rated.querySelectorAll('.star'))
  expect(stars.map((s) => s.getAttribute('aria-label'))).toEqual([
    '1 星（很不满意）',
    '2 星（不满意）',
    '3 星（一般）',
    '4 星（满意）',
    '5 星（非常满意）',
  ])
  await act(async () => {
    ;(rated.querySelector('.rating-send') as HTMLElement).click()
  })
  expect(screen.getByText('请先点选 1–5 颗星')).toBeTruthy()
  expect(mockedRate).not.toHaveBeenCalled()

  mockedRate.mockResolvedValue(
    aBooking({ id: 8, status: 'completed', ratingStars: 4, startsAt: '2026-11-20T06:00:00.000Z' }),
  )
  await act(async () => {
    ;(rated.querySelector('.star-4') as HTMLElement).click()
  })
  // Fixed: the message goes at once, not only on the next send.
  expect(screen.queryByText('请先点选 1–5 颗星')).toBeNull()
  // The choice is said in words, not by the lit stars' colour alone.
  expect(rated.querySelector('.stars-chosen')?.textContent).toBe('已选 4 星（满意）')
  expect(rated.querySelectorAll('.star.is-on')).toHaveLength(4)
  expect(stars.map((s) => s.getAttribute('aria-checked'))).toEqual([
    'false',
    'false',
    'false',
    'true',
    'false',
  ])
  await act(async () => {
    ;(rated.querySelector('.star-2') as HTMLElement).click()
  })
  expect(rated.querySelector('.stars-chosen')?.textContent).toBe('已选 2 星（不满意）')
  await act(async () => {
    ;(rated.querySelector('.star-4') as HTMLElement).click()
  })
  await act(async () => {
    ;(rated.querySelector('.rating-send') as HTMLElement).click()
  })
  expect(mockedRate).toHaveBeenCalledWith(8, { stars: 4 })
  expect(card(container, 8).querySelector('.rating-shown')?.textContent).toBe(
    '我的评价：★★★★ 4 星（满意）',
  )
})
