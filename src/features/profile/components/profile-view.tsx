import Taro from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import type { Member } from '@/contract/auth'
import { goToLogin, hasRole, useSession } from '@/services/session'
import { roleLabels } from '@/components/role-labels'
import './profile-view.scss'

/** Props of the 我的 screen. */
export interface ProfileViewProps {
  /** The signed-in member. */
  member: Member
}

async function confirmSignOut() {
  const { confirm } = await Taro.showModal({
    title: '退出登录',
    content: '确定要退出登录吗？',
    confirmText: '退出',
    confirmColor: '#d4380d',
    cancelText: '取消',
  })
  if (!confirm) return
  useSession.getState().signOut()
  goToLogin()
}

/** 我的: who is signed in, their union and roles, and 退出登录. */
export function ProfileView({ member }: ProfileViewProps) {
  return (
    <View className="page profile">
      <View className="card profile-card">
        <Text className="profile-name">{member.name}</Text>
        <View className="profile-row">
          <Text className="profile-label">会员号</Text>
          <Text className="profile-value">{member.memberNo}</Text>
        </View>
        <View className="profile-row">
          <Text className="profile-label">所在工会</Text>
          <Text className="profile-value">{member.unionName}</Text>
        </View>
        <View className="profile-row">
          <Text className="profile-label">身份</Text>
          <View className="profile-roles">
            {member.roles.map((role) => (
              <Text key={role} className="profile-role">
                {roleLabels[role]}
              </Text>
            ))}
          </View>
        </View>
      </View>
      {hasRole(member, 'lawyer') ? (
        <Button
          className="btn btn-primary btn-block profile-lawyer"
          onClick={() =>
            void Taro.navigateTo({ url: '/packages/lawyer/pages/index' }).catch(() => undefined)
          }
        >
          律师工作台
        </Button>
      ) : null}
      <Button
        className="btn btn-ghost btn-block profile-signout"
        onClick={() => void confirmSignOut().catch(() => undefined)}
      >
        退出登录
      </Button>
    </View>
  )
}
