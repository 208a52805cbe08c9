import Taro from '@tarojs/taro'
import { screen } from '@testing-library/react'
import HomePage from '@/pages/home/index'
import type { TodoItem } from '@/contract/todo'
import { countdownText, dueText, todoText } from '@/features/home/todo-format'
import { me } from '@/services/auth'
import { ApiError } from '@/services/http'
import { getPoints } from '@/services/points'
import { listTodos } from '@/services/todo'
import { aMember, mountPage, showPage, signedInAs, tap } from './render'

jest.mock('@/services/auth')
jest.mock('@/services/points')
jest.mock('@/services/todo')
jest.mock('@/services/notifications', () => ({
  listReminders: jest.fn(() => Promise.resolve([])),
  requestSubscriptions: jest.fn(() => Promise.resolve(null)),
}))
const mockedTodos = jest.mocked(listTodos)

const HOUR = 3_600_000
const inHours = (h: number) => new Date(Date.now() + h * HOUR).toISOString()

/** One of each kind, soonest first (as the server sorts them). */
function someTodos(): TodoItem[] {
  return [
    {
      kind: 'pickup',
      key: 'pickup:10',
      link: '/packages/mall/pages/orders',
      dueAt: inHours(3),
      orderId: 10,
      itemName: '酸梅汤',
      quantity: 2,
      pickupCode: 'AB3DK7MN',
      unionName: '中关村科学城工会',
    },
    {
      kind: 'event',
      key: 'event:7',
      link: '/packages/events/pages/event?id=7',
      dueAt: inHours(30),
      eventId: 7,
      title: '运河联谊',
      venue: '城市绿心',
      state: 'waitlisted',
      waitlistPosition: 3,
    },
    {
      kind: 'cooling',
      key: 'cooling:5',
      link: '/packages/cooling/pages/campaign?id=5',
      dueAt: inHours(3 * 24 + 2),
      campaignId: 5,
      title: '夏送清凉',
    },
    {
      kind: 'points',
      key: 'points',
      link: '/pages/points/index',
      dueAt: inHours(10 * 24),
      points: 42,
    },
  ]
}

let navigateTo: jest.SpyInstance
let switchTab: jest.SpyInstance

beforeEach(() => {
  jest.mocked(getPoints).mockResolvedValue({ balance: 100, expiring: [] })
  const member = aMember({ name: '张三' })
  jest.mocked(me).mockResolvedValue({ member })
  signedInAs(member)
  mockedTodos.mockReset()
  navigateTo = jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' })
  switchTab = jest.spyOn(Taro, 'switchTab').mockResolvedValue({ errMsg: 'switchTab:ok' })
})

afterEach(() => {
  navigateTo.mockRestore()
  switchTab.mockRestore()
})

