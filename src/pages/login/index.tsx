import { useEffect } from 'react'
import Taro from '@tarojs/taro'
import { useSession } from '@/services/session'
import { HOME_PAGE } from '@/features/auth/use-sign-in'
import { LoginForm } from '@/features/auth/components/login-form'

/** 登录: shown at first launch and after sign-out. */
export default function LoginPage() {
  const signedIn = useSession((s) => !!s.session)
  useEffect(() => {
    if (signedIn) Taro.switchTab({ url: HOME_PAGE }).catch(() => undefined)
  }, [signedIn])
  return <LoginForm />
}
