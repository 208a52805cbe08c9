import { useEffect, useState, type ReactNode } from 'react'
import Taro from '@tarojs/taro'
import { Button, Picker, Text, View } from '@tarojs/components'
import type { Member } from '@/contract/auth'
import type { StatsCoolingCampaign, StatsResponse } from '@/contract/stats'
import { ErrorState, LoadingState } from '@/components/page-state'
import { UnionPicker, useUnionTree } from '@/components/form/union-picker'
import { errorMessage } from '@/services/http'
import { openStatsXlsx } from '@/services/stats'
import { formatDate } from '@/services/time'
import {
  coverageChart,
  eventsChart,
  formatCount,
  formatShare,
  legalOutcomeChart,
  legalPointsChart,
  legalTopicsChart,
  mallItemsChart,
  membersChart,
  pickupChart,
  pointsChart,
  shareOf,
  sitesChart,
} from '@/features/stats/chart-spec'
import { periodPresets, periodText } from '@/features/stats/period'
import { useStatsStore } from '@/features/stats/store'
import { StatsChart } from './stats-chart'
import './stats.scss'

/** Props of the dashboard. */
export interface StatsDashboardProps {
  /** The signed-in staff member or admin. */
  member: Member
}

/** A big number with what it is, for the overview at the top. */
function Tile({ value, label }: { value: string; label: string }) {
  return (
    <View className="stats-tile">
      <Text className="stats-tile-value">{value}</Text>
      <Text className="stats-tile-label">{label}</Text>
    </View>
  )
}

/** A titled block of the page. */
function Section({ title, note, children }: { title: string; note?: string; children: ReactNode }) {
  return (
    <View className="card stats-section">
      <Text className="stats-section-title">{title}</Text>
      {note ? <Text className="stats-section-note">{note}</Text> : null}
      {children}
    </View>
  )
}

function Overview({ stats }: { stats: StatsResponse }) {
  return (
    <View className="card stats-tiles">
      <Tile value={formatCount(stats.members.total)} label="会员（人）" />
      <Tile value={formatCount(stats.points.granted)} label="发放积分" />
      <Tile value={formatCount(stats.mall.orders)} label="兑换订单" />
      <Tile value={formatCount(stats.events.signups)} label="活动报名（人）" />
      <Tile value={formatCount(stats.events.matches)} label="牵手成功（对）" />
      <Tile value={formatCount(stats.legal.completed)} label="法律咨询（次）" />
    </View>
  )
}

function CampaignBlock({ campaign }: { campaign: StatsCoolingCampaign }) {
  return (
    <View className="stats-campaign">
      <Text className="stats-campaign-title">
        {campaign.title}（{campaign.unionName}）
      </Text>
      <Text className="stats-campaign-note">
        {formatDate(campaign.opensAt)} 至 {formatDate(campaign.closesAt)}
        {campaign.closed ? ' · 已截止' : ' · 进行中'} · 应覆盖 {formatCount(campaign.reach)} 人 ·
        已发货 {formatCount(campaign.shipped)} 份 · 已签收 {formatCount(campaign.received)} 份
      </Text>
      <StatsChart spec={coverageChart(campaign)} />
      <StatsChart spec={sitesChart(campaign)} />
    </View>
  )
}

/**
 * 数据看板: a union's subtree (pick one; admins also 全部工会) over a period (本月, 本季度, 今年,
 * 去年, or any two days), its figures as charts with every number written beside them, and
 * 导出 Excel of the same figures.
 */
