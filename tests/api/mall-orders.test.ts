import assert from 'node:assert/strict'
import { before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { routes } from '../../src/contract/routes'
import { first, rows } from '../../server/db/sql'
import { runExpiryJobs } from '../../server/jobs'
import { expectError, parseAnswer } from '../support/api'
import { mallFixture } from '../support/mall'
import { balanceOf, stockOf } from '../support/points'
import { engines, type TestServer } from '../support/server'

// Orders (server/modules/mall/orders.ts): cancelling, pickup and expiry.
for (const engine of engines()) {
  describe(`mall orders on ${engine}`, () => {
    const f = mallFixture(engine)
    const { tok, createItem, redeem } = f
    let s: TestServer
    let m1: number
    before(() => {
      ;({ s, m1 } = f)
    })

    test('cancel: owner only, points and stock come back once', async () => {
      const item = await createItem({ pointsCost: 12, stock: 10 })
      const before = await balanceOf(s.database.db, m1)
      const res = await redeem('M0001', item.id, 2)
      const { order } = parseAnswer(routes.createOrder, res)

      const url = `/api/v1/mall/orders/${order.id}/cancel`
      expectError(await s.request({ method: 'POST', url, token: tok.M0006 }), 404, 'NOT_FOUND')
      expectError(
        await s.request({
          method: 'POST',
          url: '/api/v1/mall/orders/999999/cancel',
          token: tok.M0001,
        }),
        404,
        'NOT_FOUND',
      )
      const others = await s.request({
        method: 'GET',
        url: '/api/v1/mall/orders',
        token: tok.M0006,
      })
      assert.ok(!parseAnswer(routes.orders, others).orders.some((o) => o.id === order.id))

      const cancelled = await s.request({ method: 'POST', url, token: tok.M0001 })
      assert.equal(cancelled.statusCode, 200, cancelled.body)
      const after = parseAnswer(routes.cancelOrder, cancelled).order
      assert.equal(after.status, 'cancelled')
      assert.ok(after.closedAt)
      assert.equal(await balanceOf(s.database.db, m1), before)
      assert.equal(await stockOf(s.database.db, item.id), 10)

      const twice = await s.request({ method: 'POST', url, token: tok.M0001 })
      assert.match(expectError(twice, 409, 'NOT_CANCELLABLE'), /已取消/)
      const refunds = await rows(
        s.database.db,
        sql`SELECT 1 FROM point_ledger WHERE order_id = ${order.id} AND kind = 'refund'`,
      )
      assert.equal(refunds.length, 1)
      const filtered = await s.request({
        method: 'GET',
        url: '/api/v1/mall/orders?status=cancelled',
        token: tok.M0001,
      })
      const cancelledOnly = parseAnswer(routes.orders, filtered).orders
      assert.ok(cancelledOnly.length > 0 && cancelledOnly.every((o) => o.status === 'cancelled'))
    })

    test('pickup: staff of the item’s union see the order, confirm it once', async () => {
      const item = await createItem({ stock: 10 })
      const { order } = parseAnswer(routes.createOrder, await redeem('M0001', item.id, 1))
      const typed = `${order.pickupCode.slice(0, 4).toLowerCase()}-${order.pickupCode.slice(4)}`

      const seen = await s.request({
        method: 'GET',
        url: `/api/v1/staff/mall/pickups/${typed}`,
        token: tok.S0001,
      })
      assert.equal(seen.statusCode, 200, seen.body)
      const shown = parseAnswer(routes.pickupLookup, seen).order
      assert.deepEqual(
        [shown.id, shown.itemName, shown.quantity, shown.memberName, shown.memberNo, shown.status],
        [order.id, item.name, 1, '张伟', 'M0001', 'awaiting_pickup'],
      )

      // Staff of 石景山 may not verify an item of 中关村科学城; members may not at all.
      expectError(
        await s.request({
          method: 'GET',
          url: `/api/v1/staff/mall/pickups/${order.pickupCode}`,
          token: tok.S0101,
        }),
        403,
        'FORBIDDEN',
      )
      const foreign = await s.request({
        method: 'POST',
        url: '/api/v1/staff/mall/pickups',
        token: tok.S0101,
        body: { pickupCode: order.pickupCode },
      })
      expectError(foreign, 403, 'FORBIDDEN')
      expectError(
        await s.request({
          method: 'POST',
          url: '/api/v1/staff/mall/pickups',
          token: tok.M0006,
          body: { pickupCode: order.pickupCode },
        }),
        403,
        'FORBIDDEN',
      )
      expectError(
        await s.request({
          method: 'POST',
          url: '/api/v1/staff/mall/pickups',
          token: tok.S0001,
          body: { pickupCode: 'ZZZZ2222' },
        }),
        404,
        'UNKNOWN_CODE',
      )
      expectError(
        await s.request({
          method: 'GET',
          url: '/api/v1/staff/mall/pickups/NOPE',
          token: tok.S0001,
        }),
        404,
        'UNKNOWN_CODE',
      )

      const done = await s.request({
        method: 'POST',
        url: '/api/v1/staff/mall/pickups',
        token: tok.S0001,
        body: { pickupCode: typed },
      })
      assert.equal(done.statusCode, 200, done.body)
      assert.equal(parseAnswer(routes.fulfilPickup, done).order.status, 'fulfilled')
      const again = await s.request({
        method: 'POST',
        url: '/api/v1/staff/mall/pickups',
        token: tok.S0001,
        body: { pickupCode: order.pickupCode },
      })
      expectError(again, 409, 'ALREADY_FULFILLED')
      const cancel = await s.request({
        method: 'POST',
        url: `/api/v1/mall/orders/${order.id}/cancel`,
        token: tok.M0001,
      })
      assert.match(expectError(cancel, 409, 'NOT_CANCELLABLE'), /已领取/)

      const log = await rows<{ actor: string; action: string; after: { status: string } }>(
        s.database.db,
        sql`SELECT m.member_no AS actor, a.action, a.after FROM audit_log a
            JOIN members m ON m.id = a.actor_id
            WHERE a.entity = 'mall_order' AND a.entity_id = ${String(order.id)}`,
      )
      assert.deepEqual(
        log.map((l) => [l.actor, l.action, l.after.status]),
        [['S0001', 'mall_order.fulfil', 'fulfilled']],
      )
    })

    test('pickup of a cancelled or expired order says so', async () => {
      const item = await createItem({ stock: 10, pickupDays: 1 })
      const a = parseAnswer(routes.createOrder, await redeem('M0001', item.id)).order
      await s.request({
        method: 'POST',
        url: `/api/v1/mall/orders/${a.id}/cancel`,
        token: tok.M0001,
      })
      expectError(
        await s.request({
          method: 'POST',
          url: '/api/v1/staff/mall/pickups',
          token: tok.S0001,
          body: { pickupCode: a.pickupCode },
        }),
        409,
        'ORDER_CANCELLED',
      )

      const b = parseAnswer(routes.createOrder, await redeem('M0001', item.id)).order
      const run = await runExpiryJobs(s.database.db, new Date(Date.parse(b.pickupDeadline) + 1))
      assert.equal(run.ordersExpired, 1)
      expectError(
        await s.request({
          method: 'POST',
          url: '/api/v1/staff/mall/pickups',
          token: tok.S0001,
          body: { pickupCode: b.pickupCode },
        }),
        409,
        'ORDER_EXPIRED',
      )
    })

    test('the order expiry job refunds points and stock exactly once', async () => {
      const item = await createItem({ pointsCost: 7, stock: 10, pickupDays: 2 })
      const before = await balanceOf(s.database.db, m1)
      const { order } = parseAnswer(routes.createOrder, await redeem('M0001', item.id, 3))
      const deadline = new Date(order.pickupDeadline)

      const early = await runExpiryJobs(s.database.db, new Date(deadline.getTime() - 1))
      assert.equal(early.ordersExpired, 0)
      const status = async () =>
        (
          await first<{ status: string }>(
            s.database.db,
            sql`SELECT status FROM mall_orders WHERE id = ${order.id}`,
          )
        )?.status
      assert.equal(await status(), 'awaiting_pickup')

      const late = new Date(deadline.getTime() + 1)
      const runs = await Promise.all([
        runExpiryJobs(s.database.db, late),
        runExpiryJobs(s.database.db, late),
      ])
      assert.equal(
        runs.reduce((n, r) => n + r.ordersExpired, 0),
        1,
      )
      assert.equal((await runExpiryJobs(s.database.db, late)).ordersExpired, 0)
      assert.equal(await status(), 'expired')
      assert.equal(await balanceOf(s.database.db, m1), before)
      assert.equal(await stockOf(s.database.db, item.id), 10)
      const refunds = await rows<{ amount: number; reason: string }>(
        s.database.db,
        sql`SELECT amount, reason FROM point_ledger WHERE order_id = ${order.id} AND kind = 'refund'`,
      )
      assert.deepEqual(refunds, [{ amount: 21, reason: '超期未领取，积分退回' }])
      const cancel = await s.request({
        method: 'POST',
        url: `/api/v1/mall/orders/${order.id}/cancel`,
        token: tok.M0001,
      })
      assert.match(expectError(cancel, 409, 'NOT_CANCELLABLE'), /已过期/)
    })
  })
}
