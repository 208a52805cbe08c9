import { useEffect } from 'react'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import type { CoolingCampaign } from '@/contract/cooling'
import { packStatusLabels } from '@/features/cooling/labels'
import { EmptyState, ErrorState, KeptNotice } from '@/components/page-state'
import { openPage } from '@/services/navigate'
import { formatDateTime } from '@/services/time'
import {
  campaignStatusLabels,
  statusNow,
  timeNote,
  useMinuteClock,
} from '@/features/cooling/format'
import { useCampaignsStore } from '@/features/cooling/store'
import { coolingUrls } from '@/features/cooling/urls'
import './cooling.scss'

function packNote(campaign: CoolingCampaign, closed: boolean): string {
  if (campaign.packStatus) return `我的礼包：${packStatusLabels[campaign.packStatus]}`
  return closed ? '我的礼包：未领取' : '我的礼包：还没有选择'
}

function CampaignCard({ campaign, now }: { campaign: CoolingCampaign; now: number }) {
  const status = statusNow(campaign, now)
  return (
    <View
      className={`card campaign-card is-${status}`}
      onClick={() => void openPage(coolingUrls.campaign(campaign.id))}
    >
      <View className="campaign-card-head">
        <Text className="campaign-title">{campaign.title}</Text>
        <Text className={`campaign-status is-${status}`}>{campaignStatusLabels[status]}</Text>
      </View>
      <Text className="campaign-union">{campaign.unionName}</Text>
      <Text className={`campaign-time is-${status}`}>{timeNote(campaign, now)}</Text>
      {status === 'open' ? (
        <Text className="muted">截止时间：{formatDateTime(campaign.closesAt)}</Text>
      ) : null}
      <View className="campaign-card-foot">
        <Text className={`campaign-pack is-${campaign.packStatus ?? 'none'}`}>
          {packNote(campaign, status === 'closed')}
        </Text>
        <Text className="campaign-go">
          {status === 'open' ? (campaign.packStatus ? '修改 ›' : '去挑选 ›') : '查看 ›'}
        </Text>
      </View>
    </View>
  )
}

/** 清凉大礼包: open campaigns with a live countdown, then closed ones with the pack's status. */
export function CampaignsView() {
  const { campaigns, status, error, keptAt, load } = useCampaignsStore()
  const now = useMinuteClock()

  useEffect(() => {
    void load()
  }, [load])
  useDidShow(() => {
    if (useCampaignsStore.getState().status === 'ready') void load()
  })
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh())
  })

  if (status === 'error' && error) return <ErrorState message={error} onRetry={() => void load()} />

  const open = campaigns.filter((c) => statusNow(c, now) !== 'closed')
  const closed = campaigns.filter((c) => statusNow(c, now) === 'closed')
  return (
    <View className="page cooling">
      <KeptNotice keptAt={keptAt} onRetry={() => void load()} />
      <View className="cooling-banner">
        <Text className="cooling-banner-title">夏送清凉 · 清凉大礼包</Text>
        <Text className="cooling-banner-note">
          在额度内自选清凉物资，可到工会自取或配送到工作地点
        </Text>
      </View>
      {status !== 'ready' ? (
        [0, 1].map((i) => <View key={i} className="skeleton campaign-skeleton" />)
      ) : campaigns.length === 0 ? (
        <EmptyState text="你所在的工会暂时没有清凉活动" />
      ) : (
        <View>
          {open.length ? <Text className="section-title">进行中</Text> : null}
          {open.map((c) => (
            <CampaignCard key={c.id} campaign={c} now={now} />
          ))}
          {closed.length ? <Text className="section-title">已截止</Text> : null}
          {closed.map((c) => (
            <CampaignCard key={c.id} campaign={c} now={now} />
          ))}
        </View>
      )}
    </View>
  )
}
