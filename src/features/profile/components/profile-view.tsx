import { useState } from 'react'
import Taro from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { QR_LOGIN_PREFIX, qrTicketParams, type Member } from '@/contract/auth'
import { goToLogin, hasRole, useSession } from '@/services/session'
import { logout, unbindMyWechat } from '@/services/auth'
import { errorMessage } from '@/services/http'
import { scanQrCode } from '@/components/code-entry'
import { roleLabels } from '@/components/role-labels'
import { CareModeSwitch } from '@/components/care-mode-switch'
import { MyServices } from '@/features/profile/components/my-services'
import { PrivacySheet } from '@/components/privacy-sheet'
import './profile-view.scss'

/** Where the mini-program confirms a web sign-in it scanned. */
export const QR_APPROVE_PAGE = '/packages/account/pages/qr-approve'

/** Props of the 我的 screen. */
export interface ProfileViewProps {
  /** The signed-in member. */
  member: Member
}

function signOutHere() {
  useSession.getState().signOut()
  goToLogin({ remember: false })
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
  // End the session on the server too; without an answer this device still forgets it.
  await logout().catch(() => undefined)
  signOutHere()
}

/** 我的: who is signed in, their union and roles, web sign-in by scan, unbinding, 退出登录. */
export function ProfileView({ member }: ProfileViewProps) {
  const isWeapp = process.env.TARO_ENV === 'weapp'
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const scanWebLogin = async () => {
    setError(null)
    const result = await scanQrCode()
    if (result === null) return
    if (!result.startsWith(QR_LOGIN_PREFIX)) {
      setError('这不是工会服务站网页版的登录二维码，请扫描电脑网页上显示的二维码')
      return
    }
    const ticket = result.slice(QR_LOGIN_PREFIX.length)
    if (!qrTicketParams.safeParse({ ticket }).success) {
      setError('二维码无效，请刷新网页后重新扫码')
      return
    }
    await Taro.navigateTo({ url: `${QR_APPROVE_PAGE}?ticket=${ticket}` }).catch(() => undefined)
  }

  const unbind = async () => {
    setError(null)
    const { confirm } = await Taro.showModal({
      title: '解绑微信',
      content: '解绑后本微信将退出登录，再次使用需重新验证手机号或使用工会激活码。确定解绑吗？',
      confirmText: '解绑',
      confirmColor: '#d4380d',
      cancelText: '取消',
    })
    if (!confirm) return
    setBusy(true)
    try {
      await unbindMyWechat()
      signOutHere()
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <View className="page profile">
      <PrivacySheet />
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
        {member.phoneMasked ? (
          <View className="profile-row">
            <Text className="profile-label">登记手机</Text>
            <Text className="profile-value">{member.phoneMasked}</Text>
          </View>
        ) : null}
        {member.wechatBound !== undefined ? (
          <View className="profile-row">
            <Text className="profile-label">微信</Text>
            <Text className="profile-value profile-wechat">
              {member.wechatBound ? '已绑定' : '未绑定'}
            </Text>
          </View>
        ) : null}
      </View>
      <CareModeSwitch />
      <MyServices />
      {error ? <Text className="form-error profile-error">{error}</Text> : null}
      {isWeapp ? (
        <Button
          className="btn btn-primary btn-block profile-scan-login"
          onClick={() => void scanWebLogin()}
        >
          扫码登录网页版
        </Button>
      ) : null}
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
      {isWeapp && member.wechatBound ? (
        <Button
          className={
            busy
              ? 'btn btn-ghost btn-block profile-unbind is-busy'
              : 'btn btn-ghost btn-block profile-unbind'
          }
          disabled={busy || undefined}
          onClick={() => void unbind().catch(() => undefined)}
        >
          解绑微信
        </Button>
      ) : null}
    </View>
  )
}
