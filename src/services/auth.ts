import { routes } from '@/contract/routes'
import type { AuthResponse, DevLoginBody, MeResponse, WechatLoginBody } from '@/contract/auth'
import { call } from '@/services/http'

/** Signs in with a member number (demo and tests only; the server answers 404 when disabled). */
export function devLogin(body: DevLoginBody): Promise<AuthResponse> {
  return call(routes.devLogin, { body })
}

/** Signs in with a `Taro.login` code, exchanged by the server with WeChat. */
export function wechatLogin(body: WechatLoginBody): Promise<AuthResponse> {
  return call(routes.wechatLogin, { body })
}

/** The signed-in member, fresh from the server. */
export function me(): Promise<MeResponse> {
  return call(routes.me)
}
