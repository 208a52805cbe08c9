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

/**
 * The sign-in screen: 微信一键登录 in the mini-program; 微信扫码登录 (and the demo form) on H5. The
 * demo build (`TARO_APP_DEMO=1`) offers 演示登录 in the mini-program too, for WeChat DevTools
 * against the demo server. The platform and demo checks are literal comparisons (no variables),
 * so that the build folds them and every other build drops the demo form from its bundle.
 */
export function LoginForm() {
  const devLogin = useDevLoginOffered(
    process.env.TARO_ENV !== 'weapp' || process.env.TARO_APP_DEMO === '1',
  )

  return (
    <View className="login">
      <View className="login-hero">
        <Text className="login-title">工会服务站</Text>
        <Text className="login-subtitle">积分商城 · 清凉大礼包 · 联谊活动 · 法律咨询</Text>
      </View>
      {process.env.TARO_ENV === 'weapp' ? (
        <View>
          <WechatSignIn />
          {process.env.TARO_APP_DEMO === '1' && devLogin ? <DevLoginForm /> : null}
        </View>
      ) : (
        <View>
          <QrSignIn />
          {devLogin ? <DevLoginForm /> : null}
        </View>
      )}
    </View>
  )
}
