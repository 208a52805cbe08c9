import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, test } from 'node:test'
import type { EventsResponse } from '../../src/contract/events'
import type { MallItemsResponse } from '../../src/contract/mall'
import { DIST_DIR } from './support/driver'
import { rosterPhone, startWeapp, type WeappEnv } from './support/env'
import { switchMember } from './support/steps'

// What a WeChat user expects of a mini-program: app.json's sitemap, lazy code loading, style v2
// and privacy check; a shared item opened signed out comes back after sign-in (through the
// 用户隐私保护指引 prompt); the pickup code can be copied and brightens the screen; the mixer can be
// shared and added to the phone's calendar. The production build has no 演示登录.

let env: WeappEnv
before(async () => {
  env = await startWeapp()
})
after(async () => {
  await env?.close()
})

const readDist = (file: string) => fs.readFileSync(path.join(DIST_DIR, file), 'utf8')

test('app.json: sitemap, lazy code loading, style v2, privacy check', () => {
  const app = JSON.parse(readDist('app.json')) as Record<string, unknown>
  assert.equal(app.lazyCodeLoading, 'requiredComponents')
  assert.equal(app.style, 'v2')
  assert.equal(app.__usePrivacyCheck__, true)
  assert.equal(app.sitemapLocation, 'sitemap.json')
  const sitemap = JSON.parse(readDist('sitemap.json')) as {
    rules: Array<{ action: string; page: string }>
  }
  assert.deepEqual(
    sitemap.rules.filter((r) => r.action === 'allow').map((r) => r.page),
    [
      'pages/home/index',
      'packages/mall/pages/index',
      'packages/mall/pages/item',
      'packages/events/pages/index',
    ],
  )
  assert.deepEqual(sitemap.rules.at(-1), { action: 'disallow', page: '*' })
  // The shareable pages carry Taro's share switch (WeChat then offers 转发 on them).
  for (const page of ['packages/mall/pages/item', 'packages/events/pages/event']) {
    assert.match(readDist(`${page}.js`), /enableShareAppMessage:!0/, page)
  }
})

test('the production build has no 演示登录 (only TARO_APP_DEMO=1 builds carry it)', () => {
  const js: string[] = []
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name)
      if (e.isDirectory()) walk(p)
      else if (e.name.endsWith('.js') || e.name.endsWith('.wxml')) js.push(p)
    }
  }
  walk(DIST_DIR)
  assert.ok(js.length > 50, `${js.length} files`)
  // The minifier writes Chinese as \u escapes: read them back before looking.
  const text = (f: string) =>
    fs
      .readFileSync(f, 'utf8')
      .replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
  const carrying = js.filter((f) => /演示登录|login-demo|仅用于演示环境/.test(text(f)))
  assert.deepEqual(carrying, [])
})

