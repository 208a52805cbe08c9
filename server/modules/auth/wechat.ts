import { AppError } from '../../lib/errors'

export interface WechatConfig {
  appId?: string
  appSecret?: string
  /** `https://api.weixin.qq.com` in production; a local fake in tests. */
  baseUrl: string
}

interface Code2SessionAnswer {
  openid?: string
  session_key?: string
  unionid?: string
  errcode?: number
  errmsg?: string
}

/** WeChat's errcodes that mean the `wx.login` code is bad or used (the person can retry). */
const CODE_ERRORS = new Set([40029, 40163, 40226])

/**
 * Exchanges a `wx.login` code for the user's openid through WeChat's code-to-session endpoint
 * (`/sns/jscode2session`). WeChat failures become `WECHAT_LOGIN_FAILED` with a Chinese message.
 */
export async function codeToSession(
  config: WechatConfig,
  code: string,
): Promise<{ openid: string }> {
  if (!config.appId || !config.appSecret) {
    throw new AppError(
      'WECHAT_LOGIN_FAILED',
      503,
      '服务器尚未配置微信登录（WECHAT_APP_ID / WECHAT_APP_SECRET）',
    )
  }
  const url = new URL('/sns/jscode2session', config.baseUrl)
  url.searchParams.set('appid', config.appId)
  url.searchParams.set('secret', config.appSecret)
  url.searchParams.set('js_code', code)
  url.searchParams.set('grant_type', 'authorization_code')
  let answer: Code2SessionAnswer
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(8000) })
    if (!res.ok) throw new Error(`HTTP ${res.status}`)
    answer = (await res.json()) as Code2SessionAnswer
  } catch {
    throw new AppError('WECHAT_LOGIN_FAILED', 503, '暂时连不上微信服务，请稍后重试')
  }
  if (answer.errcode && answer.errcode !== 0) {
    if (CODE_ERRORS.has(answer.errcode)) {
      throw new AppError('WECHAT_LOGIN_FAILED', 401, '微信登录凭证无效或已过期，请重新登录')
    }
    if (answer.errcode === 45011) {
      throw new AppError('WECHAT_LOGIN_FAILED', 429, '登录太频繁，请稍后再试')
    }
    throw new AppError(
      'WECHAT_LOGIN_FAILED',
      503,
      `微信登录失败（错误码 ${answer.errcode}），请稍后重试`,
    )
  }
  if (!answer.openid) {
    throw new AppError('WECHAT_LOGIN_FAILED', 503, '微信登录失败，请稍后重试')
  }
  return { openid: answer.openid }
}
