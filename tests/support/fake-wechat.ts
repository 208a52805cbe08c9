import http from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A local stand-in for the WeChat server APIs the server calls. It checks the app id and secret
 * like WeChat does.
 * - `/sns/jscode2session`: codes `ok:<openid>` answer that openid, `used` errcode 40163, anything
 *   else errcode 40029.
 * - `/cgi-bin/stable_token` (POST JSON): a fresh access token per `force_refresh`, `expiresIn`
 *   seconds long; counted in `tokenRequests`.
 * - `/wxa/business/getuserphonenumber?access_token=` (POST `{code}`): codes `phone:<number>`
 *   answer that number; a stale access token errcode 40001; anything else errcode 40029.
 * - `/cgi-bin/message/subscribe/send?access_token=` (POST JSON): answers the next of
 *   `sendAnswers` (`'ok'`, `43101`, or an HTTP status ≥ 500), then `sendDefault`; every request's
 *   body is kept in `messages` (with the answer given); a stale access token errcode 40001.
 */
/** How the fake answers one subscribe-message send. */
export type SendAnswer = 'ok' | 43101 | 500 | 502 | 503

/** A subscribe message as the fake received it. */
export interface ReceivedMessage {
  body: Record<string, unknown>
  answer: SendAnswer
}

export async function startFakeWechat(appId: string, appSecret: string) {
  const calls: URL[] = []
  const messages: ReceivedMessage[] = []
  const sendAnswers: SendAnswer[] = []
  const sendDefault: { answer: SendAnswer } = { answer: 'ok' }
  const state = {
    tokenRequests: 0,
    phoneRequests: 0,
    expiresIn: 7200,
    current: 'token-0',
  }
  const readBody = (req: http.IncomingMessage) =>
    new Promise<Record<string, unknown>>((resolve) => {
      let data = ''
      req.on('data', (c: Buffer) => (data += c.toString()))
      req.on('end', () => {
        try {
          resolve(JSON.parse(data || '{}') as Record<string, unknown>)
        } catch {
          resolve({})
        }
      })
    })
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake')
    calls.push(url)
    res.setHeader('content-type', 'application/json')
    const send = (o: unknown) => res.end(JSON.stringify(o))
    if (url.pathname === '/sns/jscode2session') {
      const p = url.searchParams
      if (p.get('appid') !== appId || p.get('secret') !== appSecret) {
        return send({ errcode: 40125, errmsg: 'invalid appsecret' })
      }
      if (p.get('grant_type') !== 'authorization_code') {
        return send({ errcode: 40002, errmsg: 'invalid grant_type' })
      }
      const code = p.get('js_code') ?? ''
      if (code.startsWith('ok:')) return send({ openid: code.slice(3), session_key: 'sk' })
      if (code === 'used') return send({ errcode: 40163, errmsg: 'code been used' })
      return send({ errcode: 40029, errmsg: 'invalid code' })
    }
    if (url.pathname === '/cgi-bin/stable_token' && req.method === 'POST') {
      void readBody(req).then((b) => {
        state.tokenRequests++
        if (b.appid !== appId || b.secret !== appSecret) {
          return send({ errcode: 40125, errmsg: 'invalid appsecret' })
        }
        if (b.force_refresh === true) state.current = `token-${state.tokenRequests}`
        send({ access_token: state.current, expires_in: state.expiresIn })
      })
      return
    }
    if (url.pathname === '/wxa/business/getuserphonenumber' && req.method === 'POST') {
      void readBody(req).then((b) => {
        state.phoneRequests++
        if (url.searchParams.get('access_token') !== state.current) {
          return send({ errcode: 40001, errmsg: 'invalid credential, access_token is invalid' })
        }
        const code = typeof b.code === 'string' ? b.code : ''
        if (code.startsWith('phone:')) {
          const n = code.slice(6)
          return send({
            errcode: 0,
            errmsg: 'ok',
            phone_info: { phoneNumber: n, purePhoneNumber: n, countryCode: '86' },
          })
        }
        return send({ errcode: 40029, errmsg: 'invalid code' })
      })
      return
    }
    if (url.pathname === '/cgi-bin/message/subscribe/send' && req.method === 'POST') {
      void readBody(req).then((b) => {
        if (url.searchParams.get('access_token') !== state.current) {
          return send({ errcode: 40001, errmsg: 'invalid credential, access_token is invalid' })
        }
        const answer = sendAnswers.shift() ?? sendDefault.answer
        messages.push({ body: b, answer })
        if (answer === 'ok') return send({ errcode: 0, errmsg: 'ok' })
        if (answer === 43101)
          return send({ errcode: 43101, errmsg: 'user refuse to accept the msg' })
        res.statusCode = answer
        return res.end('busy')
      })
      return
    }
    res.statusCode = 404
    return res.end('{}')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    calls,
    state,
    /** Subscribe messages received, in order. */
    messages,
    /** Answers for the next sends, in order (then `sendDefault.answer`). */
    sendAnswers,
    sendDefault,
    /** WeChat rotates the access token: the server's cached one becomes stale. */
    rotateToken() {
      state.current = `rotated-${Date.now()}`
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
