import { useEffect } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import type { CloseCampaignResponse, StaffCoolingCampaign } from '@/contract/cooling'
import { EmptyState, ErrorState, LoadingState } from '@/components/page-state'
import { formatDateTime } from '@/services/time'
import { useStaffCoolingStore } from '@/features/cooling/staff/cooling-store'
import '@/components/staff-list.scss'
import './cooling-staff.scss'

/** Staff pages of the cooling campaigns. */
export const staffCoolingUrls = {
  list: '/packages/staff/pages/cooling',
  form: '/packages/staff/pages/cooling-form',
  sites: '/packages/staff/pages/cooling-sites',
  packingList: (id: number) => `/packages/staff/pages/packing-list?id=${id}`,
}

function go(url: string) {
  Taro.navigateTo({ url }).catch(() => undefined)
}

const statusLabels = { upcoming: '未开始', open: '进行中', closed: '已截止' } as const

async function askClose(campaign: StaffCoolingCampaign) {
  const early = Date.parse(campaign.closesAt) > Date.now()
  const waiting = campaign.counts.notChosen
  const { confirm } = await Taro.showModal({
    title: early ? '提前结束活动' : '结束活动',
    content: `${
      early ? `活动原定 ${formatDateTime(campaign.closesAt)} 截止，确定现在结束吗？` : ''
    }结束后会员不能再修改礼包；还没有选择的 ${waiting} 位会员将获得默认礼包。`,
    confirmText: '确定结束',
    confirmColor: '#d4380d',
    cancelText: '再想想',
  })
  if (confirm) await useStaffCoolingStore.getState().close(campaign.id)
}

/** What closing did: default packs created and, if stock ran short, who is not covered. */
export function CloseResult({ result }: { result: CloseCampaignResponse }) {
  const names = result.notCoveredMembers
    .slice(0, 10)
    .map((m) => `${m.name}（${m.memberNo}）`)
    .join('、')
  return (
    <View className="close-result">
      <Text className="form-success close-created">
        {result.alreadyClosed ? '活动此前已结束，' : '活动已结束，'}
        {result.defaultPacksCreated > 0
          ? `已为 ${result.defaultPacksCreated} 位未选择的会员生成默认礼包`
          : '没有需要生成的默认礼包'}
      </Text>
      {result.notCovered > 0 ? (
        <View className="form-error close-not-covered">
          <Text className="close-not-covered-title">
            库存不足：{result.notCovered} 位会员未能获得默认礼包
          </Text>
          {names ? (
            <Text className="close-not-covered-names">
              {names}
              {result.notCovered > 10 ? ` 等 ${result.notCovered} 人` : ''}，请补充物资后另行安排
            </Text>
          ) : null}
        </View>
      ) : null}
    </View>
  )
}

function CampaignCard({ campaign }: { campaign: StaffCoolingCampaign }) {
  const { closingId, closed, progress } = useStaffCoolingStore()
  const c = campaign.counts
  // Default packs being handed out in batches: the followed progress, else the list's.
  const run =
    progress?.id === campaign.id
      ? progress
      : campaign.close.status === 'running'
        ? { ...campaign.close, error: null }
        : null
  const running = run !== null && run.status === 'running'
  const closing = closingId === campaign.id || running
  // Past its closing time it is closed, but default packs wait for a close (staff or the timer).
  const canClose = campaign.status !== 'closed' || campaign.closedAt === null || running
  useEffect(() => {
    const followed = useStaffCoolingStore.getState().progress
    if (campaign.close.status === 'running' && (!followed || followed.id === campaign.id)) {
      void useStaffCoolingStore.getState().follow(campaign.id)
    }
  }, [campaign.id, campaign.close.status])
  return (
    <View className="card cooling-campaign">
      <View className="staff-item-head">
        <View className="staff-item-main">
          <Text className="staff-item-name">{campaign.title}</Text>
          <Text className="staff-item-meta">{campaign.unionName}</Text>
        </View>
        <Text className={`pickup-status cooling-status is-${campaign.status}`}>
          {statusLabels[campaign.status]}
        </Text>
      </View>
      <Text className="staff-item-meta">
        {formatDateTime(campaign.opensAt)} 至 {formatDateTime(campaign.closesAt)}
      </Text>
      <Text className="staff-item-meta">
        每人额度 {campaign.quota}
        {campaign.maxItems !== null ? ` · 每份最多 ${campaign.maxItems} 件` : ''} · 物资{' '}
        {campaign.items.length} 种
      </Text>
      <View className="cooling-counts">
        {(
          [
            ['members', '覆盖会员', c.members],
            ['chosen', '自选', c.chosen],
            ['default', '默认礼包', c.default],
            ['not-chosen', '未选择', c.notChosen],
            ['shipped', '已发货', c.shipped],
            ['received', '已签收', c.received],
          ] as const
        ).map(([key, label, n]) => (
          <View key={key} className={`cooling-count cooling-count-${key}`}>
            <Text className="cooling-count-value">{n}</Text>
            <Text className="cooling-count-label">{label}</Text>
          </View>
        ))}
      </View>
      {closed?.campaignId === campaign.id ? <CloseResult result={closed.result} /> : null}
      {run && run.status === 'running' ? (
        <Text className="form-success close-progress">
          正在生成默认礼包：已处理 {run.done} / {run.total} 名会员，可以离开本页
        </Text>
      ) : null}
      {run && run.status === 'failed' ? (
        <Text className="form-error close-progress">
          默认礼包未生成完（已处理 {run.done} / {run.total} 名会员）：{run.error ?? '请稍后重试'}
        </Text>
      ) : null}
      <View className="cooling-actions">
        <Button
          className="btn btn-ghost cooling-packing"
          onClick={() => go(staffCoolingUrls.packingList(campaign.id))}
        >
          装箱单
        </Button>
        {canClose ? (
          <Button
            className={
              closing ? 'btn btn-primary cooling-close is-busy' : 'btn btn-primary cooling-close'
            }
            disabled={closing || undefined}
            onClick={() => !closing && void askClose(campaign).catch(() => undefined)}
          >
            {running
              ? '生成中…'
              : closing
                ? '处理中…'
                : campaign.status === 'closed'
                  ? '生成默认礼包'
                  : '结束活动'}
          </Button>
        ) : null}
      </View>
    </View>
  )
}

/** 夏送清凉 (staff): campaigns with counts, 装箱单 and 结束活动; 新建活动 and 收货地点. */
export function CoolingAdmin() {
  const { campaigns, status, error, load } = useStaffCoolingStore()

  useEffect(() => {
    void load()
    const store = useStaffCoolingStore.getState()
    store.setFollowing(true)
    return () => store.setFollowing(false)
  }, [load])
  useDidShow(() => {
    if (useStaffCoolingStore.getState().status === 'ready') void load()
  })

  if (status === 'error' && error) return <ErrorState message={error} onRetry={() => void load()} />
  if (status !== 'ready') return <LoadingState />

  return (
    <View className="page staff-cooling">
      <View className="cooling-actions">
        <Button className="btn btn-primary cooling-new" onClick={() => go(staffCoolingUrls.form)}>
          新建活动
        </Button>
        <Button className="btn btn-ghost cooling-sites" onClick={() => go(staffCoolingUrls.sites)}>
          收货地点
        </Button>
      </View>
      <Text className="section-title">清凉活动（{campaigns.length}）</Text>
      {campaigns.length === 0 ? <EmptyState text="还没有清凉活动，点上方按钮新建" /> : null}
      {campaigns.map((campaign) => (
        <CampaignCard key={campaign.id} campaign={campaign} />
      ))}
    </View>
  )
}
