import { useEffect } from 'react'
import { useDidShow } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { EmptyState, ErrorState, KeptNotice, LoadingState } from '@/components/page-state'
import { usePointsBalance } from '@/services/points-balance'
import {
  limitLeft,
  maxQuantity,
  saleLabel,
  saleState,
  saleWindowText,
} from '@/features/mall/format'
import { useMallStore } from '@/features/mall/store'
import { useRedeemStore } from '@/features/mall/redeem-store'
import { ItemPicture } from '@/features/mall/components/item-picture'
import { SaleBadge } from '@/features/mall/components/mall-view'
import { RedeemSheet } from '@/features/mall/components/redeem-sheet'
import { RedeemResult } from '@/features/mall/components/redeem-result'
import './mall.scss'

/** Props of the item page. */
export interface ItemViewProps {
  itemId: number
}

/** One item: picture, cost, stock, limit, sale window, pickup place; 立即兑换 opens the sheet. */
export function ItemView({ itemId }: ItemViewProps) {
  const { items, status, error, keptAt, load } = useMallStore()
  const balance = usePointsBalance((s) => s.summary?.balance ?? null)
  const { itemId: sheetItemId, order, open, reset, resume } = useRedeemStore()

  useEffect(() => {
    void load()
  }, [load])
  useDidShow(() => {
    if (useMallStore.getState().status === 'ready') void load()
  })
  // A reload or a killed app: the pickup code shown, or an attempt without an answer, comes back.
  useEffect(() => resume(itemId), [resume, itemId])
  // Leaving the page forgets the sheet and the result.
  useEffect(() => reset, [reset])

  if (order) return <RedeemResult order={order} onDone={reset} />
  if (status === 'error' && error) return <ErrorState message={error} onRetry={() => void load()} />
  if (status !== 'ready' || balance === null) return <LoadingState />

  const item = items.find((i) => i.id === itemId)
  if (!item) return <EmptyState text="商品不存在或已下架" />

  const state = saleState(item)
  const label = saleLabel(state)
  const left = limitLeft(item)
  const reason = label ?? (left === 0 ? '已达兑换上限' : null)
  const canOpen = state.kind === 'on_sale' && maxQuantity(item) > 0

  return (
    <View className="page item-page">
      <KeptNotice keptAt={keptAt} onRetry={() => void load()} />
      <ItemPicture name={item.name} imageUrl={item.imageUrl} className="is-large" />
      <Text className="item-title">{item.name}</Text>
      <Text className="item-cost">{item.pointsCost} 积分</Text>
      <SaleBadge state={state} />
      {item.description ? <Text className="item-desc">{item.description}</Text> : null}

      <View className="card item-info">
        <View className="info-row">
          <Text className="info-key">剩余库存</Text>
          <Text className="info-val">{item.stock} 件</Text>
        </View>
        <View className="info-row">
          <Text className="info-key">每人限兑</Text>
          <Text className="info-val">
            {item.perMemberLimit} 件
            {item.redeemedQuantity ? `（已兑 ${item.redeemedQuantity}）` : ''}
          </Text>
        </View>
        <View className="info-row">
          <Text className="info-key">兑换时间</Text>
          <Text className="info-val">{saleWindowText(item)}</Text>
        </View>
        <View className="info-row">
          <Text className="info-key">领取地点</Text>
          <Text className="info-val">{item.unionName}</Text>
        </View>
        <View className="info-row">
          <Text className="info-key">领取期限</Text>
          <Text className="info-val">兑换后 {item.pickupDays} 天内</Text>
        </View>
      </View>

      <View className="action-bar">
        <View className="action-bar-balance">
          <Text className="mall-balance-label">我的积分</Text>
          <Text className="mall-balance-value">{balance}</Text>
        </View>
        <Button
          className={
            canOpen ? 'btn btn-primary item-redeem' : 'btn btn-primary item-redeem is-disabled'
          }
          disabled={!canOpen || undefined}
          onClick={() => canOpen && open(item.id)}
        >
          {canOpen ? '立即兑换' : (reason ?? '暂不能兑换')}
        </Button>
      </View>

      {sheetItemId === item.id ? <RedeemSheet item={item} balance={balance} /> : null}
    </View>
  )
}
