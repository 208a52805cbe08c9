import { Button, Text, View } from '@tarojs/components'
import dayjs from 'dayjs'
import { create } from 'zustand'

const useCount = create<{ count: number; add: () => void }>()((set) => ({
  count: 0,
  add: () => set((s) => ({ count: s.count + 1 })),
}))

/** One page, a button, zustand and dayjs: the smallest useful Taro app. */
export default function Index() {
  const { count, add } = useCount()
  return (
    <View className="bare">
      <Text className="bare-date">{dayjs().format('YYYY-MM-DD')}</Text>
      <Button className="bare-button" onClick={add}>
        点了 {count} 次
      </Button>
    </View>
  )
}
