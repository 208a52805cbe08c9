import { Button, Text, View } from '@tarojs/components'
import type { CoolingPack, PackStatus } from '@/contract/cooling'
import { packStatusLabels, packSteps } from '@/features/cooling/labels'
import { formatDateTime } from '@/services/time'
import { ActedByStaff } from '@/components/acted-by-staff'

/** Props of the read-only pack. */
export interface PackSummaryProps {
  pack: CoolingPack
  /** The union that hands out packs for pickup. */
  unionName: string
  receiving: boolean
  /** 确认收货 (shown once the pack is shipped). */
  onReceive: () => void
}

function stepTime(pack: CoolingPack, step: PackStatus): string | null {
  if (step === 'submitted') return pack.updatedAt
  if (step === 'shipped') return pack.shippedAt
  return pack.receivedAt
}

/** The pack after closing: lines, delivery, the 已提交 → 已发货 → 已签收 timeline and 确认收货. */
export function PackSummary({ pack, unionName, receiving, onReceive }: PackSummaryProps) {
  const reached = packSteps.indexOf(pack.status)
  const d = pack.delivery
  return (
    <View className="pack-summary">
      <View className="card">
        <View className="pack-summary-head">
          <Text className="section-title pack-summary-title">我的礼包</Text>
          {pack.isDefault ? <Text className="pack-default-badge">默认礼包</Text> : null}
          <Text className={`pack-status is-${pack.status}`}>{packStatusLabels[pack.status]}</Text>
        </View>
        <ActedByStaff when={pack.actedByStaff} />
        {pack.isDefault ? (
          <Text className="muted pack-default-note">
            你没有在截止前自选，工会为你准备了默认礼包。
          </Text>
        ) : null}
        {pack.items.map((line) => (
          <View key={line.itemId} className="info-row pack-line">
            <Text className="info-key">{line.name}</Text>
            <Text className="info-val">× {line.quantity}</Text>
          </View>
        ))}
        <View className="info-row">
          <Text className="info-key">使用额度</Text>
          <Text className="info-val">{pack.quotaUsed}</Text>
        </View>
      </View>

      <View className="card pack-delivery">
        <Text className="section-title">配送方式</Text>
        {d.kind === 'pickup' ? (
          <Text className="pack-delivery-line">到 {unionName} 自取</Text>
        ) : (
          <View>
            <Text className="pack-delivery-line">配送到 {d.siteName}</Text>
            <Text className="muted pack-delivery-address">{d.address}</Text>
            <Text className="pack-delivery-line">
              收件人：{d.recipient} {d.phone}
            </Text>
          </View>
        )}
      </View>

      <View className="card pack-timeline">
        <Text className="section-title">礼包进度</Text>
        {packSteps.map((step, i) => {
          const at = i <= reached ? stepTime(pack, step) : null
          return (
            <View
              key={step}
              className={`timeline-step${i <= reached ? ' is-done' : ''}${i === reached ? ' is-current' : ''}`}
            >
              <View className="timeline-dot" />
              <View className="timeline-main">
                <Text className="timeline-label">{packStatusLabels[step]}</Text>
                <Text className="timeline-time">{at ? formatDateTime(at) : '　'}</Text>
              </View>
            </View>
          )
        })}
      </View>

      {pack.status === 'shipped' ? (
        <Button
          className={
            receiving
              ? 'btn btn-primary btn-block pack-receive is-busy'
              : 'btn btn-primary btn-block pack-receive'
          }
          disabled={receiving || undefined}
          onClick={() => !receiving && onReceive()}
        >
          {receiving ? '提交中…' : '确认收货'}
        </Button>
      ) : null}
    </View>
  )
}
