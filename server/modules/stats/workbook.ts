import type { Readable } from 'node:stream'
import type { StatsResponse } from '../../../src/contract/stats'
import { xlsxStream, type SheetRow } from '../../lib/xlsx'

const HEADER = ['板块', '项目', '指标', '数值'] as const

/** A share as a percentage with one decimal (`87.5%`), or `—` when there is none. */
const percent = (v: number | null) => (v === null ? '—' : `${Math.round(v * 1000) / 10}%`)

/**
 * The figures of the page as rows of one sheet, one figure a row (板块 · 项目 · 指标 · 数值), so
 * that a spreadsheet can filter and pivot them; the same numbers the page shows.
 */
export function statsRows(s: StatsResponse): SheetRow[] {
  const out: SheetRow[] = [{ cells: [...HEADER], bold: true }]
  const add = (section: string, item: string, metric: string, value: string | number) =>
    out.push({ cells: [section, item, metric, value] })
  add('范围', s.union.name, '统计期间', `${s.from} 至 ${s.to}`)
  add('会员', '全部', '会员人数', s.members.total)
  add('会员', '全部', '已绑定微信', s.members.bound)
  const p = s.points
  add('积分', '全部', '发放积分', p.granted)
  add('积分', '全部', '活动签到获得', p.earned)
  add('积分', '全部', '兑换使用', p.redeemed)
  add('积分', '全部', '退回', p.refunded)
  add('积分', '全部', '到期清零', p.expired)
  const m = s.mall
  add('积分商城', '全部', '兑换订单', m.orders)
  add('积分商城', '全部', '兑换件数', m.quantity)
  add('积分商城', '全部', '已领取', m.fulfilled)
  add('积分商城', '全部', '逾期未领', m.expired)
  add('积分商城', '全部', '已取消', m.cancelled)
  add('积分商城', '全部', '待领取', m.awaiting)
  add('积分商城', '全部', '领取率', percent(m.pickupRate))
  for (const i of m.items) {
    add('积分商城', i.name, '兑换订单', i.orders)
    add('积分商城', i.name, '兑换件数', i.quantity)
    add('积分商城', i.name, '使用积分', i.points)
    add('积分商城', i.name, '已领取', i.fulfilled)
  }
  for (const c of s.cooling.campaigns) {
    const name = `${c.title}（${c.unionName}）`
    add('夏送清凉', name, '应覆盖会员', c.reach)
    add('夏送清凉', name, '自选礼包', c.chose)
    add('夏送清凉', name, '默认礼包', c.defaulted)
    add('夏送清凉', name, '未覆盖', c.notCovered)
    add('夏送清凉', name, '已发货', c.shipped)
    add('夏送清凉', name, '已签收', c.received)
    for (const site of c.sites) add('夏送清凉', name, `送往：${site.name}`, site.packs)
  }
  const e = s.events
  add('联谊活动', '全部', '活动场次', e.events)
  add('联谊活动', '全部', '报名人数', e.signups)
  add('联谊活动', '全部', '签到人数', e.checkins)
  add('联谊活动', '全部', '候补人数', e.waitlisted)
  add('联谊活动', '全部', '送出鲜花', e.flowers)
  add('联谊活动', '全部', '牵手成功（对）', e.matches)
  for (const ev of e.list) {
    add('联谊活动', ev.title, '报名人数', ev.signups)
    add('联谊活动', ev.title, '签到人数', ev.checkins)
    add('联谊活动', ev.title, '候补人数', ev.waitlisted)
    add('联谊活动', ev.title, '送出鲜花', ev.flowers)
    add('联谊活动', ev.title, '牵手成功（对）', ev.matches)
  }
  const l = s.legal
  add('法律咨询', '全部', '预约', l.bookings)
  add('法律咨询', '全部', '待咨询', l.booked)
  add('法律咨询', '全部', '已完成', l.completed)
  add('法律咨询', '全部', '未到场', l.noShow)
  add('法律咨询', '全部', '已取消', l.cancelled)
  add('法律咨询', '全部', '评价数', l.ratings)
  add('法律咨询', '全部', '平均评分', l.averageRating ?? '—')
  for (const t of l.topics) add('法律咨询', `问题类型：${t.name}`, '预约', t.bookings)
  for (const sp of l.servicePoints) {
    add('法律咨询', `服务点：${sp.name}`, '预约', sp.bookings)
    add('法律咨询', `服务点：${sp.name}`, '已完成', sp.completed)
    add('法律咨询', `服务点：${sp.name}`, '未到场', sp.noShow)
  }
  return out
}

/** The figures as an .xlsx of one sheet, 数据看板. */
export function statsXlsx(s: StatsResponse): Readable {
  return xlsxStream({ name: '数据看板', widths: { 板块: 12, 项目: 36, 指标: 18, 数值: 24 } }, [
    statsRows(s),
  ])
}
