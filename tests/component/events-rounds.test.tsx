import Taro from '@tarojs/taro'
import { screen, waitFor } from '@testing-library/react'
import { RoundsView } from '@/features/events/components/rounds-view'
import { EventView } from '@/features/events/components/event-view'
import { useEventStore } from '@/features/events/event-store'
import { ApiError } from '@/services/http'
import { checkIn, getEvent, getRounds } from '@/services/events'
import { aMember, mountPage, signedInAs, tap, typeInto } from './render'
import { aRegistration, anEvent } from './events-fixtures'

jest.mock('@/services/events')
const mockedRounds = jest.mocked(getRounds)
const mockedEvent = jest.mocked(getEvent)
const mockedCheckIn = jest.mocked(checkIn)

beforeEach(() => {
  useEventStore.setState({ eventId: null, event: null, registration: null, status: 'idle' })
  jest.resetAllMocks()
  jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' })
  jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' })
  signedInAs(aMember({ memberNo: 'M0141' }))
})

afterEach(() => {
  jest.restoreAllMocks()
})

test('my rounds: the group of each round, the first highlighted', async () => {
  mockedRounds.mockResolvedValue({
    rounds: [
      { round: 1, group: 3 },
      { round: 2, group: 4 },
      { round: 3, group: 1 },
    ],
    groupCount: 4,
    cohort: 'rotating',
  })
  const { container } = await mountPage(<RoundsView eventId={7} />)

  expect(await screen.findByText('第 1 轮')).toBeTruthy()
  const rows = Array.from(container.querySelectorAll('.round-row')).map((r) => ({
    text: r.textContent,
    current: r.classList.contains('is-current'),
  }))
  expect(rows).toEqual([
    { text: expect.stringMatching(/^第 1 轮→第 3 组/), current: true },
    { text: '第 2 轮→第 4 组', current: false },
    { text: '第 3 轮→第 1 组', current: false },
  ])
  expect(screen.getByText(/每轮结束后请按下表换到下一组/)).toBeTruthy()
})

test('no groups yet: says so and can refresh', async () => {
  mockedRounds
    .mockResolvedValueOnce({ rounds: [], groupCount: 0, cohort: null })
    .mockResolvedValue({ rounds: [{ round: 1, group: 2 }], groupCount: 2, cohort: 'stationary' })
  const { container } = await mountPage(<RoundsView eventId={7} />)

  expect(await screen.findByText('分组还没有公布')).toBeTruthy()
  await tap(container, '.rounds-reload')
  expect(await screen.findByText('第 2 组')).toBeTruthy()
  expect(screen.getByText(/你每轮都留在本组/)).toBeTruthy()
})

test('an error shows the server message with 重新加载', async () => {
  mockedRounds.mockRejectedValue(new ApiError('NOT_CHECKED_IN', '请先签到', 422))
  await mountPage(<RoundsView eventId={7} />)
  expect(await screen.findByText('请先签到')).toBeTruthy()
  expect(screen.getByText('重新加载')).toBeTruthy()
})

test('check-in by typing the event code; afterwards 我的分组 and 送花 open', async () => {
  const confirmed = aRegistration()
  mockedEvent.mockResolvedValue({ event: anEvent(), registration: confirmed })
  mockedCheckIn
    .mockRejectedValueOnce(new ApiError('WRONG_CHECKIN_CODE', '签到码不正确，请核对后重试', 422))
    .mockResolvedValue({ ...confirmed, checkedIn: true, checkedInAt: '2026-08-08T06:05:00.000Z' })
  const { container } = await mountPage(<EventView eventId={7} />)
  await screen.findByText('现场签到')
  await waitFor(() => expect(container.querySelector('.checkin-code-input input')).not.toBeNull())

  await tap(container, '.checkin-submit')
  expect(screen.getByText('请输入签到码')).toBeTruthy()
  expect(mockedCheckIn).not.toHaveBeenCalled()

  typeInto(container, '.checkin-code-input', 'zz99 yy88')
  await tap(container, '.checkin-submit')
  expect(mockedCheckIn).toHaveBeenCalledWith(7, 'ZZ99YY88')
  expect(await screen.findByText('签到码不正确，请核对后重试')).toBeTruthy()

  typeInto(container, '.checkin-code-input', 'ab3d-k7mn')
  await tap(container, '.checkin-submit')
  expect(mockedCheckIn).toHaveBeenLastCalledWith(7, 'AB3DK7MN')
  expect(await screen.findByText('已签到')).toBeTruthy()
  expect(screen.getByText(/2026年8月8日 14:05/)).toBeTruthy()
  expect(container.querySelector('.checkin-panel')).toBeNull()
  expect(container.querySelector('.registration-cancel')).toBeNull()

  await tap(container, '.event-rounds-link')
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/events/pages/rounds?id=7' })
  await tap(container, '.event-flowers-link')
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/events/pages/flowers?id=7' })
})

test('the member can show their own code as a QR for staff to scan', async () => {
  mockedEvent.mockResolvedValue({ event: anEvent(), registration: aRegistration() })
  const { container } = await mountPage(<EventView eventId={7} />)
  await screen.findByText('现场签到')
  expect(container.querySelector('.qr-code')).toBeNull()

  await tap(container, '.checkin-show-mine')
  expect(screen.getByText('K7MN 3DAB')).toBeTruthy()
  expect(container.querySelectorAll('.qr-code-row').length).toBeGreaterThanOrEqual(21)
})
