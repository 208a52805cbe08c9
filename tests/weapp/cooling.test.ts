import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { CoolingCampaignsResponse, MaybePackResponse } from '../../src/contract/cooling'
import { startWeapp, type WeappEnv } from './support/env'

// Journey 3: M0003 (四方继保) composes a cooling pack within the quota, sends it to a work site,
// submits it and changes it later.

let env: WeappEnv
before(async () => {
  env = await startWeapp({ signedInAs: 'M0003' })
})
after(async () => {
  await env?.close()
})

/** The row of supply `name`. */
const row = (name: string) => ({ className: 'cooling-item', text: name })

test('cooling: compose within the quota, choose a work site, submit, edit', async () => {
  const { weapp, server } = env
  await weapp.tap('清凉大礼包')
  assert.equal(weapp.route, 'packages/cooling/pages/index')
  await weapp.waitFor('四方继保')
  const card = { className: 'campaign-card', text: '我的礼包：还没有选择' }
  assert.match(weapp.textOf(card), /距截止还有 1[34] 天/)
  await weapp.tap(card)
  assert.equal(weapp.route, 'packages/cooling/pages/campaign')
  await weapp.waitFor('清凉物资')
  assert.equal(weapp.textOf({ className: 'quota-meter-value' }), '0 / 100')

  // Quota 100: a bottle (40, at most one), two 凉茶 (30), one 风油精 (5) — then a cap is refused.
  await weapp.tap({ className: 'stepper-more' }, row('喷雾运动水壶'))
  await weapp.tap({ className: 'stepper-more' }, row('喷雾运动水壶'))
  assert.equal(weapp.textOf({ className: 'quota-notice' }), '喷雾运动水壶每份最多 1 件')
  await weapp.tap({ className: 'stepper-more' }, row('凉茶'))
  await weapp.tap({ className: 'stepper-more' }, row('凉茶'))
  await weapp.tap({ className: 'stepper-more' }, row('风油精'))
  assert.equal(weapp.textOf({ className: 'quota-meter-value' }), '75 / 100')
  await weapp.tap({ className: 'stepper-more' }, row('防晒棒球帽'))
  assert.equal(weapp.textOf({ className: 'quota-notice' }), '额度不足：还剩 25，防晒棒球帽需要 30')
  assert.equal(weapp.textOf({ className: 'stepper-value' }, row('防晒棒球帽')), '0')

  // Delivery to the 若羌 project site; a wrong phone number is explained before anything is sent.
  await weapp.tap('配送到工作地点')
  await weapp.tap('若羌光伏项目部')
  assert.match(weapp.textOf({ className: 'delivery-site', text: '若羌光伏项目部' }), /若羌/)
  await weapp.type('收件人姓名', '张工')
  await weapp.type('11 位手机号码', '1231234')
  const sent = weapp.log.requests.length
  await weapp.tap({ button: '提交礼包' })
  assert.match(weapp.text(), /请填写正确的 11 位手机号码/)
  assert.equal(weapp.log.requests.length, sent)
  await weapp.type('11 位手机号码', '13912345678')
  assert.equal(weapp.valueOf('11 位手机号码'), '13912345678')
  await weapp.tap({ button: '提交礼包' })
  await weapp.waitFor((w) => w.has({ className: 'pack-saved' }))
  assert.ok(weapp.has({ button: '保存修改' }))

  // Edit: one 凉茶 less, two 清洁湿巾 more.
  await weapp.tap({ className: 'stepper-less' }, row('凉茶'))
  await weapp.tap({ className: 'stepper-more' }, row('清洁湿巾'))
  await weapp.tap({ className: 'stepper-more' }, row('清洁湿巾'))
  assert.equal(weapp.textOf({ className: 'quota-meter-value' }), '70 / 100')
  await weapp.tap({ button: '保存修改' })
  await weapp.waitFor((w) => w.log.toasts.includes('已保存修改'))

  // The server holds the edited pack, delivered to the chosen site.
  const token = await server.login('M0003')
  const { campaigns } = (
    await server.request({ method: 'GET', url: '/api/v1/cooling/campaigns', token })
  ).json() as CoolingCampaignsResponse
  const campaign = campaigns.find((c) => c.unionName.includes('四方继保'))
  assert.ok(campaign)
  const { pack } = (
    await server.request({
      method: 'GET',
      url: `/api/v1/cooling/campaigns/${campaign.id}/pack`,
      token,
    })
  ).json() as MaybePackResponse
  assert.ok(pack)
  assert.deepEqual(pack.delivery, {
    kind: 'site',
    siteId: pack.delivery.kind === 'site' ? pack.delivery.siteId : 0,
    siteName: '若羌光伏项目部',
    address: pack.delivery.kind === 'site' ? pack.delivery.address : '',
    recipient: '张工',
    phone: '13912345678',
  })
  assert.deepEqual(Object.fromEntries(pack.items.map((l) => [l.name, l.quantity])), {
    喷雾运动水壶: 1,
    凉茶: 1,
    风油精: 1,
    清洁湿巾: 2,
  })
})
