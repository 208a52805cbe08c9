import { Button, Text, View } from '@tarojs/components'
import type { MemberMallItem } from '@/contract/mall'
import { limitLeft, maxQuantity, saleLabel, saleState } from '@/features/mall/format'
import { useRedeemStore } from '@/features/mall/redeem-store'

/** Props of the confirm sheet. */
export interface RedeemSheetProps {
  /** The item, fresh from the mall store (stock and limit change after a refusal). */
  item: MemberMallItem
  /** The member's points balance. */
  balance: number
}

/** Why the item cannot be redeemed at all right now, or null. */
function blockedReason(item: MemberMallItem): string | null {
  const label = saleLabel(saleState(item))
  if (label) return `该商品${label}，暂不能兑换`
  if (limitLeft(item) === 0) {
    return `每人限兑 ${item.perMemberLimit} 件，你已兑换 ${item.redeemedQuantity} 件`
  }
  return null
}

/**
 * 确认兑换: a quantity stepper limited by stock and the member's remaining limit, the total cost and
 * the balance afterwards; refuses (and says why) when the points are short.
 */
export function RedeemSheet({ item, balance }: RedeemSheetProps) {
  const { quantity, busy, error, canRetry, setQuantity, close, confirm } = useRedeemStore()
  const max = maxQuantity(item)
  const total = item.pointsCost * quantity
  const after = balance - total
  const blocked = blockedReason(item)
  const short = after < 0
  const disabled = busy || !!blocked || short || quantity > max
  const canLess = !busy && quantity > 1
  const canMore = !busy && quantity < max

  const limitNote =
    max === item.stock && item.stock < limitLeft(item)
      ? `仅剩 ${item.stock} 件`
      : `每人限兑 ${item.perMemberLimit} 件${item.redeemedQuantity ? `，你已兑换 ${item.redeemedQuantity} 件` : ''}`

  return (
    <View className="redeem-sheet-wrap">
      <View className="sheet-mask" onClick={close} />
      <View className="sheet redeem-sheet">
        <Text className="sheet-title">确认兑换</Text>
        <Text className="muted">
          {item.name} · {item.pointsCost} 积分/件
        </Text>

        <View className="info-row">
          <Text className="info-key">数量</Text>
          <View className="stepper">
            <Button
              className={
                canLess
                  ? 'btn stepper-btn stepper-less'
                  : 'btn stepper-btn stepper-less is-disabled'
              }
              disabled={!canLess || undefined}
              onClick={() => canLess && setQuantity(quantity - 1)}
            >
              −
            </Button>
            <Text className="stepper-value">{quantity}</Text>
            <Button
              className={
                canMore
                  ? 'btn stepper-btn stepper-more'
                  : 'btn stepper-btn stepper-more is-disabled'
              }
              disabled={!canMore || undefined}
              onClick={() => canMore && setQuantity(quantity + 1)}
            >
              +
            </Button>
          </View>
        </View>
        <Text className="muted stepper-note">
          {max > 0 ? `最多可兑 ${max} 件（${limitNote}）` : limitNote}
        </Text>

        <View className="info-row">
          <Text className="info-key">共需</Text>
          <Text className="sheet-total">{total} 积分</Text>
        </View>
        <View className="info-row">
          <Text className="info-key">我的积分</Text>
          <Text className="info-val">{balance} 积分</Text>
        </View>
        {!short ? (
          <View className="info-row">
            <Text className="info-key">兑换后</Text>
            <Text className="sheet-after">兑换后剩余 {after} 积分</Text>
          </View>
        ) : null}

        {blocked ? <Text className="form-error redeem-blocked">{blocked}</Text> : null}
        {!blocked && short ? (
          <Text className="form-error redeem-short">
            积分不足：需要 {total} 积分，你现有 {balance} 积分，还差 {-after} 积分
          </Text>
        ) : null}
        {error ? <Text className="form-error redeem-error">{error}</Text> : null}

        <View className="sheet-actions">
          <Button
            className={busy ? 'btn btn-ghost redeem-cancel is-busy' : 'btn btn-ghost redeem-cancel'}
            disabled={busy || undefined}
            onClick={close}
          >
            取消
          </Button>
          <Button
            className={
              disabled
                ? `btn btn-primary redeem-confirm ${busy ? 'is-busy' : 'is-disabled'}`
                : 'btn btn-primary redeem-confirm'
            }
            disabled={disabled || undefined}
            onClick={() => !disabled && void confirm()}
          >
            {busy ? '兑换中…' : canRetry ? '重试' : '确认兑换'}
          </Button>
        </View>
      </View>
    </View>
  )
}
