import { Text, View } from '@tarojs/components'
import { openPage } from '@/services/navigate'
import './my-services.scss'

interface Link {
  key: string
  title: string
  note: string
  url: string
}

/** Everything that is the member's own, each on its page. */
const links: Link[] = [
  {
    key: 'orders',
    title: '我的兑换',
    note: '兑换记录和提货码',
    url: '/packages/mall/pages/orders',
  },
  {
    key: 'packs',
    title: '我的礼包',
    note: '清凉礼包的选择和收货',
    url: '/packages/cooling/pages/index',
  },
  {
    key: 'events',
    title: '我的活动',
    note: '报名、候补和签到',
    url: '/packages/events/pages/index',
  },
  { key: 'legal', title: '我的预约', note: '法律咨询预约', url: '/packages/legal/pages/mine' },
]

/** 我的 → 我的兑换, 我的礼包, 我的活动, 我的预约: one row each, a large tap target. */
export function MyServices() {
  return (
    <View className="card my-services" aria-label="我的服务">
      {links.map((link) => (
        <View
          key={link.key}
          className={`my-service my-service-${link.key}`}
          role="button"
          onClick={() => void openPage(link.url)}
        >
          <View className="my-service-text">
            <Text className="my-service-title">{link.title}</Text>
            <Text className="my-service-note">{link.note}</Text>
          </View>
          <Text className="my-service-go" aria-hidden="true">
            ›
          </Text>
        </View>
      ))}
    </View>
  )
}
