import { Button, Text, View } from '@tarojs/components'
import { formatDateTime } from '@/services/time'
import { groupCode } from '@/components/code-entry'
import { QrCode } from '@/components/qr-code'
import { IS_WEAPP, copyText, useBrightScreen } from '@/services/device'

/** Props of the pickup code block. */
export interface PickupCodeProps {
  pickupCode: string
  /** Where to pick up: the union that offers the item. */
  unionName: string
  /** The order expires after this moment. */
  pickupDeadline: string
  /** A smaller QR for lists. */
  compact?: boolean
}

/**
 * The pickup code in large grouped letters, its QR code, where and until when to pick up. On
 * weapp, 复制提货码 puts it on the clipboard and the screen is at full brightness while it shows.
 */
export function PickupCode({ pickupCode, unionName, pickupDeadline, compact }: PickupCodeProps) {
  useBrightScreen()
  return (
    <View className={compact ? 'pickup-code is-compact' : 'pickup-code'}>
      <Text className="pickup-code-label">提货码</Text>
      <Text className="pickup-code-value" userSelect>
        {groupCode(pickupCode)}
      </Text>
      {IS_WEAPP ? (
        <Button className="btn btn-ghost pickup-code-copy" onClick={() => copyText(pickupCode)}>
          复制提货码
        </Button>
      ) : null}
      <QrCode value={pickupCode} className={compact ? 'is-small' : undefined} />
      <View className="pickup-code-row">
        <Text className="pickup-code-key">领取地点</Text>
        <Text className="pickup-code-val">{unionName}</Text>
      </View>
      <View className="pickup-code-row">
        <Text className="pickup-code-key">领取期限</Text>
        <Text className="pickup-code-val">{formatDateTime(pickupDeadline)} 前</Text>
      </View>
      <Text className="pickup-code-hint">请向工会工作人员出示提货码或二维码</Text>
    </View>
  )
}
