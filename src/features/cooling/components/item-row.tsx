import { Button, Text, View } from '@tarojs/components'
import type { CoolingItem } from '@/contract/cooling'
import { CoolingPicture } from '@/features/cooling/components/cooling-picture'

/** Props of one supply in the composer. */
export interface ItemRowProps {
  item: CoolingItem
  quantity: number
  /** Why one more cannot be added (the ＋ looks disabled; tapping it explains), or null. */
  addBlock: string | null
  /** Steppers hidden: the campaign has not opened yet. */
  readOnly?: boolean
  onStep: (by: 1 | -1) => void
}

/** A supply: picture, quota cost, per-pack maximum, stock left and a −/＋ stepper. */
export function ItemRow({ item, quantity, addBlock, readOnly, onStep }: ItemRowProps) {
  const canLess = quantity > 0
  return (
    <View className={quantity > 0 ? 'card cooling-item is-chosen' : 'card cooling-item'}>
      <CoolingPicture name={item.name} imageUrl={item.imageUrl} />
      <View className="cooling-item-main">
        <Text className="cooling-item-name">{item.name}</Text>
        <Text className="cooling-item-cost">{item.quotaCost} 额度 / 件</Text>
        <Text className="cooling-item-meta">
          每份最多 {item.maxPerPack} 件 ·{' '}
          {item.stockLeft > 0 ? `剩余 ${item.stockLeft} 件` : '已被选完'}
        </Text>
        {readOnly ? null : (
          <View className="stepper cooling-stepper">
            <Button
              className={
                canLess
                  ? 'btn stepper-btn stepper-less'
                  : 'btn stepper-btn stepper-less is-disabled'
              }
              disabled={!canLess || undefined}
              aria-label={`减少${item.name}`}
              onClick={() => canLess && onStep(-1)}
            >
              −
            </Button>
            <Text className="stepper-value">{quantity}</Text>
            <Button
              className={
                addBlock
                  ? 'btn stepper-btn stepper-more is-disabled'
                  : 'btn stepper-btn stepper-more'
              }
              aria-label={`增加${item.name}`}
              onClick={() => onStep(1)}
            >
              +
            </Button>
          </View>
        )}
      </View>
    </View>
  )
}
