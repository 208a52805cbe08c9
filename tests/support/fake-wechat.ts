import http from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A local stand-in for WeChat's code-to-session endpoint. Codes `ok:<openid>` answer that openid,
 * `used` answers errcode 40163 (code already used), anything else errcode 40029 (invalid code).
 * It checks the app id and secret like WeChat does.
 */
export async function startFakeWechat(appId: string, appSecret: string) {
  const calls: URL[] = []
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake')
    calls.push(url)
    res.setHeader('content-type', 'application/json')
    if (url.pathname !== '/sns/jscode2session') {
      res.statusCode = 404
      return res.end('{}')
    }
    const p = url.searchParams
    if (p.get('appid') !== appId || p.get('secret') !== appSecret) {
      return res.end(JSON.stringify({ errcode: 40125, errmsg: 'invalid appsecret' }))
    }
    if (p.get('grant_type') !== 'authorization_code') {
      return res.end(JSON.stringify({ errcode: 40002, errmsg: 'invalid grant_type' }))
    }
    const code = p.get('js_code') ?? ''
    if (code.startsWith('ok:')) {
      return res.end(JSON.stringify({ openid: code.slice(3), session_key: 'sk' }))
    }
    if (code === 'used')
      return res.end(JSON.stringify({ errcode: 40163, errmsg: 'code been used' }))
    return res.end(JSON.stringify({ errcode: 40029, errmsg: 'invalid code' }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
