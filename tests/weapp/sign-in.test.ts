import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { rosterPhone, startWeapp, type WeappEnv } from './support/env'

// Journey 1: the first launch on a phone — 微信一键登录, bind by the phone WeChat verified, home.

let env: WeappEnv
before(async () => {
  env = await startWeapp()
})
after(async () => {
  await env?.close()
})

test('first sign-in: Taro.login, bind by phone, home shows the name and balance', async () => {
  const { weapp, server } = env
  assert.equal(weapp.route, 'pages/login/index')
  assert.match(weapp.text(), /微信一键登录/)
  assert.equal(weapp.storage.has('union-session'), false)

  const member = (
    await server.request({ method: 'GET', url: '/api/v1/me', token: await server.login('M0002') })
  ).json() as {
    member: { name: string; unionName: string }
  }
  const points = (
    await server.request({
      method: 'GET',
      url: '/api/v1/points',
      token: await server.login('M0002'),
    })
  ).json() as {
    balance: number
  }

  // This WeChat account is new to the server: the bind screen comes up.
  weapp.answers.loginCode = 'ok:openid-m0002-phone'
  await weapp.tap('微信一键登录')
  assert.equal(weapp.route, 'pages/login/index')
  assert.match(weapp.text(), /绑定会员身份/)
  assert.match(weapp.text(), /该微信还未绑定会员/)

  // The person agrees to the 用户隐私保护指引 on the app's sheet, then closes WeChat's phone
  // sheet: nothing is sent, the page says what to do.
  weapp.answers.phoneCode = null
  const before = weapp.log.requests.length
  await weapp.tap('手机号快速验证')
  await weapp.tap({ button: '同意并继续' })
  assert.equal(weapp.log.requests.length, before)
  assert.match(weapp.text(), /您没有同意使用手机号/)

  // Then allows it: a fresh wx.login code and the phone code go to the server, which asks the
  // fake WeChat for both; the member lands on home.
  weapp.answers.phoneCode = `phone:${rosterPhone('M0002')}`
  await weapp.tap('手机号快速验证')
  await weapp.waitFor((w) => w.route === 'pages/home/index')
  await weapp.waitFor(`你好，${member.member.name}`)
  assert.equal(weapp.textOf({ className: 'home-balance-value' }), String(points.balance))
  assert.match(weapp.text(), new RegExp(member.member.unionName))
  assert.deepEqual(
    weapp.log.requests.filter((r) => r.path === '/api/v1/auth/wechat').map((r) => r.status),
    [404, 200],
  )
  assert.ok(env.wechat.state.phoneRequests >= 1)
  const stored = JSON.parse(weapp.storage.get('union-session') ?? 'null') as {
    member: { memberNo: string }
  }
  assert.equal(stored.member.memberNo, 'M0002')
})
