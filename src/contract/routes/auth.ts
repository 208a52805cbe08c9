// Route table of one feature: the app's service module imports only this (and so only these
// schemas); `src/contract/routes.ts` gathers every table for the server and the tests.
import { route } from '../route-def'
import {
  authOptionsResponse,
  authResponse,
  devLoginBody,
  logoutBody,
  meResponse,
  okResponse,
  qrApproveResponse,
  qrTicketCreatedResponse,
  qrTicketParams,
  qrTicketResponse,
  wechatLoginBody,
} from '../auth'

/** Sign-in, sessions and the signed-in member. */
export const authRoutes = {
  devLogin: route({
    method: 'POST',
    path: '/auth/dev-login',
    body: devLoginBody,
    response: authResponse,
    status: 200,
    public: true,
  }),
  wechatLogin: route({
    method: 'POST',
    path: '/auth/wechat',
    body: wechatLoginBody,
    response: authResponse,
    status: 200,
    public: true,
  }),
  /** What the sign-in page offers (public). */
  authOptions: route({
    method: 'GET',
    path: '/auth/options',
    response: authOptionsResponse,
    status: 200,
    public: true,
  }),
  /** Ends the caller's session at once (`everywhere`: every session of the member). */
  logout: route({
    method: 'POST',
    path: '/auth/logout',
    body: logoutBody.nullish(),
    response: okResponse,
    status: 200,
  }),
  /** The web page asks for a QR ticket to show (public, expires in 2 minutes). */
  createQrTicket: route({
    method: 'POST',
    path: '/auth/qr-tickets',
    response: qrTicketCreatedResponse,
    status: 201,
    public: true,
  }),
  /** The web page polls its ticket; the first poll after approval yields the token once. */
  qrTicket: route({
    method: 'GET',
    path: '/auth/qr-tickets/:ticket',
    params: qrTicketParams,
    response: qrTicketResponse,
    status: 200,
    public: true,
  }),
  /** The member, signed in on the mini-program, approves the ticket they scanned. */
  approveQrTicket: route({
    method: 'POST',
    path: '/auth/qr-tickets/:ticket/approve',
    params: qrTicketParams,
    response: qrApproveResponse,
    status: 200,
  }),
  /** The member declines the ticket they scanned (it expires at once). */
  cancelQrTicket: route({
    method: 'POST',
    path: '/auth/qr-tickets/:ticket/cancel',
    params: qrTicketParams,
    response: qrApproveResponse,
    status: 200,
  }),
  me: route({ method: 'GET', path: '/me', response: meResponse, status: 200 }),
  /** The member unbinds their WeChat (every session ends; binding again needs proof). */
  unbindMyWechat: route({
    method: 'POST',
    path: '/me/wechat/unbind',
    response: okResponse,
    status: 200,
  }),
} as const
