import Taro from '@tarojs/taro'
import { act, fireEvent, screen } from '@testing-library/react'
import { ChooseView } from '@/features/legal/components/choose-view'
import { BookingForm } from '@/features/legal/components/booking-form'
import { useBookingStore } from '@/features/legal/store'
import { useMyBookingsStore } from '@/features/legal/bookings-store'
import { ApiError } from '@/services/http'
import {
  bookConsultation,
  listLawyers,
  listLegalTopics,
  listMyBookings,
  listServicePoints,
  listSlots,
} from '@/services/legal'
import { aMember, mountPage, signedInAs, tap, typeInto } from './render'
import { aBooking, aSlot, lawyers, NOW, points, topics } from './legal-fixtures'

jest.mock('@/services/legal')
const mockedTopics = jest.mocked(listLegalTopics)
const mockedPoints = jest.mocked(listServicePoints)
const mockedLawyers = jest.mocked(listLawyers)
const mockedSlots = jest.mocked(listSlots)
const mockedBook = jest.mocked(bookConsultation)
const mockedMine = jest.mocked(listMyBookings)

const slots = [
  aSlot('2026-11-26', '14:00'),
  aSlot('2026-11-26', '14:30', { available: false }),
  aSlot('2026-11-27', '09:30', { lawyerId: 2, id: '2-1-2026-11-27T09:30' }),
]

let showModal: jest.SpyInstance

beforeEach(() => {
  jest.useFakeTimers({ doNotFake: ['requestAnimationFrame', 'queueMicrotask', 'nextTick'] })
  jest.setSystemTime(NOW)
  signedInAs(aMember({ name: '王建军', memberNo: 'M0004' }))
  useBookingStore.setState(useBookingStore.getInitialState())
  for (const m of [mockedTopics, mockedPoints, mockedLawyers, mockedSlots, mockedBook, mockedMine])
    m.mockReset()
  useMyBookingsStore.setState(useMyBookingsStore.getInitialState())
  mockedMine.mockResolvedValue([])
  mockedTopics.mockResolvedValue(topics)
  mockedPoints.mockResolvedValue(points)
  mockedLawyers.mockResolvedValue(lawyers)
  mockedSlots.mockResolvedValue(slots)
  showModal = jest.spyOn(Taro, 'showModal').mockResolvedValue({
    confirm: true,
    cancel: false,
    errMsg: 'showModal:ok',
  })
  jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' })
  jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' })
  jest.spyOn(Taro, 'navigateBack').mockResolvedValue({ errMsg: 'navigateBack:ok' })
  jest.spyOn(Taro, 'redirectTo').mockResolvedValue({ errMsg: 'redirectTo:ok' })
})

afterEach(() => {
  jest.useRealTimers()
  jest.restoreAllMocks()
})

/** The slot chips shown now, as their text. */
function chips(container: HTMLElement): string[] {
  return Array.from(container.querySelectorAll('.slot-chip')).map((c) => c.textContent ?? '')
}

async function click(text: string) {
  await act(async () => {
    fireEvent.click(screen.getByText(text))
  })
}

