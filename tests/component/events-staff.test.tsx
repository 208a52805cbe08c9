import Taro from '@tarojs/taro'
import { act, fireEvent, screen, waitFor } from '@testing-library/react'
import { EventDesk } from '@/features/events/staff/event-desk'
import { StaffTools } from '@/features/staff/components/staff-tools'
import { useEventDeskStore } from '@/features/events/staff/event-desk-store'
import StaffEventsPage from '@/packages/staff/pages/events'
import type { StaffRegistration } from '@/contract/events'
import { ApiError } from '@/services/http'
import {
  checkInMember,
  getCheckinCode,
  getMatches,
  getStaffEvent,
  listRegistrations,
  setFlowerPhase,
} from '@/services/events'
import { aMember, mountPage, signedInAs, tap, typeInto } from './render'
import { aStaffEvent, someMatches } from './events-fixtures'

jest.mock('@/services/events')
const mockedEvent = jest.mocked(getStaffEvent)
const mockedMatches = jest.mocked(getMatches)
const mockedPhase = jest.mocked(setFlowerPhase)
const mockedRegistrations = jest.mocked(listRegistrations)
const mockedCode = jest.mocked(getCheckinCode)
const mockedCheckIn = jest.mocked(checkInMember)

let showModal: jest.SpyInstance

const staff = aMember({
  name: '赵敏',
  memberNo: 'S0001',
  roles: ['member', 'staff'],
  staffUnionId: 1,
})

function aSignup(overrides: Partial<StaffRegistration>): StaffRegistration {
  return {
    id: 1,
    attendeeId: 'a-1',
    memberId: 141,
    memberNo: 'M0141',
    memberName: '李明',
    unionName: '通州区总工会',
    nickname: '运河边的风',
    gender: 'male',
    birthYear: 1996,
    intro: '',
    status: 'confirmed',
    checkedIn: false,
    checkedInAt: null,
    signedUpAt: '2026-07-02T02:00:00.000Z',
    ...overrides,
  }
}

beforeEach(() => {
  useEventDeskStore.setState({ eventId: null })
  jest.resetAllMocks()
  mockedRegistrations.mockResolvedValue([])
  showModal = jest.spyOn(Taro, 'showModal')
  jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' })
  signedInAs(staff)
})

afterEach(() => {
  jest.restoreAllMocks()
})

test('opens the flower phase, then closes it after a warning that matches are revealed to all', async () => {
  mockedEvent.mockResolvedValue(aStaffEvent({ flowerPhase: 'not_open', checkedInCount: 4 }))
  mockedMatches.mockResolvedValue(someMatches({ phase: 'not_open' }))
  showModal.mockResolvedValue({ confirm: true, cancel: false, errMsg: 'showModal:ok' })
  const { container } = await mountPage(<EventDesk eventId={7} />)
  await screen.findByText('爱在运河畔 缘定副中心')

  await tap(container, '.desk-tab-flowers')
  expect(await screen.findByText('未开始')).toBeTruthy()
  expect(await screen.findByText('结束后揭晓')).toBeTruthy()

  mockedPhase.mockResolvedValueOnce(aStaffEvent({ flowerPhase: 'open' }))
  // While open the server gives no total (it would rise as someone in the room taps).
  mockedMatches.mockResolvedValue(someMatches({ phase: 'open', flowersSent: null }))
  await tap(container, '.phase-open')
  expect(showModal).toHaveBeenLastCalledWith(
    expect.objectContaining({ title: '开启送花', content: expect.stringContaining('3 朵花') }),
  )
  expect(mockedPhase).toHaveBeenLastCalledWith(7, true)
  expect(await screen.findByText('送花中')).toBeTruthy()
  // While open, no pairs are shown even by accident.
  expect(container.querySelector('.match-pair')).toBeNull()

  mockedPhase.mockResolvedValueOnce(aStaffEvent({ flowerPhase: 'closed' }))
  mockedMatches.mockResolvedValue(
    someMatches({
      phase: 'closed',
      flowersSent: 9,
      pairs: [['a-1', 'a-2']],
      pairDetails: [
        [
          { attendeeId: 'a-1', nickname: '运河边的风' },
          { attendeeId: 'a-2', nickname: '小雨' },
        ],
      ],
    }),
  )
  await tap(container, '.phase-close')
  expect(showModal).toHaveBeenLastCalledWith(
    expect.objectContaining({ content: expect.stringContaining('同时向每位参与者揭晓') }),
  )
  expect(mockedPhase).toHaveBeenLastCalledWith(7, false)
  expect(await screen.findByText('已揭晓')).toBeTruthy()
  expect(await screen.findByText('1 对')).toBeTruthy()
  const pair = container.querySelector('.match-pair')
  expect(pair?.textContent).toBe('运河边的风♥小雨')
  expect(screen.getByText('9 朵')).toBeTruthy()
  expect(container.querySelector('.phase-open, .phase-close')).toBeNull()
  // Taro refuses a showModal confirmText longer than 4 Chinese characters (weapp and H5).
  for (const [options] of showModal.mock.calls) {
    expect((options as { confirmText: string }).confirmText.length).toBeLessThanOrEqual(4)
  }
})

