import Taro from '@tarojs/taro'
import { act, fireEvent, screen, waitFor } from '@testing-library/react'
import { EventView } from '@/features/events/components/event-view'
import { useEventStore } from '@/features/events/event-store'
import { ApiError } from '@/services/http'
import { cancelSignup, getEvent, listEvents, signUp } from '@/services/events'
import { aMember, mountPage, signedInAs, tap, typeInto } from './render'
import { aRegistration, anEvent } from './events-fixtures'

jest.mock('@/services/events')
const mockedEvent = jest.mocked(getEvent)
const mockedSignUp = jest.mocked(signUp)
const mockedCancel = jest.mocked(cancelSignup)
const mockedList = jest.mocked(listEvents)

let showModal: jest.SpyInstance

beforeEach(() => {
  useEventStore.setState({ eventId: null, event: null, registration: null, status: 'idle' })
  jest.resetAllMocks()
  mockedList.mockResolvedValue([])
  showModal = jest.spyOn(Taro, 'showModal')
  jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' })
  signedInAs(aMember({ memberNo: 'M0141', name: '李明' }))
})

afterEach(() => {
  jest.restoreAllMocks()
})

/** Waits for the form (and the real <input> Taro's web component renders a frame later). */
async function formReady(container: HTMLElement) {
  await screen.findByText('填写报名资料')
  await waitFor(() => expect(container.querySelector('.signup-nickname input')).not.toBeNull())
}

/** Picks an option of the Taro picker wrapping `selector` (H5 renders <taro-picker-core>). */
async function pick(container: HTMLElement, selector: string, index: number) {
  const picker = container.querySelector(selector)?.closest('taro-picker-core')
  if (!picker) throw new Error(`no picker around ${selector}`)
  await act(async () => {
    fireEvent(picker, new CustomEvent('change', { detail: { value: index } }))
  })
}

test('shows the event: hosts, time in Shanghai, places, sign-up window state', async () => {
  mockedEvent.mockResolvedValue({ event: anEvent(), registration: null })
  await mountPage(<EventView eventId={7} />)

  expect(await screen.findByText('爱在运河畔 缘定副中心')).toBeTruthy()
  expect(screen.getByText('通州区总工会、武清区总工会、廊坊市总工会')).toBeTruthy()
  expect(screen.getByText('2026年8月8日 14:00 – 17:30')).toBeTruthy()
  expect(screen.getByText('城市绿心森林公园')).toBeTruthy()
  expect(screen.getByText('剩余 200 个名额')).toBeTruthy()
  expect(screen.getByText('报名中')).toBeTruthy()
})

test('the form shows the contract messages and sends nothing until the profile is complete', async () => {
  mockedEvent.mockResolvedValue({ event: anEvent(), registration: null })
  const { container } = await mountPage(<EventView eventId={7} />)
  await formReady(container)

  await tap(container, '.signup-submit')
  expect(screen.getByText('请填写昵称')).toBeTruthy()
  expect(screen.getByText('请选择性别')).toBeTruthy()
  expect(screen.getByText('请填写出生年份')).toBeTruthy()
  expect(mockedSignUp).not.toHaveBeenCalled()

  // Only spaces is no nickname.
  typeInto(container, '.signup-nickname', '   ')
  await tap(container, '.signup-gender-female')
  await tap(container, '.signup-submit')
  expect(screen.getByText('请填写昵称')).toBeTruthy()
  expect(screen.queryByText('请选择性别')).toBeNull()
  expect(mockedSignUp).not.toHaveBeenCalled()
})