test('the slot picker shows the chosen day’s slots in Asia/Shanghai, taken ones disabled', async () => {
  const { container } = await mountPage(<ChooseView />)
  await screen.findByText('工资拖欠')
  await click('工资拖欠')
  await click('石景山区 万达广场 写字楼劳动关系工作站')
  await screen.findByText('今天')

  expect(mockedSlots).toHaveBeenCalledWith({
    from: '2026-11-26',
    to: '2026-12-09',
    servicePointId: 1,
  })
  // 周四 11/26 is today; the strip reads 今天, 明天, then weekdays.
  const labels = Array.from(container.querySelectorAll('.day-chip')).map((d) => d.textContent)
  expect(labels.slice(0, 3)).toEqual(['今天11/26', '明天11/27', '周六11/28'])

  expect(chips(container)).toEqual(['14:00', '14:30 已约'])
  const taken = container.querySelectorAll('.slot-chip')[1]
  expect(taken.classList.contains('is-taken')).toBe(true)
  await act(async () => {
    fireEvent.click(taken)
  })
  expect(useBookingStore.getState().slotId).toBeNull()
  expect(container.querySelector('.legal-next')?.textContent).toBe('请选择时间')

  // Another day shows only its own slots.
  await click('明天')
  expect(chips(container)).toEqual(['09:30'])
  await click('09:30')
  expect(useBookingStore.getState().slotId).toBe('2-1-2026-11-27T09:30')
  expect(screen.getByText('苏婉清 律师')).toBeTruthy()
  expect(screen.getByText('已选：明天 11/27 09:30–10:00')).toBeTruthy()

  // Back to today: its free slot can be chosen, the taken one still cannot.
  await click('今天')
  expect(chips(container)).toEqual(['14:00', '14:30 已约'])
  await click('14:00')
  expect(useBookingStore.getState().slotId).toBe('1-1-2026-11-26T14:00')
  await tap(container, '.legal-next')
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/legal/pages/book' })
})

/** The form with 工资拖欠 and today 14:00 at 万达 already chosen. */
async function openForm() {
  useBookingStore.setState({
    topics,
    servicePoints: points,
    lawyers,
    status: 'ready',
    topicId: 2,
    servicePointId: 1,
    date: '2026-11-26',
    slots,
    slotsStatus: 'ready',
    slotId: '1-1-2026-11-26T14:00',
  })
  const result = await mountPage(<BookingForm />)
  await screen.findByText('确认预约')
  return result
}

test('the form checks the phone and the description length before anything is sent', async () => {
  const { container } = await openForm()
  expect(screen.getByText('今天 11/26 14:00–14:30')).toBeTruthy()
  expect(screen.getByText('仅你和接待律师可见，工会工作人员看不到')).toBeTruthy()

  typeInto(container, '.legal-phone', '1231234')
  typeInto(container, '.legal-description', '没发工资')
  expect(container.querySelector('.legal-counter')?.textContent).toBe('4 / 500')
  await tap(container, '.legal-book')
  expect(container.querySelector('.legal-phone-error')?.textContent).toBe(
    '请填写正确的 11 位手机号码（1 开头，第二位 3–9）',
  )
  expect(container.querySelector('.legal-description-error')?.textContent).toBe(
    '请用至少 10 个字描述你的问题',
  )

  typeInto(container, '.legal-phone', '13912345678')
  typeInto(container, '.legal-description', '欠'.repeat(501))
  const counter = container.querySelector('.legal-counter')
  expect(counter?.textContent).toBe('501 / 500')
  expect(counter?.classList.contains('is-over')).toBe(true)
  await tap(container, '.legal-book')
  expect(container.querySelector('.legal-phone-error')).toBeNull()
  expect(container.querySelector('.legal-description-error')?.textContent).toBe(
    '问题描述最多 500 个字',
  )
  expect(showModal).not.toHaveBeenCalled()
  expect(mockedBook).not.toHaveBeenCalled()
})

test('a retry after a network error reuses the idempotency key; the booking page opens', async () => {
  const { container } = await openForm()
  typeInto(container, '.legal-phone', '13912345678')
  typeInto(container, '.legal-description', '公司两个月没发工资了，想问问怎么办')
  mockedBook.mockRejectedValueOnce(new ApiError('NETWORK', '网络不给力，请检查网络后重试'))
  await tap(container, '.legal-book')
  expect(await screen.findByText('网络不给力，请检查网络后重试')).toBeTruthy()
  expect(container.querySelector('.legal-book')?.textContent).toBe('重新提交预约')

  mockedBook.mockResolvedValueOnce(aBooking({ id: 42 }))
  await tap(container, '.legal-book')
  expect(mockedBook).toHaveBeenCalledTimes(2)
  const [first, second] = mockedBook.mock.calls
  expect(first[0]).toEqual({
    slotId: '1-1-2026-11-26T14:00',
    topicId: 2,
    phone: '13912345678',
    description: '公司两个月没发工资了，想问问怎么办',
  })
  expect(second[1].idempotencyKey).toBe(first[1].idempotencyKey)
  expect(Taro.redirectTo).toHaveBeenCalledWith({
    url: '/packages/legal/pages/booking?id=42&new=1',
  })
})