test('nothing changes when the organiser cancels the confirmation', async () => {
  mockedEvent.mockResolvedValue(aStaffEvent({ flowerPhase: 'open' }))
  mockedMatches.mockResolvedValue(someMatches({ phase: 'open' }))
  showModal.mockResolvedValue({ confirm: false, cancel: true, errMsg: 'showModal:ok' })
  const { container } = await mountPage(<EventDesk eventId={7} />)
  await screen.findByText('爱在运河畔 缘定副中心')
  await tap(container, '.desk-tab-flowers')
  await screen.findByText('送花中')

  await tap(container, '.phase-close')
  await waitFor(() => expect(showModal).toHaveBeenCalled())
  expect(mockedPhase).not.toHaveBeenCalled()
  expect(screen.getByText('送花中')).toBeTruthy()
})

test('a refused phase change shows the server message', async () => {
  mockedEvent.mockResolvedValue(aStaffEvent({ flowerPhase: 'not_open' }))
  mockedMatches.mockResolvedValue(someMatches())
  mockedPhase.mockRejectedValue(
    new ApiError('PHASE_CHANGE_NOT_ALLOWED', '送花已结束，不能重新开启', 409),
  )
  showModal.mockResolvedValue({ confirm: true, cancel: false, errMsg: 'showModal:ok' })
  const { container } = await mountPage(<EventDesk eventId={7} />)
  await screen.findByText('爱在运河畔 缘定副中心')
  await tap(container, '.desk-tab-flowers')
  await tap(container, '.phase-open')
  await waitFor(() =>
    expect(Taro.showToast).toHaveBeenCalledWith(
      expect.objectContaining({ title: '送花已结束，不能重新开启' }),
    ),
  )
})

test('sign-ups: confirmed in order, then the waitlist in its order', async () => {
  mockedEvent.mockResolvedValue(aStaffEvent({ waitlistCount: 2 }))
  mockedRegistrations.mockResolvedValue([
    aSignup({ id: 1, memberName: '李明', checkedIn: true }),
    aSignup({ id: 2, memberName: '王芳', memberNo: 'M0142', gender: 'female' }),
    aSignup({ id: 4, memberName: '孙强', status: 'waitlisted', waitlistPosition: 2 }),
    aSignup({ id: 3, memberName: '周丽', status: 'waitlisted', waitlistPosition: 1 }),
  ])
  const { container } = await mountPage(<EventDesk eventId={7} />)

  expect(await screen.findByText('报名成功（2）')).toBeTruthy()
  expect(screen.getByText('候补（2）')).toBeTruthy()
  const rows = Array.from(container.querySelectorAll('.signup-row')).map(
    (r) =>
      `${r.querySelector('.signup-row-name')?.textContent} ${r.querySelector('.signup-row-note')?.textContent}`,
  )
  expect(rows).toEqual([
    '李明（M0141） 已签到',
    '王芳（M0142） 第 2 位',
    '周丽（M0141） 候补第 1 位',
    '孙强（M0141） 候补第 2 位',
  ])
})

test('check-in desk: the event code as text and QR; a member checked in by their code', async () => {
  mockedEvent.mockResolvedValue(aStaffEvent())
  mockedCode.mockResolvedValue('EV7CODE9')
  mockedCheckIn.mockResolvedValue(
    aSignup({ memberName: '王芳', nickname: '小雨', checkedIn: true }),
  )
  const { container } = await mountPage(<EventDesk eventId={7} />)
  await screen.findByText('爱在运河畔 缘定副中心')

  await tap(container, '.desk-tab-checkin')
  expect(await screen.findByText('EV7C ODE9')).toBeTruthy()
  expect(container.querySelectorAll('.event-code .qr-code-row').length).toBeGreaterThanOrEqual(21)

  await waitFor(() => expect(container.querySelector('.staff-checkin-input input')).not.toBeNull())
  typeInto(container, '.staff-checkin-input', 'k7mn 3dab')
  await tap(container, '.staff-checkin-submit')
  expect(mockedCheckIn).toHaveBeenCalledWith(7, { checkinCode: 'K7MN3DAB' })
  expect(await screen.findByText('王芳（小雨）签到成功')).toBeTruthy()
})

test('the staff tools list opens 联谊活动; members are kept out', async () => {
  const navigateTo = jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' })
  const { unmount } = await mountPage(<StaffTools member={staff} />)
  const tool = screen.getByText('新建活动、报名名单、签到、分组和送花').closest('.staff-tool')
  if (!tool) throw new Error('no 联谊活动 tool')
  await act(async () => {
    fireEvent.click(tool)
  })
  expect(navigateTo).toHaveBeenCalledWith({ url: '/packages/staff/pages/events' })
  unmount()

  signedInAs(aMember())
  const { container } = await mountPage(<StaffEventsPage />)
  expect(screen.getByText('仅工会干部可用')).toBeTruthy()
  expect(container.querySelector('.event-new')).toBeNull()
})
