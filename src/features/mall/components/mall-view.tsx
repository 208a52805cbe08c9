import { useEffect } from 'react'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import type { MemberMallItem } from '@/contract/mall'
import { EmptyState, ErrorState, KeptNotice } from '@/components/page-state'
import { openPage } from '@/services/navigate'
import { usePointsBalance } from '@/services/points-balance'
import { saleLabel, saleState, saleWindowText, type SaleState } from '@/features/mall/format'
import { useMallStore } from '@/features/mall/store'
import { mallUrls } from '@/features/mall/urls'
import { ItemPicture } from '@/features/mall/components/item-picture'
import './mall.scss'

function go(url: string) {
  void openPage(url)
}

/** The badge of an item's sale state (nothing while on sale). */
export function SaleBadge({ state }: { state: SaleState }) {
  const label = saleLabel(state)
  if (!label) return null
  return <Text className={`sale-badge is-${state.kind.replace('_', '-')}`}>{label}</Text>
}

function ItemCard({ item }: { item: MemberMallItem }) {
  const state = saleState(item)
  const available = state.kind === 'on_sale'
  return (
    <View
      className={available ? 'card mall-item' : 'card mall-item is-unavailable'}
      onClick={() => go(mallUrls.item(item.id))}
    >
      <ItemPicture name={item.name} imageUrl={item.imageUrl} />
      <View className="mall-item-main">
        <Text className="mall-item-name">{item.name}</Text>
        <Text className="mall-item-cost">{item.pointsCost} 积分</Text>
        <Text className="mall-item-meta">
          剩余 {item.stock} 件 · 每人限兑 {item.perMemberLimit} 件
        </Text>
        <Text className="mall-item-meta">兑换时间：{saleWindowText(item)}</Text>
        <SaleBadge state={state} />
      </View>
    </View>
  )
}

/** 积分商城: the balance, 我的兑换, and the items with their stock, limit and sale window. */
export function MallView() {
  const { items, status, error, keptAt, load } = useMallStore()
  const balance = usePointsBalance((s) => s.summary?.balance ?? null)

  useEffect(() => {
    void load()
  }, [load])
  // Back from an item or from 我的兑换: stock and balance may have changed.
  useDidShow(() => {
    void load()
  })
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh())
  })

  if (status === 'error' && error) return <ErrorState message={error} onRetry={() => void load()} />

  return (
    <View className="page mall">
      <KeptNotice keptAt={keptAt} onRetry={() => void load()} />
      <View className="card mall-head">
        <View>
          <Text className="mall-balance-label">我的积分</Text>
          <Text className="mall-balance-value">{balance ?? '—'}</Text>
        </View>
        <Button className="btn btn-ghost mall-orders-link" onClick={() => go(mallUrls.orders)}>
          我的兑换
        </Button>
      </View>

      {status !== 'ready' ? (
        [0, 1, 2].map((i) => <View key={i} className="skeleton mall-skeleton" />)
      ) : items.length === 0 ? (
        <EmptyState text="暂时没有可兑换的商品" />
      ) : (
        items.map((item) => <ItemCard key={item.id} item={item} />)
      )}
    </View>
  )
}
