import { useState } from 'react'
import { Image, Text, View } from '@tarojs/components'

/** Props of a supply's picture. */
export interface CoolingPictureProps {
  name: string
  imageUrl: string | null
}

const tints = ['tint-blue', 'tint-green', 'tint-gold', 'tint-red']

/** The supply's image, or a tinted tile with its first character (no picture, or it failed). */
export function CoolingPicture({ name, imageUrl }: CoolingPictureProps) {
  const [broken, setBroken] = useState(false)
  if (imageUrl && !broken) {
    return (
      <Image
        className="cooling-picture"
        src={imageUrl}
        mode="aspectFill"
        lazyLoad
        onError={() => setBroken(true)}
      />
    )
  }
  const tint = tints[(name.codePointAt(0) ?? 0) % tints.length]
  return (
    <View className={`cooling-picture cooling-picture-placeholder ${tint}`}>
      <Text className="cooling-picture-char">{name.slice(0, 1)}</Text>
    </View>
  )
}
