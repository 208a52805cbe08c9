import { useState } from 'react'
import { Image, Text, View } from '@tarojs/components'

/** Props of an item's picture. */
export interface ItemPictureProps {
  name: string
  imageUrl: string | null
  /** `is-large` on the item page; the list size otherwise. */
  className?: string
}

const tints = ['tint-red', 'tint-gold', 'tint-green', 'tint-blue']

/** The item's image, or a tile with the name's first character when there is none (or it fails). */
export function ItemPicture({ name, imageUrl, className }: ItemPictureProps) {
  const [broken, setBroken] = useState(false)
  const base = className ? `item-picture ${className}` : 'item-picture'
  if (imageUrl && !broken) {
    return (
      <Image
        className={base}
        src={imageUrl}
        mode="aspectFill"
        lazyLoad
        onError={() => setBroken(true)}
      />
    )
  }
  const tint = tints[(name.codePointAt(0) ?? 0) % tints.length]
  return (
    <View className={`${base} item-picture-placeholder ${tint}`}>
      <Text className="item-picture-char">{name.slice(0, 1)}</Text>
    </View>
  )
}
