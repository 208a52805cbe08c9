import { useState } from 'react'
import { Button, Input, Text, View } from '@tarojs/components'
import { useSignIn } from '@/features/auth/use-sign-in'
import './login-form.scss'

/** The sign-in card: 微信一键登录 in the mini-program, a member number on H5. */
export function LoginForm() {
  const { busy, error, needsBinding, signInWithMemberNo, signInWithWechat, bindWechat } =
    useSignIn()
  const [memberNo, setMemberNo] = useState('')
  const [name, setName] = useState('')
  const isWeapp = process.env.TARO_ENV === 'weapp'

  return (
    <View className="login">
      <View className="login-hero">
        <Text className="login-title">工会服务站</Text>
        <Text className="login-subtitle">积分商城 · 清凉大礼包 · 联谊活动 · 法律咨询</Text>
      </View>
      <View className="card login-card">
        {error ? <Text className="form-error login-error">{error}</Text> : null}
        {isWeapp && needsBinding ? (
          <View>
            <Text className="muted login-hint">首次使用微信登录，请填写会员号和姓名完成绑定</Text>
            <View className="field">
              <Text className="field-label">会员号</Text>
              <Input
                className="input login-input"
                type="text"
                placeholder="会员号，如 M0001"
                value={memberNo}
                maxlength={10}
                disabled={busy}
                onInput={(e) => setMemberNo(e.detail.value)}
              />
            </View>
            <View className="field">
              <Text className="field-label">姓名</Text>
              <Input
                className="input login-name"
                type="text"
                placeholder="与工会登记一致的姓名"
                value={name}
                maxlength={40}
                disabled={busy}
                onInput={(e) => setName(e.detail.value)}
              />
            </View>
            <Button
              className={busy ? 'btn btn-primary btn-block is-busy' : 'btn btn-primary btn-block'}
              disabled={busy}
              onClick={() => void bindWechat({ memberNo, name })}
            >
              绑定并登录
            </Button>
          </View>
        ) : isWeapp ? (
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
        ) : (
          <View>
            <View className="field">
              <Text className="field-label">会员号</Text>
              <Input
                className="input login-input"
                type="text"
                placeholder="会员号，如 M0001"
                value={memberNo}
                maxlength={10}
                disabled={busy}
                onInput={(e) => setMemberNo(e.detail.value)}
                onConfirm={() => void signInWithMemberNo(memberNo)}
              />
            </View>
            <Button
              className={
                busy
                  ? 'btn btn-primary btn-block login-submit is-busy'
                  : 'btn btn-primary btn-block login-submit'
              }
              disabled={busy}
              onClick={() => void signInWithMemberNo(memberNo)}
            >
              {busy ? '登录中…' : '登录'}
            </Button>
            <Text className="muted login-hint">
              演示账号：M0001 会员，S0001 工会干部，A0001 管理员
            </Text>
          </View>
        )}
      </View>
    </View>
  )
}
