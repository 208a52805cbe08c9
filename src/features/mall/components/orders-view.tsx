import { useEffect } from 'react'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import type { MallOrder } from '@/contract/mall'
import { EmptyState, ErrorState, KeptNotice, LoadingState } from '@/components/page-state'
import { formatDateTime } from '@/services/time'
import { orderStatusLabels } from '@/features/mall/labels'
import { useOrdersStore } from '@/features/mall/orders-store'
import { mallUrls } from '@/features/mall/urls'
import { PickupCode } from '@/features/mall/components/pickup-code'
import { ActedByStaff } from '@/components/acted-by-staff'
import './mall.scss'

async function confirmCancel(order: MallOrder) {
  const { confirm } = await Taro.showModal({
    title: '取消兑换',
    content: `确定取消「${order.itemName} × ${order.quantity}」吗？取消后积分和库存将退回。`,
    confirmText: '确定取消',
    confirmColor: '#d4380d',
    cancelText: '再想想',
  })
  if (confirm) await useOrdersStore.getState().cancel(order.id)
}

function closedNote(order: MallOrder): string | null {
  const when = order.closedAt ? formatDateTime(order.closedAt) : null
  switch (order.status) {
    case 'fulfilled':
      return when ? `${when} 已领取` : null
    case 'cancelled':
      return `${when ? `${when} ` : ''}已取消，${order.pointsSpent} 积分已退回`
    case 'expired':
      return `未在期限内领取，${order.pointsSpent} 积分已退回`
    default:
      return null
  }
}

function OrderCard({ order, cancelling }: { order: MallOrder; cancelling: boolean }) {
  const open = order.status === 'awaiting_pickup'
  const note = closedNote(order)
  return (
    <View className={`card order order-${order.status}`}>
      <View className="order-head">
        <View className="order-main">
          <Text className="order-name">
            {order.itemName} × {order.quantity}
          </Text>
          <Text className="muted">
            {order.pointsSpent} 积分 · {formatDateTime(order.createdAt)} 兑换
          </Text>
        </View>
        <Text className={`order-status is-${order.status}`}>{orderStatusLabels[order.status]}</Text>
      </View>
      <ActedByStaff when={order.actedByStaff} />
      {note ? <Text className="muted order-note">{note}</Text> : null}
      {open ? (
        <View className="order-body">
          <PickupCode
            pickupCode={order.pickupCode}
            unionName={order.unionName}
            pickupDeadline={order.pickupDeadline}
            compact
          />
          <Button
            className={
              cancelling
                ? 'btn btn-ghost btn-block order-cancel is-busy'
                : 'btn btn-ghost btn-block order-cancel'
            }
            disabled={cancelling || undefined}
            onClick={() => !cancelling && void confirmCancel(order).catch(() => undefined)}
          >
            {cancelling ? '取消中…' : '取消兑换'}
          </Button>
        </View>
      ) : null}
    </View>
  )
}

/** 我的兑换: every order with its state; open ones show the pickup code and may be cancelled. */
export function OrdersView() {
  const { orders, status, error, keptAt, cancellingId, load } = useOrdersStore()

  useEffect(() => {
    void load()
  }, [load])
  useDidShow(() => {
    if (useOrdersStore.getState().status === 'ready') void load()
  })
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh())
  })

  if (status === 'error' && error) return <ErrorState message={error} onRetry={() => void load()} />
  if (status !== 'ready') return <LoadingState />

  if (orders.length === 0) {
    return (
      <View className="page orders">
        <EmptyState text="还没有兑换记录" />
        <Button
          className="btn btn-primary btn-block"
          onClick={() => void Taro.redirectTo({ url: mallUrls.list }).catch(() => undefined)}
        >
          去积分商城看看
        </Button>
      </View>
    )
  }

  return (
    <View className="page orders">
      <KeptNotice keptAt={keptAt} onRetry={() => void load()} />
      {orders.map((order) => (
        <OrderCard key={order.id} order={order} cancelling={cancellingId === order.id} />
      ))}
    </View>
  )
}
