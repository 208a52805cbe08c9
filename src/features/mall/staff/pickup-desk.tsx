import { useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import { pickupCodeInput, type PickupOrder } from '@/contract/mall'
import { groupCode, scanQrCode } from '@/components/code-entry'
import { CodeEntry } from '@/components/form/code-entry'
import { orderStatusLabels } from '@/features/mall/labels'
import { ApiError, errorMessage } from '@/services/http'
import { fulfilPickup, lookupPickup } from '@/services/mall'
import { formatDateTime } from '@/services/time'
import '@/components/form/form.scss'
import '@/components/staff-list.scss'
import './mall-staff.scss'

/** Why an order cannot be handed out, or null when it can. */
function refusal(order: PickupOrder): string | null {
  switch (order.status) {
    case 'fulfilled':
      return `该提货码已于 ${order.closedAt ? formatDateTime(order.closedAt) : '之前'} 核销，不能重复领取`
    case 'cancelled':
      return '该订单已被会员取消，不能领取'
    case 'expired':
      return '该订单已超过领取期限，积分和库存已退回，不能领取'
    default:
      return Date.parse(order.pickupDeadline) <= Date.now()
        ? '该订单已超过领取期限，不能领取'
        : null
  }
}

/**
 * 核销提货: scan (weapp) or type a pickup code, see the order — item, quantity, member, state —
 * and confirm the handover. The desk clears for the next code after each success.
 */
export function PickupDesk() {
  const [code, setCode] = useState('')
  const [order, setOrder] = useState<PickupOrder | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState<'lookup' | 'fulfil' | null>(null)
  const [done, setDone] = useState<PickupOrder | null>(null)

  const lookup = async (raw: string) => {
    const parsed = pickupCodeInput.safeParse(raw)
    setDone(null)
    setOrder(null)
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? '请输入提货码')
      return
    }
    setError(null)
    setBusy('lookup')
    try {
      setOrder(await lookupPickup(parsed.data))
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(null)
    }
  }

  const scan = async () => {
    const result = await scanQrCode(false)
    if (result === null) return
    setCode(result)
    await lookup(result)
  }

  const fulfil = async () => {
    if (!order || busy) return
    setBusy('fulfil')
    setError(null)
    try {
      const fulfilled = await fulfilPickup(order.pickupCode)
      setDone(fulfilled)
      setOrder(null)
      setCode('')
    } catch (e) {
      setError(errorMessage(e))
      // Someone else may have handed it out or it expired meanwhile: show the order as it is now.
      if (e instanceof ApiError && e.status >= 400 && e.status < 500) {
        setOrder(await lookupPickup(order.pickupCode).catch(() => null))
      }
    } finally {
      setBusy(null)
    }
  }

  const blocked = order ? refusal(order) : null

  return (
    <View className="page pickup-desk">
      {done ? (
        <View className="card pickup-done">
          <Text className="pickup-done-title">核销成功</Text>
          <Text className="pickup-done-line">
            {done.itemName} × {done.quantity} 已交给 {done.memberName}
          </Text>
          <Text className="muted">请输入或扫描下一个提货码</Text>
        </View>
      ) : null}

      <View className="card">
        <CodeEntry
          scan="beside"
          label="提货码"
          code={code}
          onInput={setCode}
          onSubmit={() => void lookup(code)}
          onScan={() => void scan()}
          busy={busy !== null}
          placeholder="输入会员出示的 8 位提货码"
          confirmType="search"
          submitLabel="查询订单"
          busyLabel={busy === 'lookup' ? '查询中…' : '查询订单'}
          scanLabel="扫码"
          error={error}
          classes={{
            input: 'pickup-code-input',
            submit: 'pickup-lookup',
            scan: 'pickup-scan',
            error: 'pickup-error',
            row: 'pickup-actions',
          }}
        />
      </View>

      {order ? (
        <View className="card pickup-order">
          <View className="pickup-order-head">
            <Text className="pickup-order-item">
              {order.itemName} × {order.quantity}
            </Text>
            <Text className={`pickup-status is-${order.status}`}>
              {orderStatusLabels[order.status]}
            </Text>
          </View>
          <View className="info-line">
            <Text className="info-line-key">会员</Text>
            <Text className="info-line-val">
              {order.memberName}（{order.memberNo}）
            </Text>
          </View>
          <View className="info-line">
            <Text className="info-line-key">提货码</Text>
            <Text className="info-line-val">{groupCode(order.pickupCode)}</Text>
          </View>
          <View className="info-line">
            <Text className="info-line-key">领取地点</Text>
            <Text className="info-line-val">{order.unionName}</Text>
          </View>
          <View className="info-line">
            <Text className="info-line-key">兑换时间</Text>
            <Text className="info-line-val">{formatDateTime(order.createdAt)}</Text>
          </View>
          <View className="info-line">
            <Text className="info-line-key">领取期限</Text>
            <Text className="info-line-val">{formatDateTime(order.pickupDeadline)} 前</Text>
          </View>
          {blocked ? (
            <Text className="form-error pickup-blocked">{blocked}</Text>
          ) : (
            <Button
              className={
                busy === 'fulfil'
                  ? 'btn btn-primary btn-block pickup-fulfil is-busy'
                  : 'btn btn-primary btn-block pickup-fulfil'
              }
              disabled={busy !== null || undefined}
              onClick={() => void fulfil()}
            >
              {busy === 'fulfil' ? '核销中…' : '确认核销'}
            </Button>
          )}
        </View>
      ) : null}
    </View>
  )
}