test('a shared item opened signed out: privacy prompt, sign-in, back on the item', async () => {
  const { weapp, api } = env
  assert.equal(weapp.route, 'pages/login/index')
  const { items } = await api<MallItemsResponse>('M0001', 'GET', '/mall/items')
  const item = items.find((i) => i.name === '酸梅汤')
  assert.ok(item, 'the seeded item')
  const itemUrl = `/packages/mall/pages/item?id=${item.id}`

  // The receiver taps the shared card: signed out, the app asks them to sign in first.
  await weapp.open(itemUrl)
  await weapp.waitFor((w) => w.route === 'pages/login/index')
  assert.equal(weapp.storage.get('union-return-to'), JSON.stringify(itemUrl))

  weapp.answers.loginCode = 'ok:openid-m0001-share'
  weapp.answers.phoneCode = `phone:${rosterPhone('M0001')}`
  await weapp.tap({ button: '微信一键登录' })
  assert.match(weapp.text(), /绑定会员身份/)

  // The phone number is private: WeChat waits for the app's 用户隐私保护指引 sheet (no modal:
  // WeChat lets the request go on only after a tap on its agreePrivacyAuthorization button).
  // Refused, no phone number reaches the server.
  const sent = () => weapp.log.requests.filter((r) => r.path === '/api/v1/auth/wechat').length
  const before = sent()
  const modals = weapp.log.modals.length
  await weapp.tap({ button: '手机号快速验证' })
  assert.equal(weapp.log.privacyPrompts, 1)
  assert.equal(weapp.log.modals.length, modals, 'no modal')
  const sheet = weapp.textOf({ className: 'privacy-sheet' })
  assert.match(sheet, /用户隐私保护指引/)
  assert.match(sheet, /手机号.*收货人.*法律咨询.*openid/)
  await weapp.tap({ button: '拒绝' })
  assert.doesNotMatch(weapp.text(), /用户隐私保护指引/)
  assert.equal(sent(), before)
  assert.equal(weapp.route, 'pages/login/index')
  assert.match(weapp.text(), /您没有同意使用手机号/)

  // Agreed the second time, on the sheet's 同意并继续: signed in, and on the shared item with
  // home below it.
  await weapp.tap({ button: '手机号快速验证' })
  assert.equal(weapp.log.privacyPrompts, 2)
  await weapp.tap({ button: '同意并继续' })
  await weapp.waitFor((w) => w.route === 'packages/mall/pages/item')
  assert.deepEqual(weapp.stack, ['pages/home/index', 'packages/mall/pages/item'])
  await weapp.waitFor('立即兑换')
  assert.equal(weapp.storage.has('union-return-to'), false)

  // The item page shares itself.
  const share = weapp.share()
  assert.equal(share?.path, itemUrl)
  assert.match(share?.title ?? '', /酸梅汤/)

  // Redeemed: the pickup code brightens the screen, copies, and the brightness comes back after.
  await weapp.tap({ button: '立即兑换' })
  await weapp.tap({ button: '确认兑换' })
  await weapp.waitFor('兑换成功')
  const shown = weapp.textOf({ className: 'pickup-code-value' }).replace(/\s/g, '')
  assert.deepEqual(weapp.log.brightness, [1])
  await weapp.tap({ button: '复制提货码' })
  assert.equal(weapp.log.clipboard.at(-1), shown)
  await weapp.tapTab('首页')
  assert.deepEqual(weapp.log.brightness, [1, 0.5])
})

test('the mixer shares itself and goes into the phone’s calendar', async () => {
  const { weapp, api } = env
  // M0141 is invited to the seeded mixer (M0001 is not).
  await switchMember(weapp, 'M0141')
  const { events } = await api<EventsResponse>('M0141', 'GET', '/events')
  const event = events[0]
  assert.ok(event, 'M0141 is invited to a seeded event')
  await weapp.open(`/packages/events/pages/event?id=${event.id}`)
  await weapp.waitFor(event.title)
  assert.deepEqual(weapp.share(), {
    title: `联谊活动：${event.title}`,
    path: `/packages/events/pages/event?id=${event.id}`,
  })
  await weapp.tap({ button: '添加到日历' })
  assert.deepEqual(weapp.log.calendar, [
    {
      title: event.title,
      startTime: Date.parse(event.startsAt) / 1000,
      endTime: Date.parse(event.endsAt) / 1000,
    },
  ])
  assert.ok(weapp.log.toasts.includes('已添加到日历'))
})

test('a pull-down on 法律咨询 fetches the free slots again', async () => {
  const { weapp } = env
  await weapp.open('/packages/legal/pages/index')
  await weapp.waitFor('工资拖欠')
  await weapp.tap({ className: 'legal-topic', text: '工资拖欠' })
  await weapp.tap('线上法律咨询（电话）')
  await weapp.waitFor((w) => w.has({ className: 'day-chip' }))
  const before = weapp.log.requests.length
  const stops = weapp.log.other.filter((n) => n === 'stopPullDownRefresh').length
  await weapp.pullDown()
  assert.ok(
    weapp.log.requests.slice(before).some((r) => r.path.includes('/slots')),
    'the slots are fetched again',
  )
  assert.equal(weapp.log.other.filter((n) => n === 'stopPullDownRefresh').length, stops + 1)
})
