import { useEffect, useState } from 'react'
import { Text, View } from '@tarojs/components'
import { authOptions } from '@/services/auth'
import { WechatSignIn } from '@/features/auth/components/wechat-sign-in'
import { QrSignIn } from '@/features/auth/components/qr-sign-in'
import { DevLoginForm } from '@/features/auth/components/dev-login-form'
import './login-form.scss'

/** Whether this server offers the demo's member-number sign-in (false until it says so). */
function useDevLoginOffered(enabled: boolean): boolean {
  const [offered, setOffered] = useState(false)
  useEffect(() => {
    if (!enabled) return
    let live = true
    authOptions()
      .then((options) => live && setOffered(!!options?.devLogin))
      .catch(() => undefined)
    return () => {
      live = false
    }
  }, [enabled])
  return offered
}

/** The sign-in screen: 微信一键登录 in the mini-program; 微信扫码登录 (and the demo form) on H5. */
export function LoginForm() {
  const isWeapp = process.env.TARO_ENV === 'weapp'
  const devLogin = useDevLoginOffered(!isWeapp)

  return (
    <View className="login">
      <View className="login-hero">
        <Text className="login-title">工会服务站</Text>
        <Text className="login-subtitle">积分商城 · 清凉大礼包 · 联谊活动 · 法律咨询</Text>
      </View>
      {isWeapp ? (
        <WechatSignIn />
      ) : (
        <View>
          <QrSignIn />
          {devLogin ? <DevLoginForm /> : null}
        </View>
      )}
    </View>
  )
}
