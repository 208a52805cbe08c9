import { useState } from 'react'
import { Button, Input, Text, View } from '@tarojs/components'
import { useSignIn } from '@/features/auth/use-sign-in'

/** 演示登录: sign in with a member number, offered only where the server has dev-login on. */
export function DevLoginForm() {
  const { busy, error, signInWithMemberNo } = useSignIn()
  const [memberNo, setMemberNo] = useState('')

  return (
    <View className="card login-card login-demo">
      <Text className="login-card-title">演示登录</Text>
      <Text className="muted login-demo-note">仅用于演示环境，正式环境不提供</Text>
      {error ? <Text className="form-error login-error">{error}</Text> : null}
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
      <Text className="muted login-hint">演示账号：M0001 会员，S0001 工会干部，A0001 管理员</Text>
    </View>
  )
}