test('SLOT_TAKEN says so, refreshes the slots and asks for another time', async () => {
  const { container } = await openForm()
  typeInto(container, '.legal-phone', '13912345678')
  typeInto(container, '.legal-description', '公司两个月没发工资了，想问问怎么办')
  mockedBook.mockRejectedValueOnce(new ApiError('SLOT_TAKEN', '这个时段已被预约', 409))
  mockedSlots.mockResolvedValueOnce([aSlot('2026-11-26', '14:00', { available: false })])
  await tap(container, '.legal-book')
  expect(mockedSlots).toHaveBeenCalledTimes(1)
  const state = useBookingStore.getState()
  expect(state.slotId).toBeNull()
  expect(state.key).toBeNull()
  expect(state.submitError).toBe('这个时段已被预约，请重新选择一个时段')
  expect(state.slots[0].available).toBe(false)
  expect(Taro.navigateBack).toHaveBeenCalled()
})

test('SLOT_TOO_SOON (within 2 hours) sends the member back to choose a later time', async () => {
  const { container } = await openForm()
  typeInto(container, '.legal-phone', '13912345678')
  typeInto(container, '.legal-description', '公司两个月没发工资了，想问问怎么办')
  mockedBook.mockRejectedValueOnce(
    new ApiError('SLOT_TOO_SOON', '距咨询开始已不足 2 小时，请选择更晚的时段', 422),
  )
  mockedSlots.mockResolvedValueOnce([slots[2]])
  await tap(container, '.legal-book')
  expect(mockedSlots).toHaveBeenCalledTimes(1)
  const state = useBookingStore.getState()
  expect(state.slotId).toBeNull()
  expect(state.submitError).toBe('距咨询开始已不足 2 小时，请选择更晚的时段')
  expect(Taro.showToast).toHaveBeenCalledWith(
    expect.objectContaining({ title: '这个时段快开始了' }),
  )
  expect(Taro.navigateBack).toHaveBeenCalled()
})

test('with 2 upcoming bookings the member is told before choosing anything', async () => {
  mockedMine.mockResolvedValue([
    aBooking({ id: 5 }),
    aBooking({ id: 6, startsAt: '2026-11-28T06:00:00.000Z', endsAt: '2026-11-28T06:30:00.000Z' }),
    // Past or cancelled ones do not count.
    aBooking({ id: 7, status: 'cancelled', cancelledAt: '2026-11-21T02:00:00.000Z' }),
  ])
  const { container } = await mountPage(<ChooseView />)
  await screen.findByText('您已有 2 个未完成预约')
  expect(container.querySelector('.legal-topics')).toBeNull()
  expect(container.querySelector('.legal-next')).toBeNull()
  await tap(container, '.legal-limit-mine')
  expect(Taro.navigateTo).toHaveBeenCalledWith(
    expect.objectContaining({ url: expect.stringContaining('/packages/legal/pages/mine') }),
  )
  // The form page says the same (a deep link, a kept draft).
  const form = await mountPage(<BookingForm />)
  expect(form.container.querySelector('.legal-book')).toBeNull()
  expect(form.container.textContent).toContain('您已有 2 个未完成预约')
})

test('one upcoming booking leaves the way open', async () => {
  mockedMine.mockResolvedValue([aBooking({ id: 5 })])
  const { container } = await mountPage(<ChooseView />)
  await screen.findByText('1. 想咨询什么问题')
  expect(container.querySelector('.legal-limit')).toBeNull()
})