test('lists the 待办 soonest first, each saying what and when, above the service tiles', async () => {
  mockedTodos.mockResolvedValue(someTodos())
  const { container } = await mountPage(<HomePage />)
  await showPage()

  expect(await screen.findByText('领取「酸梅汤」×2')).toBeTruthy()
  expect(screen.getByText('提货码 AB3DK7MN · 中关村科学城工会')).toBeTruthy()
  expect(screen.getByText('「运河联谊」候补中')).toBeTruthy()
  expect(screen.getByText('候补第 3 位，有空位会自动转为报名成功')).toBeTruthy()
  expect(screen.getByText('挑选清凉礼包：夏送清凉')).toBeTruthy()
  expect(screen.getByText('还剩 3 天截止，不选将发默认礼包')).toBeTruthy()
  expect(screen.getByText('42 积分即将过期')).toBeTruthy()
  // Labels in words, not colour alone; in the server's order.
  const labels = Array.from(container.querySelectorAll('.home-todo-label')).map(
    (e) => e.textContent,
  )
  expect(labels).toEqual(['取货', '活动', '清凉', '积分'])
  // The list comes before the service tiles.
  const todos = container.querySelector('.home-todos') as Element
  const grid = container.querySelector('.home-grid') as Element
  expect(todos.compareDocumentPosition(grid) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy()
})

test('each row opens its page; points open the 积分 tab', async () => {
  mockedTodos.mockResolvedValue(someTodos())
  const { container } = await mountPage(<HomePage />)
  await showPage()
  await screen.findByText('挑选清凉礼包：夏送清凉')

  await tap(container, '.home-todo-cooling')
  expect(navigateTo).toHaveBeenCalledWith({ url: '/packages/cooling/pages/campaign?id=5' })
  await tap(container, '.home-todo-points')
  expect(switchTab).toHaveBeenCalledWith({ url: '/pages/points/index' })
})

test('nothing to do: says all is done', async () => {
  mockedTodos.mockResolvedValue([])
  await mountPage(<HomePage />)
  await showPage()

  expect(await screen.findByText('事情都办完了，暂时没有待办')).toBeTruthy()
})

test('a failed load says so and 重试 loads again', async () => {
  mockedTodos.mockRejectedValueOnce(new ApiError('FORBIDDEN', '没有权限'))
  const { container } = await mountPage(<HomePage />)
  await showPage()

  expect(await screen.findByText('没有权限')).toBeTruthy()
  mockedTodos.mockResolvedValueOnce([])
  await tap(container, '.home-todo-retry')
  expect(await screen.findByText('事情都办完了，暂时没有待办')).toBeTruthy()
  expect(mockedTodos).toHaveBeenCalledTimes(2)
})

describe('how a 待办 reads', () => {
  // 2026-12-02 10:00 in Shanghai.
  const now = new Date('2026-12-02T02:00:00.000Z')
  const base = { key: 'k', link: '/x' }

  test('times: today, tomorrow, later; the countdown to a close', () => {
    expect(dueText('2026-12-02T10:30:00.000Z', now)).toBe('今天 18:30')
    expect(dueText('2026-12-02T16:30:00.000Z', now)).toBe('明天 00:30')
    expect(dueText('2026-12-09T01:00:00.000Z', now)).toBe('12月9日 09:00')
    expect(countdownText('2026-12-05T03:00:00.000Z', now)).toBe('还剩 3 天')
    expect(countdownText('2026-12-02T07:30:00.000Z', now)).toBe('还剩 5 小时')
    expect(countdownText('2026-12-02T02:20:00.000Z', now)).toBe('不到 1 小时')
    expect(countdownText('2026-12-02T01:00:00.000Z', now)).toBe('已截止')
  })

  test('each event state, the appointment and expiring points', () => {
    const event = {
      ...base,
      kind: 'event' as const,
      eventId: 7,
      title: '运河联谊',
      venue: '城市绿心',
      dueAt: '2026-12-03T06:00:00.000Z',
    }
    expect(todoText({ ...event, state: 'checkin' }, now)).toEqual({
      label: '活动',
      title: '参加「运河联谊」',
      detail: '城市绿心 · 到场后签到',
      when: '明天 14:00 开始',
    })
    expect(todoText({ ...event, state: 'flowers' }, now).title).toBe('「运河联谊」正在送花')
    expect(todoText({ ...event, state: 'matched', matchCount: 2 }, now).title).toBe(
      '「运河联谊」有 2 位与你互送了花',
    )
    const legal = todoText(
      {
        ...base,
        kind: 'legal',
        bookingId: 3,
        lawyerName: '李明',
        servicePointName: '万达工作站',
        topicName: '劳动合同',
        dueAt: '2026-12-02T06:00:00.000Z',
      },
      now,
    )
    expect(legal).toEqual({
      label: '咨询',
      title: '法律咨询：劳动合同',
      detail: '李明 律师 · 万达工作站',
      when: '今天 14:00 开始',
    })
    expect(
      todoText({ ...base, kind: 'points', points: 42, dueAt: '2026-12-12T15:59:59.999Z' }, now)
        .when,
    ).toBe('12月12日 23:59 起过期')
  })
})
