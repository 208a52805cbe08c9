import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { first } from '../../server/db/sql'
import { startWeapp, type WeappEnv } from './support/env'
import { switchMember } from './support/steps'

// Journey 2: a member redeems in the mall and sees the pickup code; a staff member scans it at
// the pickup desk and hands the item over.

let env: WeappEnv
before(async () => {
  env = await startWeapp({ signedInAs: 'M0001' })
})
after(async () => {
  await env?.close()
})

const grouped = (code: string) => code.replace(/(.{4})(?=.)/g, '$1 ')

test('mall: list → item → redeem → pickup code; the pickup desk scans it', async () => {
  const { weapp, server } = env
  await weapp.waitFor('你好，张伟')
  const balance = Number(weapp.textOf({ className: 'home-balance-value' }))

  await weapp.tap('积分商城')
  assert.equal(weapp.route, 'packages/mall/pages/index')
  await weapp.waitFor('酸梅汤')
  assert.equal(weapp.textOf({ className: 'mall-balance-value' }), String(balance))

  await weapp.tap('酸梅汤')
  assert.equal(weapp.route, 'packages/mall/pages/item')
  await weapp.waitFor('立即兑换')
  assert.match(weapp.text(), /20 积分/)

  await weapp.tap({ button: '立即兑换' })
  assert.match(weapp.text(), /确认兑换/)
  await weapp.tap({ button: '+' })
  assert.equal(weapp.textOf({ className: 'stepper-value' }), '2')
  assert.equal(weapp.textOf({ className: 'sheet-total' }), '40 积分')
  assert.equal(weapp.textOf({ className: 'sheet-after' }), `兑换后剩余 ${balance - 40} 积分`)

  assert.deepEqual(weapp.log.subscribePrompts, [])
  await weapp.tap({ button: '确认兑换' })
  await weapp.waitFor('兑换成功')
  // Inside the tap WeChat asked for the pickup reminder (the build's template id); the member's
  // 允许 reached the server: one pickup message may be sent.
  assert.deepEqual(weapp.log.subscribePrompts, [['demo-pickup_expiring']])
  await weapp.waitFor((w) =>
    w.log.requests.some((r) => r.path === '/api/v1/me/subscriptions' && r.status === 200),
  )
  const subscription = await first<{ remaining: number }>(
    server.database.db,
    sql`SELECT s.remaining FROM subscriptions s JOIN members m ON m.id = s.member_id
        WHERE m.member_no = 'M0001' AND s.key = 'pickup_expiring'`,
  )
  assert.equal(subscription?.remaining, 1)
  const orders = (
    await server.request({
      method: 'GET',
      url: '/api/v1/mall/orders',
      token: await server.login('M0001'),
    })
  ).json() as { orders: Array<{ itemName: string; pickupCode: string; quantity: number }> }
  const order = orders.orders.find((o) => o.itemName === '酸梅汤')
  assert.ok(order, 'the order exists on the server')
  assert.equal(order.quantity, 2)
  assert.equal(weapp.textOf({ className: 'pickup-code-value' }), grouped(order.pickupCode))
  assert.match(weapp.text(), /酸梅汤 × 2，消耗 40 积分/)
  assert.ok(weapp.log.requests.some((r) => r.method === 'POST' && r.path === '/api/v1/mall/orders'))

  await weapp.tap({ button: '查看我的兑换' })
  assert.deepEqual(weapp.stack, [
    'pages/home/index',
    'packages/mall/pages/index',
    'packages/mall/pages/orders',
  ])
  await weapp.waitFor(grouped(order.pickupCode))

  // S0001 at the pickup desk scans the member's QR code (WeChat's camera answers the code).
  await switchMember(weapp, 'S0001')
  await weapp.tap('工会干部')
  assert.equal(weapp.route, 'packages/staff/pages/index')
  await weapp.tap('核销提货')
  assert.equal(weapp.route, 'packages/staff/pages/pickup')
  weapp.answers.scans.push(order.pickupCode)
  await weapp.tap({ button: '扫码' })
  await weapp.waitFor('确认核销')
  assert.equal(weapp.textOf({ className: 'pickup-order-item' }), '酸梅汤 × 2')
  assert.match(weapp.text(), /张伟（M0001）/)
  assert.equal(weapp.textOf({ className: 'pickup-status' }), '待领取')

  await weapp.tap({ button: '确认核销' })
  await weapp.waitFor('核销成功')
  assert.equal(weapp.textOf({ className: 'pickup-done-line' }), '酸梅汤 × 2 已交给 张伟')

  // A second scan of the same code shows it was handed over already.
  weapp.answers.scans.push(order.pickupCode)
  await weapp.tap({ button: '扫码' })
  await weapp.waitFor((w) => w.has({ className: 'pickup-status' }))
  assert.equal(weapp.textOf({ className: 'pickup-status' }), '已领取')
  assert.equal(weapp.has({ button: '确认核销' }), false)
})
