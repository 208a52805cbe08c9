import { useEffect, useRef } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { EmptyState, ErrorState, KeptNotice, LoadingState } from '@/components/page-state'
import { formatDateTime } from '@/services/time'
import { statusNow, timeNote, useMinuteClock } from '@/features/cooling/format'
import { savedQuantities, usePackStore } from '@/features/cooling/pack-store'
import { addBlock, pieceCount, quotaUsed } from '@/features/cooling/rules'
import { DeliveryForm } from '@/features/cooling/components/delivery-form'
import { ItemRow } from '@/features/cooling/components/item-row'
import { PackSummary } from '@/features/cooling/components/pack-summary'
import { QuotaMeter } from '@/features/cooling/components/quota-meter'
import './cooling.scss'

/** Props of the campaign page. */
export interface CampaignViewProps {
  campaignId: number
}

async function askReceive() {
  const { confirm } = await Taro.showModal({
    title: '确认收货',
    content: '确认已经收到清凉大礼包了吗？',
    confirmText: '已收到',
    confirmColor: '#d4380d',
    cancelText: '还没有',
  })
  if (confirm) await usePackStore.getState().confirmReceived()
}

/**
 * One campaign. While it is open: the supplies with steppers, the live quota meter, the delivery
 * form and 提交礼包 / 保存修改. After closing (or once shipped): the pack, read-only, with its
 * timeline and 确认收货.
 */
export function CampaignView({ campaignId }: CampaignViewProps) {
  const store = usePackStore()
  const { campaign, pack, status, error, keptAt, load } = store
  const now = useMinuteClock()
  const phase = campaign ? statusNow(campaign, now) : null
  const seenPhase = useRef(phase)

  useEffect(() => {
    void load(campaignId)
  }, [campaignId, load])
  useDidShow(() => {
    const s = usePackStore.getState()
    if (s.status === 'ready' && s.campaignId === campaignId) void load(campaignId)
  })
  // The countdown reached the closing time (or the opening time) while the page was open.
  useEffect(() => {
    if (seenPhase.current && phase && phase !== seenPhase.current) void load(campaignId)
    seenPhase.current = phase
  }, [phase, campaignId, load])

  if (status === 'error' && error) {
    return <ErrorState message={error} onRetry={() => void load(campaignId)} />
  }
  if (status !== 'ready' || !campaign || store.campaignId !== campaignId) return <LoadingState />

  const head = (
    <View className="card campaign-head">
      <Text className="campaign-head-title">{campaign.title}</Text>
      <Text className="campaign-union">{campaign.unionName}</Text>
      <Text className={`campaign-time is-${phase}`}>{timeNote(campaign, now)}</Text>
      <Text className="muted">
        {formatDateTime(campaign.opensAt)} 至 {formatDateTime(campaign.closesAt)}
      </Text>
      <Text className="muted">
        每人额度 {campaign.quota}
        {campaign.maxItems !== null ? `，每份最多 ${campaign.maxItems} 件` : ''}
      </Text>
    </View>
  )

  if (phase === 'closed' || (pack && pack.status !== 'submitted')) {
    return (
      <View className="page campaign-page is-closed">
        <KeptNotice keptAt={keptAt} onRetry={() => void load(campaignId)} />
        {head}
        {store.saveError ? <Text className="form-error">{store.saveError}</Text> : null}
        {pack ? (
          <PackSummary
            pack={pack}
            unionName={campaign.unionName}
            receiving={store.receiving}
            onReceive={() => void askReceive().catch(() => undefined)}
          />
        ) : (
          <EmptyState text="活动已截止，你没有清凉礼包" />
        )}
      </View>
    )
  }

  const saved = savedQuantities(pack)
  const readOnly = phase === 'upcoming'
  const used = quotaUsed(campaign, store.quantities)
  return (
    <View className="page campaign-page">
      <KeptNotice keptAt={keptAt} onRetry={() => void load(campaignId)} />
      {head}
      {pack ? (
        <Text className="form-success pack-saved">
          礼包已提交（{formatDateTime(pack.updatedAt)}），截止前可随时修改
        </Text>
      ) : null}
      {readOnly ? (
        <Text className="form-success">活动开始后即可挑选，先看看有哪些清凉物资吧</Text>
      ) : (
        <View className="quota-sticky">
          <QuotaMeter
            used={used}
            quota={campaign.quota}
            pieces={pieceCount(store.quantities)}
            maxItems={campaign.maxItems}
            notice={store.notice}
          />
        </View>
      )}

      <Text className="section-title">清凉物资</Text>
      {campaign.items.map((item) => (
        <ItemRow
          key={item.id}
          item={item}
          quantity={store.quantities[item.id] ?? 0}
          addBlock={addBlock(campaign, item, store.quantities, saved)}
          readOnly={readOnly}
          onStep={(by) => store.step(item.id, by)}
        />
      ))}

      {readOnly ? null : (
        <View>
          <DeliveryForm
            draft={store.delivery}
            sites={store.sites}
            unionName={campaign.unionName}
            errors={store.fieldErrors}
            onChange={store.setDelivery}
          />
          {store.saveError ? (
            <Text className="form-error pack-error">{store.saveError}</Text>
          ) : null}
          <Button
            className={
              store.saving
                ? 'btn btn-primary btn-block pack-submit is-busy'
                : 'btn btn-primary btn-block pack-submit'
            }
            disabled={store.saving || undefined}
            onClick={() => !store.saving && void store.submit()}
          >
            {store.saving ? '提交中…' : pack ? '保存修改' : '提交礼包'}
          </Button>
        </View>
      )}
    </View>
  )
}