test('a full event puts the member on the waitlist and shows 候补中 第 N 位', async () => {
  const full = anEvent({ placesLeft: 0, confirmedCount: 200, waitlistCount: 2 })
  const waitlisted = aRegistration({
    status: 'waitlisted',
    waitlistPosition: 3,
    profile: {
      nickname: '小雨',
      gender: 'female',
      birthYear: 1997,
      intro: '爱读书',
      showDetails: false,
    },
  })
  mockedEvent
    .mockResolvedValueOnce({ event: full, registration: null })
    .mockResolvedValue({ event: { ...full, waitlistCount: 3 }, registration: waitlisted })
  mockedSignUp.mockResolvedValue(waitlisted)
  const { container } = await mountPage(<EventView eventId={7} />)
  await screen.findByText('名额已满，可报名候补')
  await formReady(container)

  typeInto(container, '.signup-nickname', '小雨')
  await tap(container, '.signup-gender-female')
  await pick(container, '.signup-birth-year', 2015 - 1997)
  expect(screen.getByText('1997 年', { selector: '.signup-birth-year' })).toBeTruthy()
  typeInto(container, '.signup-intro', '爱读书')
  expect(
    screen.getByText('名额已满，提交后将进入候补；有人取消时，按候补顺序自动递补。'),
  ).toBeTruthy()
  await tap(container, '.signup-submit')

  expect(mockedSignUp).toHaveBeenCalledWith(
    7,
    { nickname: '小雨', gender: 'female', birthYear: 1997, intro: '爱读书', showDetails: false },
    { idempotencyKey: expect.stringMatching(/\S{8,}/) },
  )
  expect(await screen.findByText('候补中 第 3 位')).toBeTruthy()
  expect(screen.getByText(/候补队列中的第一位会自动递补/)).toBeTruthy()
  expect(container.querySelector('.signup-form')).toBeNull()
  expect(container.querySelector('.checkin-panel')).toBeNull()
})

test('the server refusal appears above the form', async () => {
  mockedEvent.mockResolvedValue({ event: anEvent(), registration: null })
  mockedSignUp.mockRejectedValue(new ApiError('NOT_ELIGIBLE', '本活动仅限主办工会的会员报名', 403))
  const { container } = await mountPage(<EventView eventId={7} />)
  await formReady(container)

  typeInto(container, '.signup-nickname', '运河边的风')
  await tap(container, '.signup-gender-male')
  await pick(container, '.signup-birth-year', 2015 - 1996)
  await tap(container, '.signup-submit')

  expect(await screen.findByText('本活动仅限主办工会的会员报名')).toBeTruthy()
  expect(container.querySelector('.signup-form')).not.toBeNull()
})

test('an age range outside the picked year is explained before asking the server', async () => {
  mockedEvent.mockResolvedValue({
    event: anEvent({ minBirthYear: 1990, maxBirthYear: 2000 }),
    registration: null,
  })
  const { container } = await mountPage(<EventView eventId={7} />)
  await formReady(container)

  typeInto(container, '.signup-nickname', '老李')
  await tap(container, '.signup-gender-male')
  await pick(container, '.signup-birth-year', 2015 - 1985)
  await tap(container, '.signup-submit')

  expect(screen.getByText('本次活动仅限 1990–2000 年出生的职工报名')).toBeTruthy()
  expect(mockedSignUp).not.toHaveBeenCalled()
})

test('a confirmed member cancels after a warning that the waitlist moves up', async () => {
  const confirmed = aRegistration()
  mockedEvent
    .mockResolvedValueOnce({ event: anEvent(), registration: confirmed })
    .mockResolvedValue({
      event: anEvent(),
      registration: { ...confirmed, status: 'cancelled' },
    })
  mockedCancel.mockResolvedValue({ ...confirmed, status: 'cancelled' })
  showModal.mockResolvedValue({ confirm: true, cancel: false, errMsg: 'showModal:ok' })
  const { container } = await mountPage(<EventView eventId={7} />)

  expect(await screen.findByText('报名成功')).toBeTruthy()
  // Confirmed but not checked in: the check-in panel is there.
  expect(container.querySelector('.checkin-panel')).not.toBeNull()
  await tap(container, '.registration-cancel')

  expect(showModal).toHaveBeenCalledWith(
    expect.objectContaining({ content: expect.stringContaining('自动让给候补队列中的第一位') }),
  )
  expect(mockedCancel).toHaveBeenCalledWith(7)
  expect(await screen.findByText('你已取消报名，如需参加可以重新报名。')).toBeTruthy()
  expect(container.querySelector('.signup-form')).not.toBeNull()
})

