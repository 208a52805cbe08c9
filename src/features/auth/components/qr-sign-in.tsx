import { Button, Text, View } from '@tarojs/components'
import { QR_LOGIN_PREFIX } from '@/contract/auth'
import type { QrCode as QrCodeView } from '@/components/qr-code'
import { formatDateTime } from '@/services/time'
import { useQrSignIn } from '@/features/auth/use-qr-sign-in'

// This card shows on H5 only, and the login page sits in the weapp main package: a plain import
// would put the QR encoder there too. The weapp build drops this require (TARO_ENV is a constant).
let QrCode: (props: Parameters<typeof QrCodeView>[0]) => JSX.Element | null = () => null
if (process.env.TARO_ENV === 'h5') {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  QrCode = (require('@/components/qr-code') as { QrCode: typeof QrCodeView }).QrCode
}

/**
 * 微信扫码登录 (H5): a QR of a short-lived ticket; the member scans it in the mini-program
 * (我的 → 扫码登录网页版) and confirms there, and this page signs in on its own.
 */
export function QrSignIn() {
  const { state, refresh } = useQrSignIn()

  return (
    <View className="card login-card login-qr">
      <Text className="login-card-title">微信扫码登录</Text>
      {state.phase === 'pending' ? (
        <View className="login-qr-box" data-ticket={state.ticket}>
          <QrCode value={QR_LOGIN_PREFIX + state.ticket} />
          <Text className="login-qr-status">等待扫码确认…</Text>
          <Text className="muted login-qr-expiry">
            有效至 {formatDateTime(state.expiresAt).split(' ')[1]}，过期会自动更新
          </Text>
          {state.offline ? (
            <Text className="form-error login-qr-offline">网络不给力，正在重试…</Text>
          ) : null}
        </View>
      ) : state.phase === 'expired' ? (
        <View className="login-qr-box login-qr-expired" onClick={refresh}>
          <Text className="login-qr-expired-text">二维码已过期，点击刷新</Text>
          {/* The tap reaches the box above: the whole expired QR area refreshes. */}
          <Button className="btn btn-primary login-qr-refresh">刷新二维码</Button>
        </View>
      ) : state.phase === 'error' ? (
        <View className="login-qr-box">
          <Text className="form-error login-qr-error">{state.message}</Text>
          <Button className="btn btn-primary login-qr-refresh" onClick={refresh}>
            重新获取二维码
          </Button>
        </View>
      ) : (
        <View className="login-qr-box">
          <Text className="muted">
            {state.phase === 'signed-in' ? '登录成功，正在进入…' : '正在生成二维码…'}
          </Text>
        </View>
      )}
      <View className="login-qr-steps">
        <Text className="login-qr-step">1. 在微信中打开「工会服务站」小程序</Text>
        <Text className="login-qr-step">2. 进入「我的」，点击「扫码登录网页版」</Text>
        <Text className="login-qr-step">3. 扫描上方二维码，在手机上点「确认登录」</Text>
      </View>
    </View>
  )
}
