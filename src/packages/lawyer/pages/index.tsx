import { Text, View } from '@tarojs/components'
import { useRequireSession } from '@/components/require-session'
import { hasRole } from '@/services/session'
import { LawyerDay } from '@/features/legal/components/lawyer-day'

/** 律师工作台: the signed-in lawyer's consultations by day. */
export default function LawyerPage() {
  const session = useRequireSession()
  if (!session) return null
  if (!hasRole(session.member, 'lawyer')) {
    return (
      <View className="state">
        <Text>仅律师可用</Text>
      </View>
    )
  }
  return <LawyerDay />
}
