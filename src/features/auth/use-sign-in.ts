import { useCallback, useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import { devLoginBody, type AuthResponse } from '@/contract/auth'
import { devLogin, wechatLogin } from '@/services/auth'
import { ApiError, errorMessage } from '@/services/http'
import { useSession } from '@/services/session'

/** Where a fresh sign-in lands. */
export const HOME_PAGE = '/pages/home/index'

/** Sign-in state for the login page: one attempt at a time, with the last error in Chinese. */
export function useSignIn() {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  // The first WeChat sign-in of an account asks for the member number and name to bind it.
  const [needsBinding, setNeedsBinding] = useState(false)
  // A second tap before the first answer must not start another sign-in (state updates lag a tap).
  const busyRef = useRef(false)

  const run = useCallback(async (attempt: () => Promise<AuthResponse>) => {
    if (busyRef.current) return
    busyRef.current = true
    setBusy(true)
    setError(null)
    try {
      const { token, member } = await attempt()
      useSession.getState().signIn({ token, member })
      busyRef.current = false
      setBusy(false)
      await Taro.switchTab({ url: HOME_PAGE }).catch(() => undefined)
    } catch (e) {
      busyRef.current = false
      if (e instanceof ApiError && e.code === 'WECHAT_NOT_BOUND') setNeedsBinding(true)
      setError(errorMessage(e))
      setBusy(false)
    }
  }, [])

  /** H5 and tests: sign in with a member number such as M0001. */
  const signInWithMemberNo = useCallback(
    async (input: string) => {
      const parsed = devLoginBody.safeParse({ memberNo: input.trim().toUpperCase() })
      if (!parsed.success) {
        setError(parsed.error.issues[0]?.message ?? '会员号格式不正确')
        return
      }
      await run(() => devLogin(parsed.data))
    },
    [run],
  )

  /** Mini-program: get a code from WeChat and exchange it on the server. */
  const signInWithWechat = useCallback(async () => {
    await run(async () => {
      const { code } = await Taro.login()
      return wechatLogin({ code })
    })
  }, [run])

  /** Mini-program, first time: bind this WeChat account to a member number and name. */
  const bindWechat = useCallback(
    async (input: { memberNo: string; name: string }) => {
      const memberNo = input.memberNo.trim().toUpperCase()
      const name = input.name.trim()
      const parsed = devLoginBody.safeParse({ memberNo })
      if (!parsed.success) {
        setError(parsed.error.issues[0]?.message ?? '会员号格式不正确')
        return
      }
      if (!name) {
        setError('请填写姓名')
        return
      }
      // A wx.login code is single-use: ask WeChat for a fresh one.
      await run(async () => {
        const { code } = await Taro.login()
        return wechatLogin({ code, memberNo, name })
      })
    },
    [run],
  )

  return { busy, error, needsBinding, signInWithMemberNo, signInWithWechat, bindWechat }
}
