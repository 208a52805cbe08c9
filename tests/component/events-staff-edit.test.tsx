import Taro from '@tarojs/taro'
import { act, fireEvent, screen, waitFor } from '@testing-library/react'
import { EventEditForm } from '@/features/events/staff/event-edit-form'
import { EventDesk } from '@/features/events/staff/event-desk'
import { useEventDeskStore } from '@/features/events/staff/event-desk-store'
import { ApiError } from '@/services/http'
import {
  getGroups,
  getMatches,
  getStaffEvent,
  listRegistrations,
  setCurrentRound,
  updateEvent,
} from '@/services/events'
import { LIVE_REFRESH_MS } from '@/features/events/use-polling'
import { aMember, mountPage, signedInAs, tap, typeInto } from './render'
import { aStaffEvent } from './events-fixtures'

jest.mock('@/services/events')
const mockedEvent = jest.mocked(getStaffEvent)
const mockedUpdate = jest.mocked(updateEvent)

// The form's pickers and inputs are heavy in jsdom: room for a machine under load.
jest.setTimeout(20_000)

const staff = aMember({ memberNo: 'S0001', roles: ['member', 'staff'], staffUnionId: 1 })

beforeEach(() => {
  useEventDeskStore.setState({ eventId: null })
  jest.resetAllMocks()
  jest.mocked(listRegistrations).mockResolvedValue([])
  jest.mocked(getMatches).mockResolvedValue({
    pairs: [],
    pairDetails: [],
    flowersSent: null,
    attendees: 0,
    phase: 'not_open',
  })
  jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' })
  jest.spyOn(Taro, 'navigateBack').mockResolvedValue({ errMsg: 'navigateBack:ok' })
  jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' })
  signedInAs(staff)
})

afterEach(() => {
  jest.useRealTimers()
  jest.restoreAllMocks()
})

async function pick(container: HTMLElement, selector: string, value: string) {
  const picker = container.querySelector(selector)?.closest('taro-picker-core')
  if (!picker) throw new Error(`no picker around ${selector}`)
  await act(async () => {
    fireEvent(picker, new CustomEvent('change', { detail: { value } }))
  })
}

const inputValue = (container: HTMLElement, selector: string) =>
  (container.querySelector(`${selector} input`) as HTMLInputElement | null)?.value

/** The fixture mixer: 2026-08-08 14:00–17:30 Shanghai, 200 places, 4 confirmed, 3 waiting. */
const mixer = () =>
  aStaffEvent({
    id: 7,
    capacity: 200,
    confirmedCount: 4,
    waitlistCount: 3,
    signupOpensAt: '2026-07-01T01:00:00.000Z',
    signupClosesAt: '2026-08-07T10:00:00.000Z',
    checkinPoints: 10,
  })

async function formShown(container: HTMLElement) {
  await screen.findByText('保存修改')
  await waitFor(() => expect(inputValue(container, '.event-title-input')).toBeDefined())
}

test('prefilled from the event; only what changed is sent; the waitlist moved up is said', async () => {
  mockedEvent.mockResolvedValue(mixer())
  mockedUpdate.mockResolvedValue({
    ...mixer(),
    title: '爱在运河畔（夜场）',
    capacity: 210,
    confirmedCount: 7,
    waitlistCount: 0,
    startsAt: '2026-08-08T11:00:00.000Z',
    checkinPoints: 20,
  })
  const { container } = await mountPage(<EventEditForm eventId={7} />)
  await formShown(container)

  // As the event stands, in Shanghai time (the device is elsewhere).
  expect(inputValue(container, '.event-title-input')).toBe('爱在运河畔 缘定副中心')
  expect(inputValue(container, '.event-capacity-input')).toBe('200')
  expect(inputValue(container, '.event-checkin-points-input')).toBe('10')
  expect(container.querySelector('.event-startsAt-date')?.textContent).toBe('2026-08-08')
  expect(container.querySelector('.event-startsAt-time')?.textContent).toBe('14:00')
  expect(screen.getByText('人数上限（已有 4 人报名成功，不能少于 4）')).toBeTruthy()
  expect(screen.getByText(/现有 3 人候补：增加名额后，按候补顺序立即转为报名成功/)).toBeTruthy()

  typeInto(container, '.event-title-input', '爱在运河畔（夜场）')
  typeInto(container, '.event-capacity-input', '210')
  typeInto(container, '.event-checkin-points-input', '20')
  await pick(container, '.event-startsAt-time', '19:00')
  await pick(container, '.event-endsAt-time', '21:30')
  await tap(container, '.event-update')

  expect(mockedUpdate).toHaveBeenCalledTimes(1)
  expect(mockedUpdate).toHaveBeenCalledWith(7, {
    title: '爱在运河畔（夜场）',
    startsAt: '2026-08-08T19:00:00+08:00',
    endsAt: '2026-08-08T21:30:00+08:00',
    capacity: 210,
    checkinPoints: 20,
  })
  await waitFor(() =>
    expect(Taro.showToast).toHaveBeenCalledWith(
      expect.objectContaining({ title: '已保存，3 人候补转正' }),
    ),
  )
  expect(Taro.navigateBack).toHaveBeenCalled()
})

test('times out of order are refused under the field; a message goes once the field is fixed', async () => {
  mockedEvent.mockResolvedValue(mixer())
  const { container } = await mountPage(<EventEditForm eventId={7} />)
  await formShown(container)

  await pick(container, '.event-endsAt-date', '2026-08-01')
  await tap(container, '.event-update')
  expect(screen.getByText('时间须依次为：报名开始 < 报名截止 ≤ 活动开始 < 活动结束')).toBeTruthy()
  expect(mockedUpdate).not.toHaveBeenCalled()

  await pick(container, '.event-endsAt-date', '2026-08-08')
  expect(screen.queryByText(/时间须依次为/)).toBeNull()

  // Nothing changed: nothing to send.
  await tap(container, '.event-update')
  expect(screen.getByText('没有修改任何内容')).toBeTruthy()
  expect(mockedUpdate).not.toHaveBeenCalled()
})

