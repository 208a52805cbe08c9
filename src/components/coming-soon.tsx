import { Text, View } from '@tarojs/components'
import './coming-soon.scss'

/** Props of a service's placeholder entry page. */
export interface ComingSoonProps {
  /** The service's name, e.g. 清凉大礼包. */
  title: string
  /** One or two sentences on what the service will do. */
  description: string
}

/** The entry page of a service that a later release fills in. */
export function ComingSoon({ title, description }: ComingSoonProps) {
  return (
    <View className="page coming-soon">
      <View className="card">
        <Text className="coming-soon-title">{title}</Text>
        <Text className="coming-soon-desc">{description}</Text>
        <Text className="coming-soon-badge">该服务即将开放</Text>
      </View>
    </View>
  )
}