export function StatsDashboard({ member }: StatsDashboardProps) {
  const store = useStatsStore()
  const { stats, status, error, period, preset, unionId } = store
  const tree = useUnionTree(member)
  const isAdmin = member.roles.includes('admin')
  const [exporting, setExporting] = useState(false)

  // Fresh figures each time the page opens; the last ones stay on screen meanwhile.
  useEffect(() => {
    void useStatsStore.getState().load()
  }, [])

  const exportXlsx = async () => {
    if (!stats) return
    setExporting(true)
    try {
      const saved = await openStatsXlsx({ unionId, ...period }, stats.union.name)
      if (saved.kind === 'downloaded') {
        Taro.showToast({ title: '已开始下载', icon: 'success' }).catch(() => undefined)
      }
    } catch (e) {
      Taro.showToast({ title: errorMessage(e), icon: 'none', duration: 3000 }).catch(
        () => undefined,
      )
    } finally {
      setExporting(false)
    }
  }

  const shownUnion = unionId ?? (isAdmin ? null : (member.staffUnionId ?? null))

  return (
    <View className="page stats-page">
      <View className="card stats-filters">
        <UnionPicker
          label="统计范围（含下级工会）"
          rows={tree.mine}
          value={shownUnion}
          onChange={(id) => store.setUnion(id ?? undefined)}
          noneLabel={isAdmin ? '全部工会' : undefined}
          placeholder={stats?.union.name ?? member.unionName}
          valueClassName="stats-union-value"
        />
        <View className="stats-presets">
          {periodPresets.map((p) => (
            <Button
              key={p.key}
              className={p.key === preset ? 'btn stats-preset is-active' : 'btn stats-preset'}
              onClick={() => store.setPreset(p.key)}
            >
              {p.label}
            </Button>
          ))}
        </View>
        <View className="stats-days">
          <Picker
            mode="date"
            value={period.from}
            end={period.to}
            onChange={(e) => store.setDay('from', String(e.detail.value))}
          >
            <View className="picker-value stats-day">从 {period.from} ▾</View>
          </Picker>
          <Picker
            mode="date"
            value={period.to}
            start={period.from}
            onChange={(e) => store.setDay('to', String(e.detail.value))}
          >
            <View className="picker-value stats-day">到 {period.to} ▾</View>
          </Picker>
        </View>
        <Text className="stats-period">{periodText(period)}</Text>
        <Button
          className={
            exporting
              ? 'btn btn-ghost btn-block stats-export is-busy'
              : 'btn btn-ghost btn-block stats-export'
          }
          disabled={!stats || exporting || undefined}
          onClick={() => void exportXlsx()}
        >
          {exporting ? '正在导出…' : '导出 Excel'}
        </Button>
      </View>

      {status === 'error' && error ? (
        <ErrorState message={error} onRetry={() => void store.load()} />
      ) : !stats ? (
        <LoadingState text="正在统计…" />
      ) : (
        <View className={status === 'loading' ? 'stats-body is-updating' : 'stats-body'}>
          {status === 'loading' ? <Text className="stats-updating">更新中…</Text> : null}
          <Text className="stats-scope">
            {stats.union.name} · {periodText(stats)}
          </Text>
          <Overview stats={stats} />

          <Section title="会员" note="会员人数为当前人数，不随统计期间变化">
            <StatsChart spec={membersChart(stats.members)} />
          </Section>

          <Section title="积分">
            <StatsChart spec={pointsChart(stats.points)} />
          </Section>

          <Section
            title="积分商城"
            note={`兑换 ${formatCount(stats.mall.orders)} 单、${formatCount(stats.mall.quantity)} 件，用去 ${formatCount(stats.mall.points)} 积分；领取率 ${formatShare(stats.mall.pickupRate)}（不含待领取）`}
          >
            <StatsChart spec={pickupChart(stats.mall)} />
            <StatsChart spec={mallItemsChart(stats.mall)} />
          </Section>

          <Section title="夏送清凉" note="统计期间内开放过的活动；覆盖情况为当前数据">
            {stats.cooling.campaigns.length === 0 ? (
              <Text className="stats-chart-empty">这段时间没有清凉活动</Text>
            ) : (
              stats.cooling.campaigns.map((c) => <CampaignBlock key={c.id} campaign={c} />)
            )}
          </Section>

          <Section
            title="联谊活动"
            note={`${formatCount(stats.events.events)} 场活动（按开始时间统计）`}
          >
            <StatsChart spec={eventsChart(stats.events)} />
            {stats.events.list.map((e) => (
              <View key={e.id} className="stats-event">
                <Text className="stats-event-title">{e.title}</Text>
                <Text className="stats-event-figures">
                  {formatDate(e.startsAt)} · 报名 {e.signups} · 签到 {e.checkins}
                  {e.signups > 0 ? `（${formatShare(shareOf(e.checkins, e.signups))}）` : ''} · 候补{' '}
                  {e.waitlisted} · 送花 {e.flowers} · 牵手 {e.matches} 对
                </Text>
              </View>
            ))}
          </Section>

          <Section
            title="法律咨询"
            note={`预约 ${formatCount(stats.legal.bookings)} 次（另有取消 ${formatCount(stats.legal.cancelled)} 次），${stats.legal.ratings} 次评价`}
          >
            <StatsChart spec={legalOutcomeChart(stats.legal)} />
            <StatsChart spec={legalTopicsChart(stats.legal)} />
            <StatsChart spec={legalPointsChart(stats.legal)} />
          </Section>
        </View>
      )}
    </View>
  )
}
