import { useEffect } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import type { StaffMallItem } from '@/contract/mall'
import { EmptyState, ErrorState, LoadingState } from '@/components/page-state'
import { formatDate } from '@/services/time'
import { useStaffItemsStore } from '@/features/mall/staff/items-store'
import '@/components/staff-list.scss'
import './mall-staff.scss'

/** The page with the create and edit form (`?id=` edits). */
export const ITEM_FORM_PAGE = '/packages/staff/pages/item-form'

function go(url: string) {
  Taro.navigateTo({ url }).catch(() => undefined)
}

function saleWindow(item: StaffMallItem): string {
  const from = item.saleStartsAt ? formatDate(item.saleStartsAt) : '即日起'
  const to = item.saleEndsAt ? formatDate(item.saleEndsAt) : '长期'
  return `${from} 至 ${to}`
}

function state(item: StaffMallItem): string {
  if (item.onSale) return item.soldOut ? '已兑完' : '兑换中'
  if (item.saleStartsAt && Date.parse(item.saleStartsAt) > Date.now()) return '未开售'
  return '已停售'
}

/** 商品管理: the items of the unions the staff member manages, with 新建 and 编辑. */
export function ItemAdmin() {
  const { items, status, error, load } = useStaffItemsStore()

  useEffect(() => {
    void load()
  }, [load])
  useDidShow(() => {
    if (useStaffItemsStore.getState().status === 'ready') void load()
  })

  if (status === 'error' && error) return <ErrorState message={error} onRetry={() => void load()} />
  if (status !== 'ready') return <LoadingState />

  return (
    <View className="page staff-items">
      <Button className="btn btn-primary btn-block item-new" onClick={() => go(ITEM_FORM_PAGE)}>
        新建商品
      </Button>
      <Text className="section-title">商品（{items.length}）</Text>
      {items.length === 0 ? <EmptyState text="还没有商品，点上方按钮新建" /> : null}
      {items.map((item) => (
        <View key={item.id} className="card staff-item">
          <View className="staff-item-head">
            <View className="staff-item-main">
              <Text className="staff-item-name">{item.name}</Text>
              <Text className="staff-item-meta">
                {item.unionName} · {state(item)}
              </Text>
            </View>
            <Button
              className="btn btn-ghost staff-item-edit"
              onClick={() => go(`${ITEM_FORM_PAGE}?id=${item.id}`)}
            >
              编辑
            </Button>
          </View>
          <Text className="staff-item-meta">
            {item.pointsCost} 积分 · 库存 {item.stock} · 每人限兑 {item.perMemberLimit}
          </Text>
          <Text className="staff-item-meta">兑换时间：{saleWindow(item)}</Text>
          <Text className="staff-item-meta">
            待领取 {item.awaitingPickupQuantity} 件 · 已领取 {item.fulfilledQuantity} 件 · 领取期限{' '}
            {item.pickupDays} 天
          </Text>
        </View>
      ))}
    </View>
  )
}
