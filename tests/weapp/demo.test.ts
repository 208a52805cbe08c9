import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { startWeapp, type WeappEnv } from './support/env'

// The demo build (`TARO_APP_DEMO=1 TARO_OUTPUT_ROOT=<dir> npm run build:weapp`, then
// `WEAPP_DEMO_DIST=<dir>`): WeChat DevTools against the demo server signs in by member number,
// under a clearly marked 演示登录. The production build never carries it (habits.test.ts).

const demoDist = process.env.WEAPP_DEMO_DIST
const skip = demoDist ? false : 'set WEAPP_DEMO_DIST to a TARO_APP_DEMO=1 weapp build'

let env: WeappEnv | undefined
before(async () => {
  if (demoDist) env = await startWeapp({ distDir: demoDist })
})
after(async () => {
  await env?.close()
})

test('the demo build offers 演示登录 by member number', { skip }, async () => {
  const weapp = (env as WeappEnv).weapp
  assert.equal(weapp.route, 'pages/login/index')
  await weapp.waitFor('演示登录')
  assert.match(weapp.text(), /仅用于演示环境，正式环境不提供/)
  assert.ok(weapp.has({ button: '微信一键登录' }), 'WeChat sign-in stays the first choice')
  await weapp.type('会员号，如 M0001', 'M0001')
  await weapp.tap({ button: '登录' })
  await weapp.waitFor((w) => w.route === 'pages/home/index')
  await weapp.waitFor('你好，张伟')
})
