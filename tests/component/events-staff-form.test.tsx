import Taro from '@tarojs/taro'
import { act, fireEvent, screen, waitFor } from '@testing-library/react'
import { EventForm } from '@/features/events/staff/event-form'
import { useUnionsStore } from '@/components/form/unions-store'
import { createEvent } from '@/services/events'
import { listUnions } from '@/services/org'
import { aMember, mountPage, signedInAs, tap, typeInto } from './render'
import { aStaffEvent } from './events-fixtures'

jest.mock('@/services/events')
jest.mock('@/services/org')
const mockedCreate = jest.mocked(createEvent)
const mockedUnions = jest.mocked(listUnions)

// The form's pickers and inputs are heavy in jsdom: room for a machine under load.
jest.setTimeout(20_000)

// 石景山 staff: 石景山 and its enterprise union are theirs; 通州 is not.
const staff = aMember({ memberNo: 'S0101', roles: ['member', 'staff'], staffUnionId: 2 })

beforeEach(() => {
  useUnionsStore.setState({ unions: [], status: 'idle', error: null })
  jest.resetAllMocks()
  mockedUnions.mockResolvedValue([
    { id: 1, name: '北京市总工会', parentId: null },
    { id: 2, name: '石景山区总工会', parentId: 1 },
    { id: 3, name: '通州区总工会', parentId: 1 },
    { id: 4, name: '万达广场联合工会', parentId: 2 },
  ])
  jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' })
  jest.spyOn(Taro, 'redirectTo').mockResolvedValue({ errMsg: 'redirectTo:ok' })
  signedInAs(staff)
})

afterEach(() => {
  jest.restoreAllMocks()
})

async function pick(container: HTMLElement, selector: string, value: string) {
  const picker = container.querySelector(selector)?.closest('taro-picker-core')
  if (!picker) throw new Error(`no picker around ${selector}`)
  await act(async () => {
    fireEvent(picker, new CustomEvent('change', { detail: { value } }))
  })
}

function chip(container: HTMLElement, name: string): HTMLElement {
  const found = Array.from(container.querySelectorAll<HTMLElement>('.host-chip')).find(
    (c) => c.textContent === name,
  )
  if (!found) throw new Error(`no chip ${name}`)
  return found
}

test('says what is missing, then refuses times out of order and hosts outside the scope', async () => {
  const { container } = await mountPage(<EventForm member={staff} />)
  await screen.findByText('石景山区总工会')
  await waitFor(() => expect(container.querySelector('.event-title-input input')).not.toBeNull())

  await tap(container, '.event-save')
  expect(screen.getByText('请填写活动名称')).toBeTruthy()
  expect(screen.getByText('请填写活动地点')).toBeTruthy()
  expect(screen.getByText('请至少选择一个主办工会')).toBeTruthy()
  expect(screen.getByText('请选择报名开始日期')).toBeTruthy()
  expect(screen.getByText('请选择活动结束日期')).toBeTruthy()
  expect(screen.getByText('请填写人数上限')).toBeTruthy()

  typeInto(container, '.event-title-input', '爱在永定河畔')
  typeInto(container, '.event-venue-input', '石景山 万达广场')
  typeInto(container, '.event-capacity-input', '60')
  await tap(chip(container, '通州区总工会'), '*')
  await pick(container, '.event-signupOpensAt-date', '2026-08-01')
  await pick(container, '.event-signupClosesAt-date', '2026-08-20')
  await pick(container, '.event-startsAt-date', '2026-08-10')
  await pick(container, '.event-endsAt-date', '2026-08-10')
  await tap(container, '.event-save')

  expect(screen.getByText('时间须依次为：报名开始 < 报名截止 ≤ 活动开始 < 活动结束')).toBeTruthy()
  expect(screen.getByText('主办工会中至少要有一个是本工会或下级工会')).toBeTruthy()
  expect(mockedCreate).not.toHaveBeenCalled()

  mockedCreate.mockResolvedValue(aStaffEvent({ id: 9 }))
  await tap(chip(container, '石景山区总工会'), '*')
  await pick(container, '.event-startsAt-date', '2026-08-22')
  await pick(container, '.event-endsAt-date', '2026-08-22')
  typeInto(container, '.event-checkinPoints-input', '20')
  await tap(container, '.event-save')

  expect(mockedCreate).toHaveBeenCalledWith(
    {
      title: '爱在永定河畔',
      venue: '石景山 万达广场',
      hostUnionIds: [3, 2],
      signupOpensAt: '2026-08-01T09:00:00+08:00',
      signupClosesAt: '2026-08-20T18:00:00+08:00',
      startsAt: '2026-08-22T14:00:00+08:00',
      endsAt: '2026-08-22T17:30:00+08:00',
      capacity: 60,
      checkinPoints: 20,
    },
    { idempotencyKey: expect.stringMatching(/\S{8,}/) },
  )
  await waitFor(() =>
    expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/packages/staff/pages/event?id=9' }),
  )
})
