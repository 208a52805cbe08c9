import { authRoutes as routes } from '@/contract/routes/auth'
import type {
  AuthOptionsResponse,
  AuthResponse,
  DevLoginBody,
  MeResponse,
  QrTicketCreatedResponse,
  QrTicketResponse,
  QrTicketStatus,
  WechatLoginBody,
} from '@/contract/auth'
import { call } from '@/services/http'

/** Signs in with a member number (demo and tests only; the server answers 404 when disabled). */
export function devLogin(body: DevLoginBody): Promise<AuthResponse> {
  return call(routes.devLogin, { body })
}

/**
 * Signs in with a `Taro.login` code, exchanged by the server with WeChat. The first time, the
 * account binds with `phoneCode` (手机号快速验证) or `memberNo` + `activationCode`.
 */
export function wechatLogin(body: WechatLoginBody): Promise<AuthResponse> {
  return call(routes.wechatLogin, { body })
}

/** What the sign-in page may offer (whether the demo's member-number sign-in is on). */
export function authOptions(): Promise<AuthOptionsResponse> {
  return call(routes.authOptions)
}

/** Ends this session on the server at once (`everywhere`: every session of the member). */
export async function logout(everywhere = false): Promise<void> {
  await call(routes.logout, { body: everywhere ? { everywhere } : {} })
}

/** The web page asks for a QR ticket to show (expires within 2 minutes). */
export function createQrTicket(): Promise<QrTicketCreatedResponse> {
  return call(routes.createQrTicket)
}

/**
 * A QR ticket's state. After approval the first call carries the token and member (once); the
 * approving mini-program must therefore only read it before approving.
 */
export function qrTicket(ticket: string): Promise<QrTicketResponse> {
  return call(routes.qrTicket, { params: { ticket } })
}

/** The signed-in member (mini-program) lets the web page that shows `ticket` sign in as them. */
export async function approveQrTicket(ticket: string): Promise<QrTicketStatus> {
  const { status } = await call(routes.approveQrTicket, { params: { ticket } })
  return status
}

/** The member declines the web sign-in they scanned (the ticket expires at once). */
export async function cancelQrTicket(ticket: string): Promise<QrTicketStatus> {
  const { status } = await call(routes.cancelQrTicket, { params: { ticket } })
  return status
}

/** The signed-in member, fresh from the server. */
export function me(): Promise<MeResponse> {
  return call(routes.me)
}

/** The member unbinds their own WeChat; every session of theirs ends on the server. */
export async function unbindMyWechat(): Promise<void> {
  await call(routes.unbindMyWechat)
}
