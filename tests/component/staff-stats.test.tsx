import { act, screen, waitFor } from '@testing-library/react'
import StatsPage from '@/packages/staff/pages/stats'
import type { StatsResponse } from '@/contract/stats'
import { useUnionsStore } from '@/components/form/unions-store'
import { presetPeriod } from '@/features/stats/period'
import { listUnions } from '@/services/org'
import { getStats, openStatsXlsx } from '@/services/stats'
import { aMember, mountPage, signedInAs, tap } from './render'

// 数据看板: the page draws its charts with AntV F2 on a 2D canvas. jsdom has no canvas drawing, so
// F2 is replaced by a recorder of what the page hands it (the canvas' size and the chart's element
// tree with its data); the numbers a person reads are asserted from the rendered page itself.

interface F2Node {
  type: { chartPart: string }
  props: Record<string, unknown> & { children: F2Node[] }
}
const mockCanvases: Array<{ props: { children: F2Node; width: number; height: number } }> = []

jest.mock('@antv/f2', () => {
  const part = (name: string) => Object.assign(function F2Part() {}, { chartPart: name })
  class Canvas {
    props: unknown
    constructor(props: unknown) {
      this.props = props
      mockCanvases.push(this as never)
    }
    render() {
      return Promise.resolve()
    }
    destroy() {}
  }
  return {
    Canvas,
    Chart: part('Chart'),
    Axis: part('Axis'),
    Interval: part('Interval'),
    PieLabel: part('PieLabel'),
    TextGuide: part('TextGuide'),
    jsx: (type: unknown, props: Record<string, unknown>, ...children: unknown[]) => ({
      type,
      props: { ...props, children },
    }),
  }
})
jest.mock('@/services/stats')
jest.mock('@/services/org')
const mockedStats = jest.mocked(getStats)
const mockedXlsx = jest.mocked(openStatsXlsx)
const mockedUnions = jest.mocked(listUnions)

const unions = [
  { id: 1, name: '北京市总工会', parentId: null },
  { id: 2, name: '中关村科学城工会', parentId: 1 },
  { id: 3, name: '小米工会', parentId: 2 },
]

/** The figures of the API test's fixture (tests/api/stats.test.ts). */
const fixture: StatsResponse = {
  union: { id: 2, name: '中关村科学城工会' },
  from: '2026-01-01',
  to: '2026-03-31',
  members: { total: 15, bound: 3 },
  points: { granted: 1050, earned: 30, redeemed: 120, refunded: 30, expired: 40 },
  mall: {
    orders: 5,
    quantity: 6,
    points: 80,
    fulfilled: 2,
    expired: 1,
    cancelled: 1,
    awaiting: 1,
    pickupRate: 2 / 3,
    items: [
      { itemId: 7, name: '保温杯', orders: 3, quantity: 4, points: 40, fulfilled: 2 },
      { itemId: 8, name: '雨伞', orders: 2, quantity: 2, points: 40, fulfilled: 0 },
    ],
  },
  cooling: {
    campaigns: [
      {
        id: 31,
        title: '2026 夏送清凉',
        unionName: '中关村科学城工会',
        opensAt: '2026-02-20T01:00:00.000Z',
        closesAt: '2026-03-10T10:00:00.000Z',
        closed: true,
        reach: 14,
        chose: 6,
        defaulted: 4,
        notCovered: 4,
        shipped: 3,
        received: 1,
        sites: [
          { siteId: null, name: '到工会自取', packs: 7 },
          { siteId: 41, name: '若羌光伏项目部', packs: 2 },
          { siteId: 42, name: '雄安二号工地', packs: 1 },
        ],
      },
    ],
  },
  events: {
    events: 2,
    signups: 10,
    checkins: 5,
    waitlisted: 2,
    flowers: 5,
    matches: 2,
    list: [
      {
        id: 52,
        title: '春日联谊会',
        startsAt: '2026-03-25T11:00:00.000Z',
        signups: 2,
        checkins: 1,
        waitlisted: 0,
        flowers: 0,
        matches: 0,
      },
      {
        id: 51,
        title: '三八联谊会',
        startsAt: '2026-03-20T11:00:00.000Z',
        signups: 8,
        checkins: 4,
        waitlisted: 2,
        flowers: 5,
        matches: 2,
      },
    ],
  },
  legal: {
    bookings: 6,
    booked: 1,
    completed: 4,
    noShow: 1,
    cancelled: 1,
    ratings: 3,
    averageRating: 4,
    topics: [
      { id: 1, name: '劳动合同', bookings: 3, completed: 3, noShow: 0 },
      { id: 2, name: '工伤认定', bookings: 3, completed: 1, noShow: 1 },
    ],
    servicePoints: [
      { id: 61, name: '中关村职工法律服务站', bookings: 4, completed: 2, noShow: 1 },
      { id: 62, name: '线上咨询', bookings: 2, completed: 2, noShow: 0 },
    ],
  },
}

/** The chart elements handed to F2, by their title's data: [name, value] of each bar or slice. */
function drawnData(): Array<Array<[string, number]>> {
  return mockCanvases.map((c) => {
    const chart = c.props.children
    expect(chart.type.chartPart).toBe('Chart')
    return (chart.props.data as Array<{ name: string; value: number }>).map((d) => [
      d.name,
      d.value,
    ])
  })
}

/** The kinds of the chart's parts (Axis, Interval, TextGuide…) in order. */
const partsOf = (canvas: (typeof mockCanvases)[number]) =>
  canvas.props.children.props.children.map((p) => p.type.chartPart)