test('the server’s refusal (capacity below the confirmed) shows above the form', async () => {
  mockedEvent.mockResolvedValue(mixer())
  mockedUpdate.mockRejectedValue(
    new ApiError('CAPACITY_BELOW_CONFIRMED', '已有 4 人报名成功，人数上限不能少于 4', 422),
  )
  const { container } = await mountPage(<EventEditForm eventId={7} />)
  await formShown(container)

  typeInto(container, '.event-capacity-input', '3')
  await tap(container, '.event-update')
  expect(mockedUpdate).toHaveBeenCalledWith(7, { capacity: 3 })
  expect(await screen.findByText('已有 4 人报名成功，人数上限不能少于 4')).toBeTruthy()
  expect(Taro.navigateBack).not.toHaveBeenCalled()
})

test('the venue on the map: prefilled, a bad latitude refused under the field, cleared by blanks', async () => {
  const placed = {
    ...mixer(),
    venueLocation: { latitude: 39.8924, longitude: 116.7189, address: '大运河森林公园' },
  }
  mockedEvent.mockResolvedValue(placed)
  mockedUpdate.mockResolvedValue({ ...placed, venueLocation: null })
  const { container } = await mountPage(<EventEditForm eventId={7} />)
  await formShown(container)
  expect(inputValue(container, '.event-venue-lat')).toBe('39.8924')
  expect(inputValue(container, '.event-venue-lng')).toBe('116.7189')

  typeInto(container, '.event-venue-lat', '139.9')
  await tap(container, '.event-update')
  expect(screen.getByText('纬度应在 -90 到 90 之间（北京约为 39.9）')).toBeTruthy()
  expect(mockedUpdate).not.toHaveBeenCalled()
  typeInto(container, '.event-venue-lat', '')
  expect(screen.queryByText(/纬度应在/)).toBeNull()
  typeInto(container, '.event-venue-lng', '')
  await tap(container, '.event-update')
  expect(mockedUpdate).toHaveBeenCalledWith(7, { venueLocation: null })
})

test('a venue put on the map is sent as numbers', async () => {
  mockedEvent.mockResolvedValue(mixer())
  mockedUpdate.mockResolvedValue(mixer())
  const { container } = await mountPage(<EventEditForm eventId={7} />)
  await formShown(container)
  expect(inputValue(container, '.event-venue-lat')).toBe('')
  typeInto(container, '.event-venue-lat', '39.9405')
  typeInto(container, '.event-venue-lng', '116.4781')
  await tap(container, '.event-update')
  expect(mockedUpdate).toHaveBeenCalledWith(7, {
    venueLocation: { latitude: 39.9405, longitude: 116.4781 },
  })
})

test('the organiser desk: 修改活动 opens the form; the sign-up state is said once (no 报名报名中)', async () => {
  mockedEvent.mockResolvedValue(mixer())
  const { container } = await mountPage(<EventDesk eventId={7} />)
  await screen.findByText('爱在运河畔 缘定副中心')
  expect(screen.getByText(/^报名中 · 报名成功 4\/200/)).toBeTruthy()
  expect(container.textContent).not.toContain('报名报名中')
  expect(screen.getByText('签到奖励 10 积分')).toBeTruthy()
  await tap(container, '.event-edit')
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/staff/pages/event-form?id=7' })
})

test('the organiser desk refreshes itself while shown: check-ins at the door appear without 刷新', async () => {
  jest.useFakeTimers({ advanceTimers: true })
  mockedEvent.mockResolvedValueOnce(mixer()).mockResolvedValue({ ...mixer(), checkedInCount: 6 })
  await mountPage(<EventDesk eventId={7} />)
  expect(await screen.findByText(/已签到 4$/)).toBeTruthy()
  await act(async () => {
    jest.advanceTimersByTime(LIVE_REFRESH_MS)
  })
  expect(await screen.findByText(/已签到 6$/)).toBeTruthy()
})

test('rounds: the organiser starts the next round after confirming; the desk shows it', async () => {
  const withGroups = { ...mixer(), groupCount: 3, rounds: 3, rotating: 'male' as const }
  mockedEvent.mockResolvedValue({ ...withGroups, currentRound: 1 })
  jest.mocked(getGroups).mockResolvedValue({
    groups: [1, 2, 3].map((group) => ({ group, members: [] })),
    groupCount: 3,
    rounds: 3,
    rotating: 'male',
  })
  jest.mocked(setCurrentRound).mockResolvedValue({ ...withGroups, currentRound: 2 })
  const showModal = jest
    .spyOn(Taro, 'showModal')
    .mockResolvedValue({ confirm: true, cancel: false, errMsg: 'showModal:ok' })
  const { container } = await mountPage(<EventDesk eventId={7} />)
  await screen.findByText('爱在运河畔 缘定副中心')
  await tap(container, '.desk-tab-groups')
  expect(await screen.findByText('现在：第 1 轮（共 3 轮）')).toBeTruthy()
  expect(container.querySelector('.round-chip-1')?.classList.contains('role-chip-on')).toBe(true)

  await tap(container, '.round-next')
  expect(showModal).toHaveBeenCalledWith(expect.objectContaining({ title: '开始第 2 轮' }))
  expect(setCurrentRound).toHaveBeenCalledWith(7, 2)
  expect(await screen.findByText('现在：第 2 轮（共 3 轮）')).toBeTruthy()
  expect(container.querySelector('.round-chip-2')?.classList.contains('role-chip-on')).toBe(true)
})
