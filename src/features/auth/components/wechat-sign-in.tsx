import { Button, Text, View } from '@tarojs/components'
import { useSignIn } from '@/features/auth/use-sign-in'
import { BindWechat } from '@/features/auth/components/bind-wechat'

/** Mini-program sign-in: 微信一键登录, then the bind screen the first time. */
export function WechatSignIn() {
  const signIn = useSignIn()
  const { busy, error, needsBinding, signInWithWechat } = signIn

  return (
    <View className="card login-card">
      {needsBinding ? (
        <BindWechat signIn={signIn} />
      ) : (
        <View>
          {error ? <Text className="form-error login-error">{error}</Text> : null}
          <Button
            className={
              busy
                ? 'btn btn-primary btn-block login-wechat is-busy'
                : 'btn btn-primary btn-block login-wechat'
            }
            disabled={busy}
            loading={busy}
            onClick={() => void signInWithWechat()}
          >
            微信一键登录
          </Button>
          <Text className="muted login-hint">首次登录需验证手机号或使用工会激活码</Text>
        </View>
      )}
    </View>
  )
}
