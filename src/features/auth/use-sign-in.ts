import { useCallback, useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import {
  ACTIVATION_LOCK_MINUTES,
  ACTIVATION_QR_PREFIX,
  activationCode as activationCodeSchema,
  devLoginBody,
  memberNo as memberNoSchema,
  type AuthResponse,
} from '@/contract/auth'
import type { ErrorCode } from '@/contract/errors'
import { devLogin, wechatLogin } from '@/services/auth'
import { ApiError, errorMessage } from '@/services/http'
import { takeReturnUrl, useSession } from '@/services/session'

/** Where a fresh sign-in lands. */
export const HOME_PAGE = '/pages/home/index'

/** Shown when the person closes WeChat's phone-number sheet without allowing it. */
export const PHONE_REFUSED_MESSAGE =
  '您没有同意使用手机号。可以再次点击「手机号快速验证」，或使用工会发放的激活码绑定'

/** The member number and code inside a staff member's activation QR, or null for any other QR. */
export function parseActivationQr(
  text: string,
): { memberNo: string; activationCode: string } | null {
  if (!text.startsWith(ACTIVATION_QR_PREFIX)) return null
  const [memberNo, code] = text.slice(ACTIVATION_QR_PREFIX.length).split(':')
  if (!memberNo || !code) return null
  return { memberNo, activationCode: code }
}

/** The message for a failed sign-in; the lock also says how long it lasts and who can help. */
function signInMessage(e: unknown): string {
  if (e instanceof ApiError && e.code === 'ACTIVATION_LOCKED') {
    return `${e.message}（约 ${ACTIVATION_LOCK_MINUTES} 分钟后自动解锁；如需帮助，请联系所在工会）`
  }
  return errorMessage(e)
}

/** Sign-in state for the login page: one attempt at a time, with the last error in Chinese. */
export function useSignIn() {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [errorCode, setErrorCode] = useState<ErrorCode | 'NETWORK' | null>(null)
  // The first WeChat sign-in of an account needs proof of who the member is (phone or code).
  const [needsBinding, setNeedsBinding] = useState(false)
  // A second tap before the first answer must not start another sign-in (state updates lag a tap).
  const busyRef = useRef(false)

  const fail = useCallback((message: string, code: ErrorCode | 'NETWORK' | null = null) => {
    setError(message)
    setErrorCode(code)
  }, [])

  const run = useCallback(async (attempt: () => Promise<AuthResponse>) => {
    if (busyRef.current) return
    busyRef.current = true
    setBusy(true)
    setError(null)
    setErrorCode(null)
    try {
      const { token, member } = await attempt()
      useSession.getState().signIn({ token, member })
      busyRef.current = false
      setBusy(false)
      await Taro.switchTab({ url: HOME_PAGE }).catch(() => undefined)
      // A signed-out deep link (a shared page, a message) opens on top of home, so 返回 leads home.
      const back = takeReturnUrl()
      if (back) await Taro.navigateTo({ url: back }).catch(() => undefined)
    } catch (e) {
      busyRef.current = false
      if (e instanceof ApiError && e.code === 'WECHAT_NOT_BOUND') setNeedsBinding(true)
      setError(signInMessage(e))
      setErrorCode(e instanceof ApiError ? e.code : 'NETWORK')
      setBusy(false)
    }
  }, [])

  /** H5 demo and tests: sign in with a member number such as M0001. */
  const signInWithMemberNo = useCallback(
    async (input: string) => {
      const parsed = devLoginBody.safeParse({ memberNo: input.trim().toUpperCase() })
      if (!parsed.success) {
        fail(parsed.error.issues[0]?.message ?? '会员号格式不正确')
        return
      }
      await run(() => devLogin(parsed.data))
    },
    [run, fail],
  )

  /** Mini-program: get a code from WeChat and exchange it on the server. */
  const signInWithWechat = useCallback(async () => {
    await run(async () => {
      const { code } = await Taro.login()
      return wechatLogin({ code })
    })
  }, [run])

  /**
   * Mini-program, first time: bind with the phone number WeChat verified. `phoneCode` is missing
   * when the person refused the phone-number sheet.
   */
  const bindWithPhone = useCallback(
    async (phoneCode: string | undefined) => {
      if (!phoneCode) {
        fail(PHONE_REFUSED_MESSAGE)
        return
      }
      // A wx.login code is single-use: ask WeChat for a fresh one.
      await run(async () => {
        const { code } = await Taro.login()
        return wechatLogin({ code, phoneCode })
      })
    },
    [run, fail],
  )

  /** Mini-program, first time: bind with the member number and the code the union staff issued. */
  const bindWithActivationCode = useCallback(
    async (input: { memberNo: string; activationCode: string }) => {
      const memberNo = memberNoSchema.safeParse(input.memberNo.trim().toUpperCase())
      if (!memberNo.success) {
        fail(memberNo.error.issues[0]?.message ?? '会员号格式不正确')
        return
      }
      const code = activationCodeSchema.safeParse(input.activationCode)
      if (!code.success) {
        fail(code.error.issues[0]?.message ?? '激活码格式不正确')
        return
      }
      await run(async () => {
        const { code: loginCode } = await Taro.login()
        return wechatLogin({
          code: loginCode,
          memberNo: memberNo.data,
          activationCode: code.data,
        })
      })
    },
    [run, fail],
  )

  return {
    busy,
    error,
    errorCode,
    needsBinding,
    fail,
    signInWithMemberNo,
    signInWithWechat,
    bindWithPhone,
    bindWithActivationCode,
  }
}
