import Taro from '@tarojs/taro'
import { act, screen, waitFor } from '@testing-library/react'
import { getPageInstance, HOOKS_APP_ID } from '@tarojs/runtime'
import { RoundsView } from '@/features/events/components/rounds-view'
import { EventView } from '@/features/events/components/event-view'
import { useEventStore } from '@/features/events/event-store'
import { forgetDevice } from '@/services/device-keep'
import { ApiError, OFFLINE_MESSAGE } from '@/services/http'
import { checkIn, getEvent, getRounds } from '@/services/events'
import { LIVE_REFRESH_MS } from '@/features/events/use-polling'
import { aMember, mountPage, showPage, signedInAs, tap, typeInto } from './render'
import { aRegistration, anEvent } from './events-fixtures'

jest.mock('@/services/events')
const mockedRounds = jest.mocked(getRounds)
const mockedEvent = jest.mocked(getEvent)
const mockedCheckIn = jest.mocked(checkIn)

beforeEach(() => {
  useEventStore.setState({ eventId: null, event: null, registration: null, status: 'idle' })
  jest.resetAllMocks()
  forgetDevice()
  jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' })
  jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' })
  signedInAs(aMember({ memberNo: 'M0141' }))
})

afterEach(() => {
  jest.useRealTimers()
  jest.restoreAllMocks()
})

/** Hides the mounted page the way Taro does (another page on top): runs `useDidHide` callbacks. */
async function hidePage(): Promise<void> {
  const hooks = (getPageInstance(HOOKS_APP_ID) ?? {}) as { componentDidHide?: unknown }
  const hides = hooks.componentDidHide
  await act(async () => {
    for (const hide of Array.isArray(hides) ? hides : [hides]) {
      if (typeof hide === 'function') hide()
    }
  })
}

/** Lets the live refresh's interval come round once (fake timers) and its answer land. */
async function nextTick(): Promise<void> {
  await act(async () => {
    jest.advanceTimersByTime(LIVE_REFRESH_MS)
  })
}

/**
 * Lets the components' own rendering, queued on a fake animation frame, finish before the test
 * goes back to real timers (a frame left queued would stall every later test's fields).
 */
async function settle(): Promise<void> {
  await act(async () => {
    await new Promise((resolve) => requestAnimationFrame(resolve))
  })
}

const threeRounds = (currentRound: number | null) => ({
  rounds: [
    { round: 1, group: 3 },
    { round: 2, group: 4 },
    { round: 3, group: 1 },
  ],
  groupCount: 4,
  currentRound,
  cohort: 'rotating' as const,
})

const rowsOf = (container: HTMLElement) =>
  Array.from(container.querySelectorAll('.round-row')).map((r) => ({
    text: r.textContent,
    current: r.classList.contains('is-current'),
  }))

test('my rounds: the round on now highlighted with where to go; it follows the organiser live', async () => {
  jest.useFakeTimers({ advanceTimers: true })
  mockedRounds.mockResolvedValueOnce(threeRounds(2)).mockResolvedValue(threeRounds(3))
  const { container } = await mountPage(<RoundsView eventId={7} />)

  expect(await screen.findByText('现在是第 2 轮')).toBeTruthy()
  expect(screen.getByText('请到第 4 组')).toBeTruthy()
  expect(rowsOf(container)).toEqual([
    { text: '第 1 轮→第 3 组已结束', current: false },
    { text: '第 2 轮→第 4 组现在', current: true },
    { text: '第 3 轮→第 1 组', current: false },
  ])
  expect(screen.getByText(/每轮结束后请按下表换到下一组/)).toBeTruthy()

  // The organiser moves on: no 刷新 needed.
  await nextTick()
  expect(await screen.findByText('现在是第 3 轮')).toBeTruthy()
  expect(screen.getByText('这是最后一轮')).toBeTruthy()
  expect(rowsOf(container).map((r) => r.current)).toEqual([false, false, true])
  await settle()
})

test('live refresh stops while the page is hidden and starts again when shown', async () => {
  jest.useFakeTimers({ advanceTimers: true })
  mockedRounds.mockResolvedValue(threeRounds(1))
  await mountPage(<RoundsView eventId={7} />)
  expect(await screen.findByText('现在是第 1 轮')).toBeTruthy()
  await nextTick()
  const asked = mockedRounds.mock.calls.length
  expect(asked).toBeGreaterThanOrEqual(2)

  await hidePage()
  await nextTick()
  await nextTick()
  expect(mockedRounds.mock.calls.length).toBe(asked)

  await showPage()
  await nextTick()
  expect(mockedRounds.mock.calls.length).toBe(asked + 1)
})