test('nothing is cancelled when the member thinks again', async () => {
  mockedEvent.mockResolvedValue({ event: anEvent(), registration: aRegistration() })
  showModal.mockResolvedValue({ confirm: false, cancel: true, errMsg: 'showModal:ok' })
  const { container } = await mountPage(<EventView eventId={7} />)
  await screen.findByText('报名成功')

  await tap(container, '.registration-cancel')
  await waitFor(() => expect(showModal).toHaveBeenCalled())
  expect(mockedCancel).not.toHaveBeenCalled()
  expect(screen.getByText('报名成功')).toBeTruthy()
})

/** Flips the Taro switch `selector` (H5 renders <taro-switch-core>) to `value`. */
async function toggle(container: HTMLElement, selector: string, value: boolean) {
  const element = container.querySelector(selector)
  const core = element?.closest('taro-switch-core') ?? element?.querySelector('taro-switch-core')
  const target = core ?? element
  if (!target) throw new Error(`no switch at ${selector}`)
  await act(async () => {
    fireEvent(target, new CustomEvent('change', { detail: { value } }))
  })
}

test('the form says what other attendees see; gender and birth year are shown only when switched on', async () => {
  const shown = aRegistration({
    profile: {
      nickname: '运河边的风',
      gender: 'male',
      birthYear: 1996,
      intro: '喜欢骑车',
      showDetails: true,
    },
  })
  mockedEvent
    .mockResolvedValueOnce({ event: anEvent(), registration: null })
    .mockResolvedValue({ event: anEvent(), registration: shown })
  mockedSignUp.mockResolvedValue(shown)
  const { container } = await mountPage(<EventView eventId={7} />)
  await formReady(container)

  expect(container.querySelector('.signup-note')?.textContent).toBe(
    '其他参加者只会看到你的昵称和自我介绍；性别和出生年份只有主办方工作人员能看到，除非你在下方选择向其他参加者展示。你的姓名和会员号不会展示给任何参加者。',
  )
  expect(screen.getByText('向其他参加者展示我的性别和出生年份')).toBeTruthy()
  // Off unless the member switches it on.
  const switchEl = container.querySelector('.signup-show-details')
  expect(switchEl).not.toBeNull()
  expect(
    screen.getByText('其他参加者将看到：昵称、自我介绍（不展示性别和出生年份）。'),
  ).toBeTruthy()

  await toggle(container, '.signup-show-details', true)
  expect(screen.getByText('其他参加者将看到：昵称、自我介绍、性别、出生年份。')).toBeTruthy()

  typeInto(container, '.signup-nickname', '运河边的风')
  await tap(container, '.signup-gender-male')
  await pick(container, '.signup-birth-year', 2015 - 1996)
  typeInto(container, '.signup-intro', '喜欢骑车')
  await tap(container, '.signup-submit')

  expect(mockedSignUp).toHaveBeenCalledWith(
    7,
    {
      nickname: '运河边的风',
      gender: 'male',
      birthYear: 1996,
      intro: '喜欢骑车',
      showDetails: true,
    },
    { idempotencyKey: expect.stringMatching(/\S{8,}/) },
  )
  expect(await screen.findByText('报名成功')).toBeTruthy()
  expect(screen.getByText('其他参加者能看到你的昵称、自我介绍、性别和出生年份。')).toBeTruthy()
})

test('left off, the switch signs up with showDetails false and the registration says so', async () => {
  const hidden = aRegistration()
  mockedEvent
    .mockResolvedValueOnce({ event: anEvent(), registration: null })
    .mockResolvedValue({ event: anEvent(), registration: hidden })
  mockedSignUp.mockResolvedValue(hidden)
  const { container } = await mountPage(<EventView eventId={7} />)
  await formReady(container)

  typeInto(container, '.signup-nickname', '运河边的风')
  await tap(container, '.signup-gender-male')
  await pick(container, '.signup-birth-year', 2015 - 1996)
  await tap(container, '.signup-submit')

  expect(mockedSignUp).toHaveBeenCalledWith(
    7,
    expect.objectContaining({ showDetails: false }),
    expect.anything(),
  )
  expect(await screen.findByText('报名成功')).toBeTruthy()
  expect(screen.getByText('其他参加者只能看到你的昵称和自我介绍。')).toBeTruthy()
})
