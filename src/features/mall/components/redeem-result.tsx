import Taro from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import type { MallOrder } from '@/contract/mall'
import { PickupCode } from '@/features/mall/components/pickup-code'
import { mallUrls } from '@/features/mall/urls'

/** Props of the result screen. */
export interface RedeemResultProps {
  order: MallOrder
  /** Back to the item (redeem again). */
  onDone: () => void
}

/** 兑换成功: what was redeemed, the pickup code (text and QR), where and until when. */
export function RedeemResult({ order, onDone }: RedeemResultProps) {
  return (
    <View className="page redeem-result">
      <View className="card">
        <View className="result-head">
          <Text className="result-title">兑换成功</Text>
          <Text className="muted">
            {order.itemName} × {order.quantity}，消耗 {order.pointsSpent} 积分
          </Text>
        </View>
      </View>
      <View className="card">
        <PickupCode
          pickupCode={order.pickupCode}
          unionName={order.unionName}
          pickupDeadline={order.pickupDeadline}
        />
      </View>
      <View className="result-actions">
        <Button
          className="btn btn-primary btn-block result-orders"
          onClick={() => void Taro.redirectTo({ url: mallUrls.orders }).catch(() => undefined)}
        >
          查看我的兑换
        </Button>
        <Button className="btn btn-ghost btn-block result-back" onClick={onDone}>
          返回商品
        </Button>
      </View>
    </View>
  )
}
