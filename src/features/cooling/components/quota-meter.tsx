import { Text, View } from '@tarojs/components'

/** Props of the quota meter. */
export interface QuotaMeterProps {
  /** Quota units the choice uses. */
  used: number
  quota: number
  /** Pieces chosen. */
  pieces: number
  /** The piece limit of the campaign, null when there is none. */
  maxItems: number | null
  /** Why the last step was refused (or what blocks submitting); the line stays even when empty. */
  notice: string | null
}

/** 已用额度 used / quota with a bar, pieces (of the limit), what is left and why a step was refused. */
export function QuotaMeter({ used, quota, pieces, maxItems, notice }: QuotaMeterProps) {
  const share = Math.min(100, Math.round((used / quota) * 100))
  const full = used >= quota || (maxItems !== null && pieces >= maxItems)
  return (
    <View className={full ? 'quota-meter is-full' : 'quota-meter'}>
      <View className="quota-meter-row">
        <Text className="quota-meter-label">已用额度</Text>
        <Text className="quota-meter-value">
          {used} / {quota}
        </Text>
        <Text className="quota-meter-left">还剩 {Math.max(0, quota - used)}</Text>
      </View>
      <View className="quota-bar">
        <View className="quota-bar-fill" style={{ width: `${share}%` }} />
      </View>
      <Text className="quota-meter-pieces">
        {maxItems !== null ? `已选 ${pieces} / ${maxItems} 件` : `已选 ${pieces} 件`}
      </Text>
      <Text className={notice ? 'quota-notice has-notice' : 'quota-notice'}>{notice ?? ' '}</Text>
    </View>
  )
}
