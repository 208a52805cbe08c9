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
      'WECHAT_UNAVAILABLE',
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
    throw new AppError('WECHAT_UNAVAILABLE', '暂时连不上微信服务，请稍后重试')
  }
  if (answer.errcode && answer.errcode !== 0) {
    if (CODE_ERRORS.has(answer.errcode)) {
      throw new AppError('WECHAT_LOGIN_FAILED', '微信登录凭证无效或已过期，请重新登录')
    }
    if (answer.errcode === 45011) {
      throw new AppError('RATE_LIMITED', '登录太频繁，请稍后再试')
    }
    throw new AppError('WECHAT_UNAVAILABLE', `微信登录失败（错误码 ${answer.errcode}），请稍后重试`)
  }
  if (!answer.openid) {
    throw new AppError('WECHAT_UNAVAILABLE', '微信登录失败，请稍后重试')
  }
  return { openid: answer.openid }
}

interface TokenAnswer {
  access_token?: string
  expires_in?: number
  errcode?: number
  errmsg?: string
}

interface PhoneAnswer {
  errcode?: number
  errmsg?: string
  phone_info?: { phoneNumber?: string; purePhoneNumber?: string; countryCode?: string }
}

/** WeChat's errcodes meaning the access token is invalid or expired: fetch a fresh one and retry once. */
const TOKEN_ERRORS = new Set([40001, 40014, 42001])

/**
 * The server's WeChat access token (`/cgi-bin/stable_token`), cached until shortly before it
 * expires. The stable token is the same for every caller until it expires, so several server
 * processes may each fetch it without invalidating each other's.
 */
export class WechatAccessToken {
  private cached: { token: string; until: number } | null = null
  private pending: Promise<string> | null = null

  constructor(
    private readonly config: WechatConfig,
    private readonly now: () => number = Date.now,
  ) {}

  /** A valid access token; `force` asks WeChat for a fresh one (after WeChat said it expired). */
  async get(force = false): Promise<string> {
    if (!force && this.cached && this.cached.until > this.now()) return this.cached.token
    this.pending ??= this.fetch(force).finally(() => {
      this.pending = null
    })
    return this.pending
  }

  private async fetch(force: boolean): Promise<string> {
    const { appId, appSecret, baseUrl } = this.config
    if (!appId || !appSecret) {
      throw new AppError(
        'WECHAT_UNAVAILABLE',
        '服务器尚未配置微信（WECHAT_APP_ID / WECHAT_APP_SECRET）',
      )
    }
    let answer: TokenAnswer
    try {
      const res = await fetch(new URL('/cgi-bin/stable_token', baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          grant_type: 'client_credential',
          appid: appId,
          secret: appSecret,
          force_refresh: force,
        }),
        signal: AbortSignal.timeout(8000),
      })
      if (!res.ok) throw new Error(`HTTP ${res.status}`)
      answer = (await res.json()) as TokenAnswer
    } catch {
      throw new AppError('WECHAT_UNAVAILABLE', '暂时连不上微信服务，请稍后重试')
    }
    if (!answer.access_token) {
      throw new AppError(
        'WECHAT_UNAVAILABLE',
        `微信服务暂不可用（错误码 ${answer.errcode ?? '无'}），请稍后重试`,
      )
    }
    // Refresh five minutes early (or halfway for short lifetimes).
    const seconds = answer.expires_in ?? 7200
    const margin = Math.min(300, Math.floor(seconds / 2))
    this.cached = { token: answer.access_token, until: this.now() + (seconds - margin) * 1000 }
    return answer.access_token
  }
}

/**
 * Exchanges the one-time code of WeChat's phone-number button (手机号快速验证) for the user's
 * phone number (`/wxa/business/getuserphonenumber`), without the country code.
 */
export async function phoneNumberFromCode(
  config: WechatConfig,
  accessToken: WechatAccessToken,
  phoneCode: string,
): Promise<string> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const token = await accessToken.get(attempt > 0)
    const url = new URL('/wxa/business/getuserphonenumber', config.baseUrl)
    url.searchParams.set('access_token', token)
    let answer: PhoneAnswer
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: phoneCode }),
        signal: AbortSignal.timeout(8000),
      })
      if (!res.ok) throw new Error(`HTTP ${res.status}`)
      answer = (await res.json()) as PhoneAnswer
    } catch {
      throw new AppError('WECHAT_UNAVAILABLE', '暂时连不上微信服务，请稍后重试')
    }
    if (answer.errcode && TOKEN_ERRORS.has(answer.errcode) && attempt === 0) continue
    if (answer.errcode === 40029) {
      throw new AppError('WECHAT_PHONE_FAILED', '手机号验证已失效，请重新点击验证手机号')
    }
    if (answer.errcode && answer.errcode !== 0) {
      throw new AppError(
        'WECHAT_UNAVAILABLE',
        `手机号验证失败（错误码 ${answer.errcode}），请稍后重试`,
      )
    }
    const phone = answer.phone_info?.purePhoneNumber
    if (!phone) throw new AppError('WECHAT_UNAVAILABLE', '微信没有返回手机号，请重试')
    return phone
  }
  throw new AppError('WECHAT_UNAVAILABLE', '手机号验证失败，请稍后重试')
}