beforeEach(() => {
  mockCanvases.length = 0
  useUnionsStore.setState({ unions: [], status: 'idle', error: null })
  for (const m of [mockedStats, mockedXlsx, mockedUnions]) m.mockReset()
  mockedUnions.mockResolvedValue(unions)
  mockedStats.mockResolvedValue(fixture)
  mockedXlsx.mockResolvedValue({ kind: 'downloaded', fileName: 'x.xlsx' })
  // jsdom draws nothing: a 2D context that F2 (recorded above) never really uses.
  jest
    .spyOn(HTMLCanvasElement.prototype, 'getContext')
    .mockImplementation(() => ({}) as CanvasRenderingContext2D)
})

async function shown() {
  signedInAs(aMember({ roles: ['member', 'staff'], staffUnionId: 2, unionName: '小米工会' }))
  const page = await mountPage(<StatsPage />)
  await screen.findByText('积分收支')
  return page
}

test('draws every chart with F2 from the figures, and writes every number beside it', async () => {
  await shown()
  expect(mockedStats).toHaveBeenCalledWith({ unionId: undefined, ...presetPeriod('year') })

  // Each chart's data, as handed to F2 (rings leave out empty slices).
  await waitFor(() => expect(mockCanvases.length).toBe(10))
  expect(drawnData()).toEqual([
    [
      ['已绑定微信', 3],
      ['未绑定', 12],
    ],
    [
      ['发放', 1050],
      ['签到获得', 30],
      ['兑换使用', 120],
      ['退回', 30],
      ['到期清零', 40],
    ],
    [
      ['已领取', 2],
      ['逾期未领', 1],
      ['待领取', 1],
      ['已取消', 1],
    ],
    [
      ['保温杯', 4],
      ['雨伞', 2],
    ],
    [
      ['自选礼包', 6],
      ['默认礼包', 4],
      ['未覆盖', 4],
    ],
    [
      ['到工会自取', 7],
      ['若羌光伏项目部', 2],
      ['雄安二号工地', 1],
    ],
    [
      ['报名（人）', 10],
      ['签到（人）', 5],
      ['候补（人）', 2],
      ['送花（朵）', 5],
      ['牵手（对）', 2],
    ],
    [
      ['已完成', 4],
      ['未到场', 1],
      ['待咨询', 1],
    ],
    [
      ['劳动合同', 3],
      ['工伤认定', 3],
    ],
    [
      ['中关村职工法律服务站', 4],
      ['线上咨询', 2],
    ],
  ])
  // Bars carry their value as text at their end; rings a polar stacked interval with labels.
  const points = mockCanvases[1]!
  expect(partsOf(points)).toEqual([
    'Axis',
    'Axis',
    'Interval',
    'TextGuide',
    'TextGuide',
    'TextGuide',
    'TextGuide',
    'TextGuide',
  ])
  expect(points.props.children.props.children.slice(3).map((g) => g.props.content)).toEqual([
    '1,050',
    '30',
    '120',
    '30',
    '40',
  ])
  // Top down in the list's order (a transposed axis starts at the bottom).
  expect((points.props.children.props.scale as { name: { values: string[] } }).name.values).toEqual(
    ['到期清零', '退回', '兑换使用', '签到获得', '发放'],
  )
  const members = mockCanvases[0]!
  expect(partsOf(members)).toEqual(['Interval', 'PieLabel'])
  expect(members.props.children.props.coord).toMatchObject({ type: 'polar', innerRadius: 0.62 })
  expect(members.props.width).toBeGreaterThan(0)
  // Each slice keeps the colour its legend row shows, whichever slices are empty.
  const sliceColor = members.props.children.props.children[0]!.props.color as {
    callback: (name: string) => string
  }
  expect(['已绑定微信', '未绑定'].map(sliceColor.callback)).toEqual(['#d4380d', '#d9d9d9'])

  // The numbers a person reads, without the picture.
  for (const text of [
    '3人（20%）',
    '12人（80%）',
    '1,050分',
    '120分',
    '4件',
    '2单（40%）',
    '66.7%',
    '6人（42.9%）',
    '4人（28.6%）',
    '7份',
    '10',
    '4.0分',
    '3次',
  ]) {
    expect(screen.getAllByText(text).length).toBeGreaterThan(0)
  }
  expect(screen.getByText('2026 夏送清凉（中关村科学城工会）')).toBeTruthy()
  expect(
    screen.getByText('2026年3月20日 · 报名 8 · 签到 4（50%） · 候补 2 · 送花 5 · 牵手 2 对'),
  ).toBeTruthy()
  expect(screen.getByText('中关村科学城工会 · 2026年1月1日 至 3月31日')).toBeTruthy()
})

test('a period preset and 导出 Excel ask for the same figures', async () => {
  const { container } = await shown()
  mockedStats.mockClear()
  const buttons = Array.from(container.querySelectorAll('.stats-preset'))
  const month = buttons.find((b) => b.textContent === '本月')
  expect(month).toBeTruthy()
  await act(async () => {
    ;(month as HTMLElement).click()
  })
  expect(mockedStats).toHaveBeenCalledWith({ unionId: undefined, ...presetPeriod('month') })

  await tap(container, '.stats-export')
  expect(mockedXlsx).toHaveBeenCalledWith(
    { unionId: undefined, ...presetPeriod('month') },
    '中关村科学城工会',
  )
})

test('a chart with nothing to show says so instead of drawing', async () => {
  mockedStats.mockResolvedValue({
    ...fixture,
    mall: {
      ...fixture.mall,
      orders: 0,
      quantity: 0,
      points: 0,
      fulfilled: 0,
      expired: 0,
      cancelled: 0,
      awaiting: 0,
      pickupRate: null,
      items: [],
    },
  })
  await shown()
  await waitFor(() => expect(mockCanvases.length).toBe(8))
  expect(screen.getAllByText('这段时间没有兑换')).toHaveLength(2)
})
