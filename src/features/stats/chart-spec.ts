import type { StatsCoolingCampaign, StatsResponse } from '@/contract/stats'
import type { ChartDatum, ChartSpec } from './chart-types'

export { formatCount, type ChartDatum, type ChartKind, type ChartSpec } from './chart-types'

/** The dashboard's colours: the app's red first; each distinct for the colour-blind in order. */
export const palette = [
  '#d4380d',
  '#1677ff',
  '#fa8c16',
  '#389e0d',
  '#722ed1',
  '#08979c',
  '#c41d7f',
  '#8c8c8c',
]
/** The grey of "not yet / not covered": a ring's remainder. */
const REST = '#d9d9d9'

/** Bars at most per chart: the rest are added up as 其他. */
export const MAX_BARS = 8

/** `87.5%` of a share 0…1; `—` without one. */
export function formatShare(share: number | null): string {
  if (share === null) return '—'
  return `${Math.round(share * 1000) / 10}%`
}

/** The share of `part` in `whole`, or null when the whole is 0. */
export const shareOf = (part: number, whole: number): number | null =>
  whole > 0 ? part / whole : null

const colored = (list: Array<{ name: string; value: number }>): ChartDatum[] =>
  list.map((d, i) => ({ ...d, color: palette[i % palette.length]! }))

/** At most `MAX_BARS` bars, the smallest added up as 其他. */
function topBars(list: Array<{ name: string; value: number }>): ChartDatum[] {
  if (list.length <= MAX_BARS) return colored(list)
  const head = list.slice(0, MAX_BARS - 1)
  const rest = list.slice(MAX_BARS - 1).reduce((s, d) => s + d.value, 0)
  return colored([...head, { name: '其他', value: rest }])
}

export function membersChart(m: StatsResponse['members']): ChartSpec {
  return {
    key: 'members',
    kind: 'ring',
    title: '会员微信绑定',
    unit: '人',
    data: [
      { name: '已绑定微信', value: m.bound, color: palette[0]! },
      { name: '未绑定', value: Math.max(0, m.total - m.bound), color: REST },
    ],
    center: { value: formatShare(shareOf(m.bound, m.total)), label: '绑定率' },
    emptyText: '还没有会员',
  }
}

export function pointsChart(p: StatsResponse['points']): ChartSpec {
  return {
    key: 'points',
    kind: 'bar',
    title: '积分收支',
    unit: '分',
    data: colored([
      { name: '发放', value: p.granted },
      { name: '签到获得', value: p.earned },
      { name: '兑换使用', value: p.redeemed },
      { name: '退回', value: p.refunded },
      { name: '到期清零', value: p.expired },
    ]),
    emptyText: '这段时间没有积分变动',
  }
}

export function mallItemsChart(mall: StatsResponse['mall']): ChartSpec {
  return {
    key: 'mall-items',
    kind: 'bar',
    title: '各商品兑换件数',
    unit: '件',
    data: topBars(mall.items.map((i) => ({ name: i.name, value: i.quantity }))),
    emptyText: '这段时间没有兑换',
  }
}

export function pickupChart(mall: StatsResponse['mall']): ChartSpec {
  return {
    key: 'mall-pickup',
    kind: 'ring',
    title: '兑换领取情况',
    unit: '单',
    data: [
      { name: '已领取', value: mall.fulfilled, color: palette[3]! },
      { name: '逾期未领', value: mall.expired, color: palette[0]! },
      { name: '待领取', value: mall.awaiting, color: palette[2]! },
      { name: '已取消', value: mall.cancelled, color: REST },
    ],
    center: { value: formatShare(mall.pickupRate), label: '领取率' },
    emptyText: '这段时间没有兑换',
  }
}

export function coverageChart(c: StatsCoolingCampaign): ChartSpec {
  return {
    key: `cooling-${c.id}`,
    kind: 'ring',
    title: '礼包覆盖',
    unit: '人',
    data: [
      { name: '自选礼包', value: c.chose, color: palette[0]! },
      { name: '默认礼包', value: c.defaulted, color: palette[2]! },
      { name: '未覆盖', value: c.notCovered, color: REST },
    ],
    center: { value: formatShare(shareOf(c.chose + c.defaulted, c.reach)), label: '覆盖率' },
    emptyText: '还没有应覆盖的会员',
  }
}

export function sitesChart(c: StatsCoolingCampaign): ChartSpec {
  return {
    key: `cooling-sites-${c.id}`,
    kind: 'bar',
    title: '各收货地点礼包数',
    unit: '份',
    data: topBars(c.sites.map((s) => ({ name: s.name, value: s.packs }))),
    emptyText: '还没有礼包',
  }
}

export function eventsChart(e: StatsResponse['events']): ChartSpec {
  return {
    key: 'events',
    kind: 'bar',
    title: '联谊活动参与',
    unit: '',
    data: colored([
      { name: '报名（人）', value: e.signups },
      { name: '签到（人）', value: e.checkins },
      { name: '候补（人）', value: e.waitlisted },
      { name: '送花（朵）', value: e.flowers },
      { name: '牵手（对）', value: e.matches },
    ]),
    emptyText: '这段时间没有活动',
  }
}

export function legalOutcomeChart(l: StatsResponse['legal']): ChartSpec {
  return {
    key: 'legal-outcome',
    kind: 'ring',
    title: '咨询结果',
    unit: '次',
    data: [
      { name: '已完成', value: l.completed, color: palette[3]! },
      { name: '未到场', value: l.noShow, color: palette[0]! },
      { name: '待咨询', value: l.booked, color: palette[1]! },
    ],
    center: {
      value: l.averageRating === null ? '—' : `${l.averageRating.toFixed(1)}分`,
      label: '平均评分',
    },
    emptyText: '这段时间没有预约',
  }
}

export function legalTopicsChart(l: StatsResponse['legal']): ChartSpec {
  return {
    key: 'legal-topics',
    kind: 'bar',
    title: '各类问题预约数',
    unit: '次',
    data: topBars(l.topics.map((t) => ({ name: t.name, value: t.bookings }))),
    emptyText: '这段时间没有预约',
  }
}

export function legalPointsChart(l: StatsResponse['legal']): ChartSpec {
  return {
    key: 'legal-points',
    kind: 'bar',
    title: '各服务点预约数',
    unit: '次',
    data: topBars(l.servicePoints.map((p) => ({ name: p.name, value: p.bookings }))),
    emptyText: '这段时间没有预约',
  }
}