test('groups made but no round announced yet: nothing highlighted, it says to wait', async () => {
  mockedRounds.mockResolvedValue(threeRounds(null))
  const { container } = await mountPage(<RoundsView eventId={7} />)
  expect(await screen.findByText(/等待工作人员宣布开始/)).toBeTruthy()
  expect(rowsOf(container).some((r) => r.current)).toBe(false)
})

test('no groups yet: says so and can refresh', async () => {
  mockedRounds
    .mockResolvedValueOnce({ rounds: [], groupCount: 0, currentRound: null, cohort: null })
    .mockResolvedValue({
      rounds: [{ round: 1, group: 2 }],
      groupCount: 2,
      currentRound: 1,
      cohort: 'stationary',
    })
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

describe('offline', () => {
  const NOTICE = /^网络不可用，显示的是 \d{1,2}月\d{1,2}日 \d{2}:\d{2} 的数据$/
  const noticeText = (container: HTMLElement) =>
    container.querySelector('.kept-notice-text')?.textContent ?? null
  const offline = () => Promise.reject(new ApiError('NETWORK', OFFLINE_MESSAGE))

  test('reopened without a network: the groups last loaded, with the dated notice and 重试', async () => {
    mockedRounds.mockResolvedValue(threeRounds(2))
    const first = await mountPage(<RoundsView eventId={7} />)
    expect(await screen.findByText('请到第 4 组')).toBeTruthy()
    expect(noticeText(first.container)).toBeNull()
    first.unmount()

    mockedRounds.mockImplementation(offline)
    const { container } = await mountPage(<RoundsView eventId={7} />)
    expect(await screen.findByText('请到第 4 组')).toBeTruthy()
    expect(noticeText(container)).toMatch(NOTICE)
    expect(rowsOf(container).map((r) => r.current)).toEqual([false, true, false])
    expect(container.querySelector('.state-error')).toBeNull()

    // 重试 once the network is back: fresh data, and the notice goes.
    mockedRounds.mockReset()
    mockedRounds.mockResolvedValue(threeRounds(3))
    await tap(container, '.kept-notice-retry')
    expect(await screen.findByText('现在是第 3 轮')).toBeTruthy()
    expect(noticeText(container)).toBeNull()
  })

  test('nothing kept on the device (or for another event): offline shows the error', async () => {
    mockedRounds.mockResolvedValue(threeRounds(1))
    const first = await mountPage(<RoundsView eventId={7} />)
    expect(await screen.findByText('现在是第 1 轮')).toBeTruthy()
    first.unmount()

    mockedRounds.mockImplementation(offline)
    const { container } = await mountPage(<RoundsView eventId={8} />)
    expect(await screen.findByText(OFFLINE_MESSAGE)).toBeTruthy()
    expect(screen.getByText('重新加载')).toBeTruthy()
    expect(noticeText(container)).toBeNull()
  })

  test('a live refresh without an answer keeps what is shown, dated, without a toast', async () => {
    jest.useFakeTimers({ advanceTimers: true })
    mockedRounds.mockResolvedValue(threeRounds(2))
    const { container } = await mountPage(<RoundsView eventId={7} />)
    expect(await screen.findByText('现在是第 2 轮')).toBeTruthy()

    mockedRounds.mockImplementation(offline)
    const asked = mockedRounds.mock.calls.length
    await nextTick()
    await waitFor(() => expect(mockedRounds.mock.calls.length).toBeGreaterThan(asked))
    await waitFor(() => expect(noticeText(container)).toMatch(NOTICE))
    expect(screen.getByText('现在是第 2 轮')).toBeTruthy()
    expect(Taro.showToast).not.toHaveBeenCalled()

    // The next tick gets an answer: live again, no notice.
    mockedRounds.mockReset()
    mockedRounds.mockResolvedValue(threeRounds(3))
    await nextTick()
    expect(await screen.findByText('现在是第 3 轮')).toBeTruthy()
    expect(noticeText(container)).toBeNull()
    await settle()
  })
})
